import SentinelHTTP
import SentinelPosix
import SentinelTestSupport
import Synchronization
import Testing

/// Real sockets on 127.0.0.1:0.
@Suite("HTTP server", .serialized)
struct HTTPServerTests {
    private static func router(calls: Gate = Gate()) -> HTTPRouter {
        var router = HTTPRouter()
        router.register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
        router.registerAsync("/async") { request in
            await Task.yield()
            return HTTPResponse(status: .ok, text: "async \(request.queryItem("n") ?? "-")")
        }
        router.registerAsync("/gated") { _ in
            await calls.wait()
            return HTTPResponse(status: .ok, text: "opened")
        }
        return router
    }

    @Test("GET, HEAD, 404 and 405 on one keep-alive connection")
    func basicRoutes() async throws {
        try await withHTTPServer(router: Self.router()) { server in
            let connection = try RawHTTPConnection(port: server.address.port)
            await connection.write("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            let ok = await connection.readResponses(1)
            #expect(ok.first?.status == 200)
            #expect(ok.first?.body == "ok\n")
            #expect(ok.first?.headers["content-type"] == "text/plain; charset=utf-8")
            await connection.write("HEAD /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = await connection.readResponses(1, headOnly: true)
            #expect(head.first?.status == 200)
            #expect(head.first?.headers["content-length"] == "3")
            await connection.write("GET /nope HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(await connection.readResponses(1).first?.status == 404)
            await connection.write("POST /healthz HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi")
            let notAllowed = await connection.readResponses(1)
            #expect(notAllowed.first?.status == 405)
            #expect(notAllowed.first?.headers["allow"] == "GET, HEAD")
            await connection.write("GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            let last = await connection.readToEnd()
            #expect(last.closed)
            #expect(last.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(last.text.contains("Connection: close\r\n"))
        }
    }

    @Test("Pipelined requests mixing sync and async handlers are answered in order")
    func pipelining() async throws {
        try await withHTTPServer(router: Self.router()) { server in
            let connection = try RawHTTPConnection(port: server.address.port)
            var text = ""
            for index in 0..<20 {
                text +=
                    index % 2 == 0
                    ? "GET /async?n=\(index) HTTP/1.1\r\nHost: h\r\n\r\n" : "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n"
            }
            await connection.write(text)
            let responses = await connection.readResponses(20)
            #expect(responses.count == 20)
            for (index, response) in responses.enumerated() {
                #expect(response.body == (index % 2 == 0 ? "async \(index)\n" : "ok\n"))
            }
        }
    }

    @Test("A request split across writes is answered once complete")
    func splitWrites() async throws {
        try await withHTTPServer(router: Self.router()) { server in
            let connection = try RawHTTPConnection(port: server.address.port)
            for piece in ["GE", "T /heal", "thz HTTP/1.1\r", "\nHost: h\r\n", "\r", "\n"] {
                await connection.write(piece)
            }
            #expect(await connection.readResponses(1).first?.body == "ok\n")
        }
    }

    private static let badRequestCases: [String: (text: String, status: Int)] = [
        "no Host": ("GET / HTTP/1.1\r\n\r\n", 400),
        "HTTP/2.0": ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505),
        "9000-byte target": ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414),
        "40000-byte field": (
            "GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "v", count: 40000) + "\r\n\r\n", 431
        ),
        "100000-byte body": ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000\r\n\r\n", 413),
    ]

    @Test(
        "Bad requests get a plain-text error status and the connection closes",
        arguments: ["no Host", "HTTP/2.0", "9000-byte target", "40000-byte field", "100000-byte body"])
    func badRequests(name: String) async throws {
        let (text, status) = try #require(Self.badRequestCases[name])
        try await withHTTPServer(router: Self.router()) { server in
            let connection = try RawHTTPConnection(port: server.address.port)
            await connection.write(text)
            let reply = await connection.readToEnd()
            #expect(reply.closed)
            #expect(reply.text.hasPrefix("HTTP/1.1 \(status) "))
            #expect(reply.text.contains("Content-Type: text/plain; charset=utf-8\r\n"))
            #expect(reply.text.contains("Connection: close\r\n"))
        }
    }

    @Test("A partial head gets 408 at the header-read timeout; an idle connection is closed silently")
    func headerTimeout() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.headerReadTimeout = .milliseconds(200)
        try await withHTTPServer(router: Self.router(), configuration: configuration) { server in
            let partial = try RawHTTPConnection(port: server.address.port)
            await partial.write("GET /healthz HTTP/1.1\r\nHo")
            let reply = await partial.readToEnd()
            #expect(reply.closed)
            #expect(reply.text.hasPrefix("HTTP/1.1 408 "))
            let idle = try RawHTTPConnection(port: server.address.port)
            let silent = await idle.readToEnd()
            #expect(silent.closed)
            #expect(silent.text.isEmpty)
        }
    }

    @Test("Connections past the limit are answered 503")
    func connectionLimit() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.maximumConnections = 1
        try await withHTTPServer(router: Self.router(), configuration: configuration) { server in
            let first = try RawHTTPConnection(port: server.address.port)
            await first.write("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(await first.readResponses(1).first?.status == 200)
            let second = try RawHTTPConnection(port: server.address.port)
            await second.write("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
            let reply = await second.readToEnd()
            #expect(reply.text.hasPrefix("HTTP/1.1 503 "))
            #expect(reply.closed)
        }
    }

    @Test("Graceful shutdown finishes the response in progress with Connection: close")
    func gracefulShutdown() async throws {
        let gate = Gate()
        let server = try HTTPServer(host: "127.0.0.1", port: 0, router: Self.router(calls: gate))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await server.run() }
            let connection = try RawHTTPConnection(port: server.address.port)
            await connection.write("GET /gated HTTP/1.1\r\nHost: h\r\n\r\n")
            while gate.started == 0 { try await Task.sleep(for: .milliseconds(5)) }
            server.beginGracefulShutdown()
            while server.connectionCount > 0 && gate.started == 1 {
                try await Task.sleep(for: .milliseconds(20))
                gate.open()
            }
            let reply = await connection.readToEnd()
            #expect(reply.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reply.text.contains("Connection: close\r\n"))
            #expect(reply.text.hasSuffix("opened\n"))
            try await group.waitForAll()
        }
        #expect(server.connectionCount == 0)
    }
}
