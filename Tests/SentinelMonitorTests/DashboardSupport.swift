import Foundation
import SentinelHTTP
import SentinelMonitor
import SentinelPosix

/// Runs the dashboard's routes on 127.0.0.1:0 for the duration of `body`.
func withDashboardServer<Result: Sendable>(
    _ dashboard: Dashboard, _ body: (UInt16) async throws -> Result
) async throws -> Result {
    let server = try HTTPServer(host: "127.0.0.1", port: 0, router: dashboard.makeRouter())
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await server.run() }
        do {
            let result = try await body(server.address.port)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// A response as the test client saw it.
struct FetchedResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
}

/// One GET with `Connection: close`, read to the end on a thread of its own (off the cooperative pool).
func httpGet(port: UInt16, path: String) async throws -> FetchedResponse {
    let raw = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Result { try blockingGet(port: port, path: path) })
        }
    }
    guard let split = raw.range(of: "\r\n\r\n") else { throw FetchError(text: "no response head in \(raw)") }
    let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        let parts = line.split(separator: ":", maxSplits: 1)
        headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    return FetchedResponse(status: status, headers: headers, body: String(raw[split.upperBound...]))
}

/// A failed test fetch.
struct FetchError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

private func blockingGet(port: UInt16, path: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard status == 0 else { throw FetchError(text: "connect failed: errno \(errno)") }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if got <= 0 { break }
        result += buffer[0..<got]
    }
    return String(decoding: result, as: UTF8.self)
}
