import Foundation
import Glibc
import Testing

@Suite(
    "the CLI pointed at the wrong thing, as processes", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"))
struct WrongPeerTests {
    @Test("a monitor where the scoring API was expected, and the reverse, is named (exit 1)")
    func otherService() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let api = try await RunningService.startAPI(model: APIModels.firstPath, arguments: ["--spool-dir", spool()])
        let replay = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", monitor.address, "--data", "data/creditcard-sample.csv.gz"])
        #expect(replay.status == 1)
        #expect(
            replay.error
                == "error: \(monitor.address) is a Sentinel monitor, not a scoring API (--api takes the scoring API's address)\n"
        )
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", api.address])
        #expect(status.status == 1)
        #expect(
            status.error.hasPrefix("error: \(api.address) is a Sentinel scoring API, not a monitor"), "\(status.error)")
        let watch = try await BuiltProducts.run("sentinel", ["status", "--monitor", api.address, "--watch"])
        #expect(watch.status == 1)
        let health = try await BuiltProducts.run("sentinel", ["health", "--api", monitor.address])
        #expect(health.status == 1)
        #expect(health.error.hasPrefix("error: \(monitor.address) is a Sentinel monitor, not a scoring API"))
        let healthy = try await BuiltProducts.run("sentinel", ["health", "--api", api.address])
        #expect(healthy.status == 0)
        _ = await api.terminate()
        _ = await monitor.terminate()
    }

    @Test("an HTTP port is named from its first bytes; a silent one is called out when the deadline passes")
    func httpPeer() async throws {
        let server = try AnsweringServer(answer: "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", "127.0.0.1:\(server.port)"])
        #expect(status.status == 1)
        #expect(
            status.error.contains(
                "127.0.0.1:\(server.port) is an HTTP server, not a Sentinel RPC port: it answered 'HTTP/1.1 400 Bad Request'"
            ), "\(status.error)")
        let other = try AnsweringServer(answer: "+OK ready\r\n")
        let score = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", "127.0.0.1:\(other.port)", "--data", "data/creditcard-sample.csv.gz"])
        #expect(score.status == 1)
        #expect(score.error.contains("127.0.0.1:\(other.port) is not a Sentinel service: it answered '+OK ready'"))

        // The dashboard's port waits for an HTTP request line: nothing comes back before the deadline.
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let dashboard = try #require(
            monitor.errors.split(separator: "\n").first { $0.hasPrefix("dashboard on http://") }.map {
                String($0.dropFirst("dashboard on http://".count).dropLast())
            })
        let silent = try await BuiltProducts.run("sentinel", ["status", "--monitor", dashboard, "--timeout", "0.5"])
        #expect(silent.status == 1)
        #expect(silent.error.contains("\(dashboard) accepted the connection but sent nothing back"), "\(silent.error)")
        _ = await monitor.terminate()
    }

    private func spool() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("wrong-peer-spool-\(UUID())").path
    }
}

/// A loopback TCP server that answers every connection's first bytes with a fixed text and closes: a stand-in for
/// an HTTP server or another protocol.
///
/// `@unchecked Sendable` invariant: `fd` and `port` are set in `init` and never change; the accept thread only
/// reads them.
final class AnsweringServer: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    init(answer: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = UInt16(bigEndian: address.sin_port)
        let listener = fd
        let bytes = Array(answer.utf8)
        Thread.detachNewThread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(client)
            }
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
