import SentinelPosix
import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Testing

@Suite("Socket addresses: HOST:PORT, [IPV6]:PORT, and serving over IPv6")
struct SocketAddressTests {
    @Test(
        "HOST:PORT and [IPV6]:PORT parse; the description puts IPv6 hosts in brackets",
        arguments: [
            ("127.0.0.1:8001", "127.0.0.1", 8001, "127.0.0.1:8001"),
            ("localhost:0", "localhost", 0, "localhost:0"),
            ("monitor.internal:65535", "monitor.internal", 65535, "monitor.internal:65535"),
            ("[::1]:8001", "::1", 8001, "[::1]:8001"),
            ("[::]:80", "::", 80, "[::]:80"),
            ("[fe80::1%eth0]:9", "fe80::1%eth0", 9, "[fe80::1%eth0]:9"),
        ])
    func parses(text: String, host: String, port: Int, description: String) throws {
        let address = try #require(SocketAddress(parsing: text))
        #expect(address.host == host)
        #expect(address.port == UInt16(port))
        #expect(address.description == description)
    }

    @Test(
        "malformed addresses are refused, including an IPv6 literal without brackets",
        arguments: [
            "", "8001", ":8001", "host:", "host:port", "host:65536", "host:-1", "::1:8001", "[::1]", "[::1]8001",
            "[]:8001", "[127.0.0.1]:8001", "[[::1]]:8001", "a]:1", "[::1:8001",
        ])
    func refuses(text: String) {
        #expect(SocketAddress(parsing: text) == nil)
    }

    @Test("brackets given to init(host:port:) are removed")
    func bracketsRemoved() {
        #expect(SocketAddress(host: "[::1]", port: 7).host == "::1")
        #expect(SocketAddress(host: "[::1]", port: 7) == SocketAddress(host: "::1", port: 7))
    }

    @Test(
        "loopback: 127.0.0.0/8, ::1, ::ffff:127.x and localhost are; wildcards and other addresses are not",
        arguments: [
            ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("::1", true), ("::ffff:127.0.0.1", true),
            ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("128.0.0.1", false), ("::2", false),
            ("::ffff:10.0.0.1", false), ("fe80::1", false),
        ])
    func loopback(host: String, isLoopback: Bool) {
        #expect(SocketAddress(host: host, port: 1).isLoopback == isLoopback)
    }

    @Test("a server on ::1 serves an IPv6 client; the reported address keeps the host and the real port")
    func serveIPv6() async throws {
        try await withServer(host: "::1", loopCount: 1) { server in
            #expect(server.address.host == "::1" && server.address.port != 0)
            #expect(server.address.description == "[::1]:\(server.address.port)")
            try await TCPClient.withClient(address: server.address) { client in
                let reply = try await client.call(Methods.echo, payload: [6], timeout: .seconds(5))
                #expect(reply == [6])
            }
        }
    }

    @Test("a server on :: accepts IPv4 and IPv6 clients alike")
    func dualStack() async throws {
        try await withServer(host: "::", loopCount: 1) { server in
            for host in ["127.0.0.1", "::1", "localhost"] {
                try await TCPClient.withClient(address: SocketAddress(host: host, port: server.address.port)) {
                    client in
                    let reply = try await client.call(Methods.echo, payload: [4], timeout: .seconds(5))
                    #expect(reply == [4], "\(host)")
                }
            }
        }
    }

    @Test("an IPv6 address nobody listens on gives an error naming it in brackets")
    func unreachableIPv6() async throws {
        let probe = try TCPServer(host: "::1", port: 0, router: Methods.make(), loopCount: 1)
        let port = probe.address.port
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await probe.run() }
            probe.beginGracefulShutdown()
        }
        try await TCPClient.withClient(address: SocketAddress(host: "::1", port: port)) { client in
            await #expect(throws: RPCError(.unavailable, "cannot connect to [::1]:\(port) (connection refused)")) {
                try await client.call(Methods.echo, payload: [], timeout: .seconds(2))
            }
        }
    }
}
