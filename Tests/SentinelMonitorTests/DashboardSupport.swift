import Foundation
import SentinelHTTP
import SentinelMonitor
import SentinelPosix
import SentinelTestSupport

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
    let socket = try LoopbackSocket(port: port)
    socket.sendAll(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    return String(decoding: socket.receiveToEnd().bytes, as: UTF8.self)
}
