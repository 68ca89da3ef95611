import Foundation
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@Suite(
    "both services over IPv6 loopback", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct IPv6Tests {
    @Test("the API on ::1 scores and reports every event to a monitor on [::1]; health answers there")
    func scoreAndReport() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--host", "::1", "--http-port", "0"])
        #expect(monitor.errors.contains("listening on [::1]:\(monitor.port)\n"), "\(monitor.errors)")
        #expect(monitor.errors.contains("dashboard on http://[::1]:"), "\(monitor.errors)")
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("ipv6-spool-\(UUID())")
        defer { try? FileManager.default.removeItem(at: spool) }
        let api = try await RunningService.startAPI(
            model: APIModels.firstPath, host: "::1",
            arguments: ["--monitor", "[::1]:\(monitor.port)", "--spool-dir", spool.path])
        #expect(api.errors.contains("listening on [::1]:\(api.port)\n"), "\(api.errors)")

        let health = try await BuiltProducts.run("sentinel", ["health", "--api", "[::1]:\(api.port)"])
        #expect(health.status == 0, "\(health.output)")
        #expect(health.output.contains("SERVING"))

        let rows = 0..<40
        try await TCPClient.withClient(address: SocketAddress(host: "::1", port: api.port)) { client in
            let batch = ScoreBatchRequest(transactions: rows.map(ScoringAPITests.transaction))
            let reply = try ScoreBatchResponse(
                serializedBytes: try await client.call(
                    .scoringScoreBatch, payload: batch.serializedBytes(), timeout: .seconds(10)))
            #expect(reply.items.count == rows.count)
        }
        // The reporter batches in the background; wait (at most 15 s) until the monitor holds every event.
        let delivered = try await TCPClient.withClient(address: SocketAddress(host: "::1", port: monitor.port)) {
            client in
            let deadline = ContinuousClock.now + .seconds(15)
            var total: UInt64 = 0
            repeat {
                let snapshot = try MonitorSnapshotResponse(
                    serializedBytes: try await client.call(
                        .monitorSnapshot, payload: MonitorSnapshotRequest().serializedBytes(), timeout: .seconds(5)))
                total = snapshot.eventsTotal
                if total >= UInt64(rows.count) { break }
                try await Task.sleep(for: .milliseconds(50))
            } while ContinuousClock.now < deadline
            return total
        }
        #expect(delivered == UInt64(rows.count))
        #expect(await api.terminate() == 0)
        #expect(await monitor.terminate() == 0)
    }
}
