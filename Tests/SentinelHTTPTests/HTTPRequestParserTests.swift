import SentinelHTTP
import Testing

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    private func parseAll(_ text: String, limits: HTTPLimits = HTTPLimits()) -> [Result<HTTPRequest, HTTPError>] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        var results: [Result<HTTPRequest, HTTPError>] = []
        while let result = parser.next() { results.append(result) }
        return results
    }

    private func errorCode(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPError.Code? {
        let results = parseAll(text, limits: limits)
        guard case .failure(let error) = results.last else { return nil }
        return error.code
    }

    @Test("A GET with a query and headers")
    func simpleGet() throws {
        let results = parseAll("GET /api/snapshot?history=5&x HTTP/1.1\r\nHost: a\r\nAccept:  text/html \r\n\r\n")
        #expect(results.count == 1)
        let request = try results[0].get()
        #expect(request.method == "GET")
        #expect(request.path == "/api/snapshot")
        #expect(request.query == "history=5&x")
        #expect(request.queryItem("history") == "5")
        #expect(request.queryItem("x") == "")
        #expect(request.queryItem("y") == nil)
        #expect(request.header("accept") == "text/html")
        #expect(request.minorVersion == 1)
        #expect(request.keepAlive)
    }

    @Test("Split reads, one byte at a time, give the same request")
    func splitReads() throws {
        let text = "GET /healthz HTTP/1.1\r\nHost: localhost:8501\r\nConnection: close\r\n\r\n"
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []
        for byte in text.utf8 {
            parser.append([byte])
            while let result = parser.next() { requests.append(try result.get()) }
        }
        #expect(requests.count == 1)
        #expect(requests[0].path == "/healthz")
        #expect(requests[0].keepAlive == false)
        #expect(parser.bufferedCount == 0)
    }

    @Test("Pipelined requests, one with a body that is skipped, come out in order")
    func pipelining() throws {
        let text =
            "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloHEAD /c HTTP/1.0\r\n\r\n"
        let requests = try parseAll(text).map { try $0.get() }
        #expect(requests.map(\.path) == ["/a", "/b", "/c"])
        #expect(requests.map(\.method) == ["GET", "POST", "HEAD"])
        #expect(requests[1].bodyLength == 5)
        #expect(requests[2].keepAlive == false)
    }

    @Test("A body split across reads is skipped before the next request")
    func splitBody() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\n\r\nabc".utf8))
        #expect(parser.next() == nil)
        parser.append(Array("defGET /n HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(try parser.next()?.get().path == "/b")
        #expect(try parser.next()?.get().path == "/n")
        #expect(parser.next() == nil)
    }

    @Test("Empty lines before a request line are ignored")
    func leadingEmptyLines() throws {
        let requests = try parseAll("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n").map { try $0.get() }
        #expect(requests.map(\.path) == ["/"])
    }

    @Test(
        "Malformed request lines are 400",
        arguments: [
            "GET  / HTTP/1.1", "GET / HTTP/1.1 x", "GET /", "G@T / HTTP/1.1", "GET x HTTP/1.1", "GET / HTTX/1.1",
            "GET http://h/ HTTP/1.1", "GET /a\u{1}b HTTP/1.1", "GET / http/1.1", " GET / HTTP/1.1",
        ])
    func badRequestLines(line: String) {
        #expect(errorCode(line + "\r\nHost: h\r\n\r\n") == .badRequest)
    }

    @Test("Other HTTP versions are 505", arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9"])
    func unsupportedVersions(version: String) {
        #expect(errorCode("GET / \(version)\r\nHost: h\r\n\r\n") == .unsupportedVersion)
    }

    @Test(
        "Malformed header sections are 400",
        arguments: [
            "Host: h\r\n folded", "Host : h", "Host: h\r\nNoColon", "Host: h\r\n: empty", "Host: h\r\nX: a\u{7}b",
            "X: no host", "Host: a\r\nHost: b", "Host: h\r\nContent-Length: 5\r\nContent-Length: 6",
            "Host: h\r\nContent-Length: -1", "Host: h\r\nContent-Length: 1x", "Host: h\r\nBare: a\nb",
        ])
    func badHeaders(fields: String) {
        #expect(errorCode("GET / HTTP/1.1\r\n\(fields)\r\n\r\n") == .badRequest)
    }

    @Test("Transfer codings are 501; a body over the limit is 413")
    func bodies() {
        #expect(
            errorCode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
                == .unsupportedTransferEncoding)
        #expect(HTTPError.Code.unsupportedTransferEncoding.status.code == 501)
        var limits = HTTPLimits()
        limits.maximumBodySize = 10
        #expect(errorCode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits) == .bodyTooLarge)
        #expect(HTTPError.Code.bodyTooLarge.status.code == 413)
        let atLimit = parseAll("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)
        #expect((try? atLimit.first?.get().bodyLength) == 10)
    }

    @Test("The request line limit is inclusive of CRLF, complete or still arriving", arguments: [0, 1])
    func requestLineLimit(extra: Int) throws {
        var limits = HTTPLimits()
        limits.maximumRequestLineLength = 64
        let prefix = "GET /"
        let suffix = " HTTP/1.1\r\n"
        let path = String(repeating: "a", count: 64 - prefix.utf8.count - suffix.utf8.count + extra)
        let line = prefix + path + suffix
        let complete = parseAll(line + "Host: h\r\n\r\n", limits: limits)
        if extra == 0 {
            #expect(complete.count == 1)
            #expect(try complete.first?.get().path == "/" + path)
        } else {
            #expect(errorCode(line + "Host: h\r\n\r\n", limits: limits) == .requestLineTooLong)
            #expect(HTTPError.Code.requestLineTooLong.status.code == 414)
        }
        // No CRLF yet: fails as soon as more than the limit is buffered.
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(repeating: UInt8(ascii: "a"), count: 64 + extra))
        let result = parser.next()
        if extra == 0 {
            #expect(result == nil)
        } else {
            guard case .failure(let error) = result else {
                Issue.record("expected an error, got \(String(describing: result))")
                return
            }
            #expect(error.code == .requestLineTooLong)
        }
    }

    @Test("Oversized header sections are 431, complete or still arriving")
    func oversizedHeaders() {
        var limits = HTTPLimits()
        limits.maximumHeaderSize = 100
        let big = "X: " + String(repeating: "v", count: 120) + "\r\n"
        #expect(errorCode("GET / HTTP/1.1\r\nHost: h\r\n" + big + "\r\n", limits: limits) == .headersTooLarge)
        #expect(errorCode("GET / HTTP/1.1\r\nHost: h\r\n" + big, limits: limits) == .headersTooLarge)
        #expect(HTTPError.Code.headersTooLarge.status.code == 431)
        limits.maximumHeaderSize = 32 * 1024
        limits.maximumHeaderCount = 3
        let many = (0..<4).map { "X\($0): v\r\n" }.joined()
        #expect(errorCode("GET / HTTP/1.1\r\n" + many + "Host: h\r\n\r\n", limits: limits) == .headersTooLarge)
    }

    /// Found by the `http-request` fuzz target (fuzz/crashes/http-request/): a head exactly at the limit was refused
    /// when it arrived in pieces, because the blank line's first bytes counted as header bytes.
    @Test("The header section limit is the same whole and byte by byte", arguments: [0, 1])
    func headerLimitWholeAndSplit(extra: Int) {
        var limits = HTTPLimits()
        limits.maximumHeaderSize = 100
        // The section runs from the request line's CRLF to the blank line: "\r\nHost: h\r\nX: vvv…".
        let fixed = "\r\nHost: h\r\nX: ".utf8.count
        let head = "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 100 - fixed + extra)
        let request = Array((head + "\r\n\r\n").utf8)
        var whole = HTTPRequestParser(limits: limits)
        whole.append(request)
        var split = HTTPRequestParser(limits: limits)
        var splitResults: [Result<HTTPRequest, HTTPError>] = []
        for byte in request {
            split.append([byte])
            while let result = split.next() { splitResults.append(result) }
        }
        let wholeResult = whole.next()
        #expect(splitResults.count == 1)
        if extra == 0 {
            #expect((try? wholeResult?.get())?.header("X")?.count == 100 - fixed)
            #expect((try? splitResults.first?.get())?.header("X")?.count == 100 - fixed)
        } else {
            for result in [wholeResult] + splitResults.map(Optional.some) {
                guard case .failure(let error) = result else {
                    Issue.record("expected 431, got \(String(describing: result))")
                    continue
                }
                #expect(error.code == .headersTooLarge)
            }
        }
    }

    @Test("After an error the parser stays failed and ignores further input")
    func failedStays() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .failure = parser.next() else {
            Issue.record("expected an error")
            return
        }
        #expect(parser.hasFailed)
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        #expect(parser.next() == nil)
    }

    @Test(
        "Keep-alive follows the version and the Connection field",
        arguments: [
            ("HTTP/1.1", "", true), ("HTTP/1.1", "Connection: close\r\n", false),
            ("HTTP/1.1", "Connection: Keep-Alive, Close\r\n", false), ("HTTP/1.0", "", false),
            ("HTTP/1.0", "Connection: keep-alive\r\n", true),
        ])
    func keepAlive(version: String, field: String, expected: Bool) throws {
        let request = try parseAll("GET / \(version)\r\nHost: h\r\n\(field)\r\n").first?.get()
        #expect(request?.keepAlive == expected)
    }
}
