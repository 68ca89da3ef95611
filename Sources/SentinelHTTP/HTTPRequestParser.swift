/// An incremental, strict HTTP/1.x request parser: bytes in, complete requests (or the first error) out.
///
/// It knows nothing of sockets, so tests feed it split reads and pipelined requests directly. Requests must use
/// CRLF line endings and origin-form targets; obsolete line folding, whitespace before a field's colon, control
/// characters, conflicting Content-Length values and transfer codings are rejected. Bodies (at most
/// ``HTTPLimits/maximumBodySize``) are skipped. After an error the parser stays failed: the connection must close,
/// because the request framing is lost.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// parser.append(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
/// while let result = parser.next() { print(try result.get().path) }
/// ```
public struct HTTPRequestParser: Sendable {
    /// What the parser is waiting for.
    ///
    /// `.head` → `.body` (a request with Content-Length > 0) → `.head`; any → `.failed` (final).
    private enum State: Sendable {
        case head
        case body(HTTPRequest, remaining: Int)
        case failed
    }

    private static let tokenCharacters: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for character in "!#$%&'*+-.^_`|~".utf8 { table[Int(character)] = true }
        return table
    }()

    /// The limits enforced.
    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var state = State.head

    /// Creates a parser.
    /// - Parameter limits: Line, header and body limits.
    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// Bytes received and not yet consumed by a complete request.
    public var bufferedCount: Int { buffer.count - start }

    /// Whether the parser has failed (after returning an error).
    public var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    /// Appends received bytes.
    /// - Parameter bytes: The bytes, in arrival order.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if case .failed = state { return }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, an error, or `nil` when more bytes are needed (or after an error).
    /// - Returns: `.success` with a request, `.failure` once with the first error, else `nil`.
    public mutating func next() -> Result<HTTPRequest, HTTPError>? {
        while true {
            switch state {
            case .failed:
                return nil
            case .body(let request, let remaining):
                let available = buffer.count - start
                if available < remaining {
                    start = buffer.count
                    scanned = start
                    state = .body(request, remaining: remaining - available)
                    return nil
                }
                start += remaining
                scanned = start
                state = .head
                return .success(request)
            case .head:
                // Tolerate empty lines before a request line (RFC 9112 §2.2).
                while buffer.count - start >= 2 && buffer[start] == 13 && buffer[start + 1] == 10 {
                    start += 2
                    scanned = max(scanned, start)
                }
                guard let end = findHeadEnd() else {
                    if let error = checkIncompleteHead() { return fail(error) }
                    return nil
                }
                let head = buffer[start..<end]
                start = end + 4
                scanned = start
                switch parseHead(head) {
                case .failure(let error):
                    return fail(error)
                case .success(let request):
                    if request.bodyLength > 0 {
                        state = .body(request, remaining: request.bodyLength)
                        continue
                    }
                    return .success(request)
                }
            }
        }
    }

    private mutating func fail(_ error: HTTPError) -> Result<HTTPRequest, HTTPError> {
        state = .failed
        buffer = []
        start = 0
        scanned = 0
        return .failure(error)
    }

    /// The index of the CRLFCRLF ending the head, searching only bytes not searched before.
    private mutating func findHeadEnd() -> Int? {
        var index = max(start, scanned - 3)
        while index + 3 < buffer.count {
            if buffer[index + 3] != 10 {
                index += buffer[index + 3] == 13 ? 1 : 4
                continue
            }
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 { return index }
            index += 1
        }
        scanned = buffer.count
        return nil
    }

    /// Limit checks while the head is still incomplete, so an endless line or header section fails early.
    private func checkIncompleteHead() -> HTTPError? {
        let pending = buffer[start...]
        if let lineEnd = lineEnd(in: pending) {
            if lineEnd - start + 2 > limits.maximumRequestLineLength { return requestLineTooLong() }
            // The header section runs from the request line's CRLF to the blank line, as `parseHead` measures it;
            // the last 3 bytes buffered may be the start of that blank line, so they do not count yet. (Counting
            // them refused a head at the limit when it arrived in pieces and accepted it when it arrived whole.)
            if buffer.count - 3 - lineEnd > limits.maximumHeaderSize { return headersTooLarge() }
        } else if pending.count > limits.maximumRequestLineLength {
            return requestLineTooLong()
        }
        return nil
    }

    private func lineEnd(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    private func requestLineTooLong() -> HTTPError {
        HTTPError(.requestLineTooLong, "the request line is longer than \(limits.maximumRequestLineLength) bytes")
    }

    private func headersTooLarge() -> HTTPError {
        HTTPError(.headersTooLarge, "the header section is larger than \(limits.maximumHeaderSize) bytes")
    }

    private func parseHead(_ head: ArraySlice<UInt8>) -> Result<HTTPRequest, HTTPError> {
        let lineEnd = self.lineEnd(in: head) ?? head.endIndex
        if lineEnd - head.startIndex + 2 > limits.maximumRequestLineLength { return .failure(requestLineTooLong()) }
        if head.endIndex - lineEnd > limits.maximumHeaderSize { return .failure(headersTooLarge()) }
        var request: HTTPRequest
        switch parseRequestLine(head[head.startIndex..<lineEnd]) {
        case .failure(let error): return .failure(error)
        case .success(let line): request = line
        }
        var index = lineEnd
        while index < head.endIndex {
            let fieldStart = index + 2
            let fieldEnd = self.lineEnd(in: head[fieldStart...]) ?? head.endIndex
            switch parseField(head[fieldStart..<fieldEnd]) {
            case .failure(let error): return .failure(error)
            case .success(let field): request.headers.append(field)
            }
            if request.headers.count > limits.maximumHeaderCount {
                return .failure(HTTPError(.headersTooLarge, "more than \(limits.maximumHeaderCount) header fields"))
            }
            index = fieldEnd
        }
        return validate(request)
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<HTTPRequest, HTTPError> {
        let parts = line.split(separator: 32, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(HTTPError(.badRequest, "malformed request line: expected METHOD SP TARGET SP VERSION"))
        }
        guard parts[0].allSatisfy({ Self.tokenCharacters[Int($0)] }) else {
            return .failure(HTTPError(.badRequest, "malformed request line: invalid method"))
        }
        let versionText = String(decoding: parts[2], as: UTF8.self)
        let minorVersion: Int
        switch versionText {
        case "HTTP/1.1": minorVersion = 1
        case "HTTP/1.0": minorVersion = 0
        default:
            let isVersion =
                parts[2].count == 8 && versionText.hasPrefix("HTTP/")
                && parts[2].dropFirst(5).enumerated().allSatisfy {
                    $0.offset == 1 ? $0.element == UInt8(ascii: ".") : (48...57).contains($0.element)
                }
            if isVersion {
                return .failure(HTTPError(.unsupportedVersion, "\(versionText) is not supported; use HTTP/1.1"))
            }
            return .failure(HTTPError(.badRequest, "malformed request line: invalid HTTP version"))
        }
        let target = parts[1]
        guard target.first == UInt8(ascii: "/") else {
            return .failure(HTTPError(.badRequest, "the request target must be an absolute path (origin form)"))
        }
        guard target.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            return .failure(HTTPError(.badRequest, "the request target contains a control, space or non-ASCII byte"))
        }
        let targetText = String(decoding: target, as: UTF8.self)
        var path = targetText
        var query: String?
        if let mark = targetText.firstIndex(of: "?") {
            path = String(targetText[..<mark])
            query = String(targetText[targetText.index(after: mark)...])
        }
        return .success(
            HTTPRequest(
                method: String(decoding: parts[0], as: UTF8.self), path: path, query: query,
                minorVersion: minorVersion))
    }

    private func parseField(_ line: ArraySlice<UInt8>) -> Result<HTTPHeader, HTTPError> {
        if let first = line.first, first == 32 || first == 9 {
            return .failure(HTTPError(.badRequest, "obsolete header line folding is not accepted"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            return .failure(HTTPError(.badRequest, "malformed header field: expected NAME: VALUE"))
        }
        let name = line[line.startIndex..<colon]
        guard name.allSatisfy({ Self.tokenCharacters[Int($0)] }) else {
            return .failure(HTTPError(.badRequest, "malformed header field name (no whitespace before the colon)"))
        }
        let value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
            return .failure(HTTPError(.badRequest, "a header field value contains a control character"))
        }
        let text = Substring(String(decoding: value, as: UTF8.self)).trimmingWhitespace()
        return .success(HTTPHeader(name: String(decoding: name, as: UTF8.self), value: String(text)))
    }

    private func validate(_ request: HTTPRequest) -> Result<HTTPRequest, HTTPError> {
        var request = request
        let hosts = request.headers.filter { $0.name.lowercased() == "host" }
        if request.minorVersion == 1 && hosts.count != 1 {
            return .failure(HTTPError(.badRequest, "an HTTP/1.1 request needs exactly one Host field"))
        }
        if request.header("Transfer-Encoding") != nil {
            return .failure(
                HTTPError(.unsupportedTransferEncoding, "request bodies with a Transfer-Encoding are not accepted"))
        }
        let lengths = request.headers.filter { $0.name.lowercased() == "content-length" }
            .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingWhitespace() }
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.count <= 18,
                first.utf8.allSatisfy({ (48...57).contains($0) }), let length = Int(first)
            else {
                return .failure(HTTPError(.badRequest, "invalid or conflicting Content-Length"))
            }
            if length > limits.maximumBodySize {
                return .failure(
                    HTTPError(.bodyTooLarge, "the request body is larger than \(limits.maximumBodySize) bytes"))
            }
            request.bodyLength = length
        }
        return .success(request)
    }
}
