import Foundation
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

/// A scoring replica killed mid-stream and restarted on its spool: the monitor's accounting must state the loss
/// exactly — events scored = events counted + sequence numbers missing — not the replica's reserved block.
@Suite(
    "an API replica SIGKILLed and restarted on its spool", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct ReplicaCrashTests {
    static func score(_ api: RunningService, rows: Range<Int>) async throws {
        try await TCPClient.withClient(address: ScoringAPITests.address(api)) { client in
            let batch = ScoreBatchRequest(transactions: rows.map(ScoringAPITests.transaction))
            let reply = try await ScoringAPITests.call(client, .scoringScoreBatch, batch, as: ScoreBatchResponse.self)
            #expect(reply.items.count == rows.count)
        }
    }

    @Test("after SIGKILL and a restart, scored = counted + missing, and the gap is only what was lost")
    func exactLoss() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("crash-spool-\(UUID())")
        defer { try? FileManager.default.removeItem(at: spool) }
        let arguments = ["--monitor", monitor.address, "--spool-dir", spool.path]
        let first = try await RunningService.startAPI(model: APIModels.firstPath, arguments: arguments)
        try await Self.score(first, rows: 0..<200)
        first.signal(SIGKILL)
        #expect(await first.waitForExit() != nil)
        let second = try await RunningService.startAPI(model: APIModels.firstPath, arguments: arguments)
        try await Self.score(second, rows: 200..<300)

        // Wait for the restarted replica's events: its highest sequence bounds what was assigned.
        var producer = MonitorSnapshotResponse.Producer()
        var counted: UInt64 = 0
        try await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: monitor.port)) { client in
            let deadline = ContinuousClock.now + .seconds(20)
            repeat {
                let snapshot = try MonitorSnapshotResponse(
                    serializedBytes: try await client.call(
                        .monitorSnapshot, payload: MonitorSnapshotRequest().serializedBytes(), timeout: .seconds(5)))
                producer = snapshot.producers.first ?? producer
                counted = snapshot.eventsTotal
                if snapshot.producers.count == 1 && counted + producer.missing == 300 && counted >= 100 { break }
                try await Task.sleep(for: .milliseconds(50))
            } while ContinuousClock.now < deadline
        }
        #expect(counted + producer.missing == 300, "counted \(counted), missing \(producer.missing)")
        #expect(producer.lastSequence == 300, "the restart resumed after the last sequence used")
        #expect(second.log.contains("resuming after the last sequence used, not the lease end"))
        #expect(await second.terminate() == 0)
        #expect(await monitor.terminate() == 0)
    }
}
