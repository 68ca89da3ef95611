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
