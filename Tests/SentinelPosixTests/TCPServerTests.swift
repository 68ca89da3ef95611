import Glibc
import SentinelPosix
import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Testing

@Suite("TCP server and client on 127.0.0.1", .serialized)
struct TCPServerTests {
    @Test("binding port 0 reports the real port, and a client call round-trips", arguments: busyPollWindows)
    func roundTrip(busyPoll: Duration) async throws {
        try await withServer(configuration: .init(busyPoll: busyPoll)) { server in
            #expect(server.address.port != 0)
            try await TCPClient.withClient(address: server.address) { client in
                let reply1 = try await client.call(Methods.echo, payload: [1, 2, 3], timeout: .seconds(5))
                #expect(reply1 == [1, 2, 3])
                let reply2 = try await client.call(Methods.asyncEcho, payload: [4], timeout: nil)
                #expect(reply2 == [4])
                try await client.ping()
            }
        }
    }

    @Test(
        "10,000 concurrent calls over 16 connections are all answered, each with its own payload",
        arguments: busyPollWindows)
    func tenThousandCalls(busyPoll: Duration) async throws {
        // Without a token a client's first frame is its first call, which here queues behind up to 10,000 call tasks
        // on the cooperative pool: under ThreadSanitizer that took more than the default 10 s handshake timeout, and
        // the server closed the connection as silent. The calls themselves may take 60 s.
        var configuration = ServerConfiguration(busyPoll: busyPoll)
        configuration.handshakeTimeout = .seconds(60)
        try await withServer(configuration: configuration) { server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for connection in 0..<16 {
                    group.addTask {
                        try await TCPClient.withClient(address: server.address) { client in
                            try await withThrowingTaskGroup(of: Bool.self) { calls in
                                for call in 0..<625 {
                                    calls.addTask {
                                        let tag = UInt32(connection * 625 + call)
                                        let payload = withUnsafeBytes(of: tag.bigEndian) { Array($0) }
                                        let method = call % 4 == 0 ? Methods.asyncEcho : Methods.echo
                                        return try await client.call(method, payload: payload, timeout: .seconds(60))
                                            == payload
                                    }
                                }
                                var matched = 0
                                for try await ok in calls where ok { matched += 1 }
                                return matched
                            }
                        }
                    }
                }
                var total = 0
                for try await matched in group { total += matched }
                #expect(total == 10_000)
            }
        }
    }

    @Test("a request written one byte at a time and 200 coalesced requests are answered", arguments: busyPollWindows)
    func splitAndCoalesced(busyPoll: Duration) async throws {
        try await withServer(configuration: .init(busyPoll: busyPoll)) { server in
            let raw = try RawConnection(port: server.address.port)
            for byte in request(1, Methods.echo, [7, 7, 7]) { await raw.write([byte]) }
            let first = await raw.readFrames(1)
            #expect(first.first?.0.requestID == 1)
            #expect(first.first?.1 == [7, 7, 7])
            var batch: [UInt8] = []
            for id in 2...201 { batch += request(UInt32(id), Methods.echo, [UInt8(id % 256)]) }
            await raw.write(batch)
            let frames = await raw.readFrames(200)
            #expect(frames.map(\.0.requestID) == (2...201).map { UInt32($0) })
        }
    }

    /// Each protocol violation gets its documented answer or close, and another connection keeps being served.
    @Test(
        "protocol violations",
        arguments: ["oversized", "bad magic", "http", "truncated", "unknown method"], busyPollWindows)
    func violations(kind: String, busyPoll: Duration) async throws {
        var configuration = ServerConfiguration(busyPoll: busyPoll)
        configuration.limits = FrameLimits(maximumPayloadSize: 1024)
        try await withServer(configuration: configuration) { server in
            try await TCPClient.withClient(address: server.address) { client in
                let reply3 = try await client.call(Methods.echo, payload: [1], timeout: .seconds(5))
                #expect(reply3 == [1])
                let raw = try RawConnection(port: server.address.port)
                switch kind {
                case "oversized":
                    var header: [UInt8] = []
                    FrameHeader(type: .request, payloadLength: 1025, requestID: 9, code: Methods.echo.rawValue)
                        .append(to: &header)
                    await raw.write(header)
                    let (bytes, closed) = await raw.readToEnd()
                    var decoder = FrameDecoder(detectHTTP: false)
                    decoder.append(bytes)
                    let response = try #require(try decoder.decodeFrame())
                    #expect(response.type == .response && response.requestID == 9)
                    #expect(response.status == .resourceExhausted)
                    let goAway = try #require(try decoder.decodeFrame())
                    #expect(goAway.type == .goAway && goAway.status == .resourceExhausted)
                    #expect(closed)
                case "bad magic":
                    await raw.write(Array("\u{16}\u{03}\u{01}hello".utf8))
                    let (bytes, closed) = await raw.readToEnd()
                    #expect(bytes.isEmpty)
                    #expect(closed)
                case "http":
                    await raw.write(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
                    let (bytes, closed) = await raw.readToEnd()
                    #expect(String(decoding: bytes, as: UTF8.self) == ServerConnection.httpAnswer)
                    #expect(closed)
                case "truncated":
                    await raw.write(Array(request(3, Methods.echo, [1, 2, 3, 4]).dropLast(2)))
                    raw.shutdownWrite()
                    let (bytes, closed) = await raw.readToEnd()
                    #expect(bytes.isEmpty)
                    #expect(closed)
                default:
                    await raw.write(request(4, MethodID(rawValue: 999)))
                    let frames = await raw.readFrames(1)
                    #expect(frames.first?.0.status == .unimplemented)
                }
                let reply4 = try await client.call(Methods.echo, payload: [2], timeout: .seconds(5))
                #expect(reply4 == [2])
            }
        }
    }

    @Test("a wrong or missing token gets UNAUTHENTICATED; the right one is served", arguments: ["right", "wrong", nil])
    func token(presented: String?) async throws {
        var configuration = ServerConfiguration()
        configuration.authToken = AuthToken("right")
        try await withServer(configuration: configuration) { server in
            var clientConfiguration = TCPClient.Configuration()
            clientConfiguration.token = presented.flatMap(AuthToken.init)
            try await TCPClient.withClient(address: server.address, configuration: clientConfiguration) { client in
                if presented == "right" {
                    let reply5 = try await client.call(Methods.echo, payload: [5], timeout: .seconds(5))
                    #expect(reply5 == [5])
                } else {
                    await #expect {
                        try await client.call(Methods.echo, payload: [5], timeout: .seconds(5))
                    } throws: { ($0 as? RPCError)?.code == .unauthenticated }
                }
            }
        }
    }

    @Test("a server that cannot be reached gives an error naming the address")
    func unreachable() async throws {
        // Bind a port, then close it, so nothing listens there.
        let probe = try TCPServer(host: "127.0.0.1", port: 0, router: Router())
        let port = probe.address.port
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await probe.run() }
            probe.beginGracefulShutdown()
        }
        let address = SocketAddress(host: "127.0.0.1", port: port)
        try await TCPClient.withClient(address: address) { client in
            await #expect(throws: RPCError(.unavailable, "cannot connect to 127.0.0.1:\(port) (connection refused)")) {
                try await client.call(Methods.echo, payload: [], timeout: .seconds(2))
            }
            // While backing off, calls and pings fail fast with the same clear error.
            await #expect {
                try await client.ping()
            } throws: { ($0 as? RPCError)?.message.contains("cannot connect to 127.0.0.1:\(port)") == true }
        }
    }

    @Test("the client reconnects after the server closed an idle connection")
    func reconnect() async throws {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .milliseconds(50)
        try await withServer(configuration: configuration) { server in
            try await TCPClient.withClient(address: server.address) { client in
                let reply6 = try await client.call(Methods.echo, payload: [1], timeout: .seconds(5))
                #expect(reply6 == [1])
                #expect(await eventually { server.connectionCount == 0 })
                let reply7 = try await client.call(Methods.echo, payload: [2], timeout: .seconds(5))
                #expect(reply7 == [2])
            }
        }
    }

    @Test("a byte-at-a-time peer is disconnected after the frame-read timeout", arguments: busyPollWindows)
    func slowloris(busyPoll: Duration) async throws {
        var configuration = ServerConfiguration(busyPoll: busyPoll)
        configuration.frameReadTimeout = .milliseconds(100)
        try await withServer(configuration: configuration) { server in
            let raw = try RawConnection(port: server.address.port)
            let bytes = request(1, Methods.echo, Array(repeating: 1, count: 100))
            for byte in bytes.prefix(5) { await raw.write([byte]) }
            let (_, closed) = await raw.readToEnd()
            #expect(closed)
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test("a connection beyond the limit gets GOAWAY RESOURCE_EXHAUSTED and is closed; the others are served")
    func connectionLimit() async throws {
        var configuration = ServerConfiguration()
        configuration.maximumConnections = 1
        try await withServer(configuration: configuration) { server in
            var first: RawConnection? = try RawConnection(port: server.address.port)
            await first?.write(request(1))
            #expect(await first?.readFrames(1).count == 1)
            let refused = try RawConnection(port: server.address.port)
            let (bytes, closed) = await refused.readToEnd()
            #expect(closed, "the refused connection is closed at once, not left in the backlog")
            let header = try bytes.withUnsafeBytes { try FrameHeader.parse($0) }
            #expect(header.type == .goAway && header.status == .resourceExhausted)
            #expect(
                String(decoding: bytes.dropFirst(FrameHeader.size), as: UTF8.self) == "connection limit of 1 reached")
            #expect(server.refusedConnectionCount == 1)
            first = nil  // closing the first frees its permit: a new connection is served
            #expect(await eventually { server.connectionCount == 0 })
            let next = try RawConnection(port: server.address.port)
            await next.write(request(2))
            #expect(await next.readFrames(1).first?.0.requestID == 2)
        }
    }

    @Test("a connection that sends no frame is closed after the handshake timeout with GOAWAY DEADLINE_EXCEEDED")
    func handshakeTimeout() async throws {
        var configuration = ServerConfiguration()
        configuration.handshakeTimeout = .milliseconds(100)
        try await withServer(configuration: configuration) { server in
            let silent = try RawConnection(port: server.address.port)
            let (bytes, closed) = await silent.readToEnd()
            #expect(closed)
            let header = try bytes.withUnsafeBytes { try FrameHeader.parse($0) }
            #expect(header.type == .goAway && header.status == .deadlineExceeded)
            #expect(await eventually { server.connectionCount == 0 })
            // A connection that completed a frame is past its handshake: still served after the timeout.
            let talking = try RawConnection(port: server.address.port)
            await talking.write(request(1))
            #expect(await talking.readFrames(1).count == 1)
            try await Task.sleep(for: .milliseconds(200))
            await talking.write(request(2))
            #expect(await talking.readFrames(1).first?.0.requestID == 2)
        }
    }

    @Test("graceful shutdown lets an in-flight call finish and run() returns", arguments: busyPollWindows)
    func gracefulShutdown(busyPoll: Duration) async throws {
        let gate = Gate()
        let server = try TCPServer(
            host: "127.0.0.1", port: 0, router: TestRouter.make(gate: gate), configuration: .init(busyPoll: busyPoll),
            loopCount: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await TCPClient.withClient(address: server.address) { client in
                async let reply = client.call(Methods.gated, payload: [9], timeout: .seconds(10))
                #expect(await eventually { gate.started == 1 })
                server.beginGracefulShutdown()
                try await Task.sleep(for: .milliseconds(20))
                await #expect {
                    try await client.call(Methods.echo, payload: [], timeout: .seconds(5))
                } throws: { ($0 as? RPCError)?.code == .unavailable }
                gate.open()
                let final = try await reply
                #expect(final == [9])
            }
            try await group.waitForAll()
        }
        #expect(server.connectionCount == 0)
    }

    @Test(
        "after the grace period, shutdown cancels handlers still running and run() returns", arguments: busyPollWindows)
    func gracePeriod(busyPoll: Duration) async throws {
        let gate = Gate()
        var configuration = ServerConfiguration(busyPoll: busyPoll)
        configuration.shutdownGracePeriod = .milliseconds(50)
        let server = try TCPServer(
            host: "127.0.0.1", port: 0, router: TestRouter.make(gate: gate), configuration: configuration, loopCount: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await TCPClient.withClient(address: server.address) { client in
                let reply = Task { try await client.call(Methods.untilCancelled, payload: [], timeout: nil) }
                #expect(await eventually { gate.started == 1 })
                server.beginGracefulShutdown()
                await #expect {
                    try await reply.value
                } throws: { ($0 as? RPCError)?.code == .unavailable }
            }
            try await group.waitForAll()
        }
        #expect(gate.cancellations == 1)
    }
}
