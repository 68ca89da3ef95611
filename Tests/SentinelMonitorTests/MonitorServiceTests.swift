import Foundation
import SentinelMetrics
import SentinelMonitor
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@Suite("Monitor service with its durable store", .serialized)
struct MonitorServiceTests {
    typealias F = MonitorFixtures

    /// A fresh state directory, removed at the end of the test.
    final class Directory: Sendable {
        let path = FileManager.default.temporaryDirectory.path + "/sentinel-moncore-" + UUID().uuidString
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    func open(_ directory: Directory, clock: TestClock, log: LogLines = LogLines()) throws -> MonitorService {
        try MonitorService.open(
            settings: F.settings(), stateDirectory: directory.path, logger: log.logger, clock: clock.function)
    }

    @Test("events sent twice, out of order and across a restart are counted exactly once")
    func exactlyOnceAcrossRestart() async throws {
        let directory = Directory()
        let clock = TestClock()
        var service = try open(directory, clock: clock)
        _ = try await service.register(F.registration())
        var ack = try await service.ingest(F.batch("p1", 1...100))
        #expect(ack.accepted == 100)
        ack = try await service.ingest(F.batch("p1", 151...200))
        #expect(ack.gaps.map { $0.first...$0.last } == [101...150])
        ack = try await service.ingest(F.batch("p1", 1...100))
        #expect(ack.duplicates == 100 && ack.accepted == 0)
        clock.advance(microseconds: 1_500_000)
        _ = try await service.ingest(F.batch("p2", 1...10))
        #expect(service.snapshot().eventsTotal == 160)
        await service.close()

        // Restart on the same directory: the snapshot written at close.
        service = try open(directory, clock: clock)
        #expect(service.snapshot().eventsTotal == 160)
        ack = try await service.ingest(F.batch("p1", 90...160))
        #expect(ack.accepted == 50 && ack.duplicates == 21)
        ack = try await service.ingest(F.batch("p2", 1...10))
        #expect(ack.duplicates == 10)
        let view = service.snapshot(MonitorSnapshotRequest(historyWindows: 10))
        #expect(view.eventsTotal == 210)
        #expect(view.producers.map(\.missing) == [0, 0])
        #expect(view.history.map(\.events) == [200 - 50])
        await service.close()
    }

    @Test("without any snapshot the log alone restores the same state")
    func logReplay() async throws {
        let directory = Directory()
        let clock = TestClock()
        let first = try open(directory, clock: clock)
        _ = try await first.register(F.registration())
        for start in stride(from: UInt64(1), through: 901, by: 100) {
            _ = try await first.ingest(F.batch("p1", start...(start + 99), drifted: start > 500))
            clock.advance(microseconds: 400_000)
        }
        _ = try await first.reportLabels(
            ReportLabelsRequest(labels: [ReportLabelsRequest.Label(transactionId: "tx-5", label: .fraud)]))
        let expected = first.snapshot(MonitorSnapshotRequest(historyWindows: 100))
        await first.close()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasPrefix("snapshot")
        {
            try FileManager.default.removeItem(atPath: directory.path + "/" + file)
        }
        let log = LogLines()
        let second = try open(directory, clock: clock, log: log)
        var restored = second.snapshot(MonitorSnapshotRequest(historyWindows: 100))
        #expect(log.matching("\"snapshot\":\"none\"").count == 1)
        #expect(restored.eventsTotal == 1_000)
        #expect(restored.startedAtMicroseconds == expected.startedAtMicroseconds)
        #expect(restored.history.map(\.events) == expected.history.map(\.events))
        #expect(restored.alerts.map(\.feature) == expected.alerts.map(\.feature))
        #expect(restored.labelMetrics.map(\.labelled) == expected.labelMetrics.map(\.labelled))
        var original = expected
        original.labelMetrics = []
        restored.labelMetrics = []
        // A precision without labels is NaN, which never compares equal either.
        for index in original.models.indices { original.models[index].labelPerformance = .init() }
        for index in restored.models.indices { restored.models[index].labelPerformance = .init() }
        original.generatedAtMicroseconds = 0
        restored.generatedAtMicroseconds = 0
        #expect(original == restored)
        await second.close()
    }

    @Test("concurrent batches from 4 producers: every acknowledged event is counted once after restart")
    func concurrentProducers() async throws {
        let directory = Directory()
        let clock = TestClock()
        let service = try open(directory, clock: clock)
        _ = try await service.register(F.registration())
        let accepted = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for producer in 0..<4 {
                group.addTask {
                    var total: UInt64 = 0
                    for start in stride(from: UInt64(1), through: 451, by: 50) {
                        // Each batch is sent twice, as a producer retrying after a lost ack would.
                        total += try await service.ingest(F.batch("p\(producer)", start...(start + 49))).accepted
                        total += try await service.ingest(F.batch("p\(producer)", start...(start + 49))).accepted
                    }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(accepted == 2_000)
        let statistics = try #require(service.store?.statistics)
        #expect(statistics.records >= 81)
        await service.close()
        let reopened = try open(directory, clock: clock)
        #expect(reopened.snapshot().eventsTotal == 2_000)
        await reopened.close()
    }

    @Test("alert transitions are logged once as JSON lines, with the reason and values")
    func alertLogLines() async throws {
        let log = LogLines()
        let clock = TestClock()
        let service = try MonitorService.open(settings: F.settings(), logger: log.logger, clock: clock.function)
        _ = try await service.register(F.registration())
        _ = try await service.ingest(F.batch("p1", 1...50, drifted: true))
        clock.advance(microseconds: 1_000_000)
        service.tick()
        service.tick()
        _ = service.snapshot()
        let lines = log.matching("\"alert transition\"").filter { $0.contains("\"subject\":\"a0\"") }
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["from"] as? String == "ok" && object["to"] as? String == "alert")
        #expect(object["threshold"] as? Double == 0.25)
        #expect((object["value"] as? Double ?? 0) > 0.25)
        #expect((object["reason"] as? String)?.contains("at or above the alert threshold 0.25, for 1 window") == true)
        #expect(object["model_version"] as? String == "v1")
        await service.close()
    }

    @Test("the RPC handlers answer with the documented status codes")
    func rpcStatus() async throws {
        let service = try MonitorService.open(settings: F.settings(), logger: LogLines().logger)
        var router = Router()
        service.register(on: &router)
        #expect(router.methods.count == 5)
        // Events before registration: FAILED_PRECONDITION through the service's error mapping.
        do {
            _ = try await service.ingest(F.batch("p1", 1...3))
            Issue.record("accepted events of an unregistered model")
        } catch let error as MonitorError {
            #expect(error.rpcError.code == .failedPrecondition)
        }
        let metrics = service.metrics.registry.renderPrometheus()
        #expect(metrics.contains("sentinel_monitor_rejected_batches_total 1"))
        _ = try await service.register(F.registration())
        _ = try await service.ingest(F.batch("p1", 1...3))
        #expect(service.metrics.registry.renderPrometheus().contains("sentinel_monitor_events_total 3"))
    }
}
