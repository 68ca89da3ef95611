import SentinelLog
import SentinelPosix
import SentinelSchema
import Synchronization
import Testing

@testable import SentinelScoring

/// `--event-durability sync`: a request's wait ends once its events are in the synced spool, or fails when they
/// cannot get there.
@Suite("Event reporter: sync durability")
struct ReporterDurabilityTests {
    /// Sync-mode settings on a spool of its own, the monitor in process.
    static func configuration(directory: String) -> EventReporter.Configuration {
        var configuration = ReporterFixtures.configuration(port: 1, directory: directory)
        configuration.durability = .sync
        // A batch delay far beyond the test (the drain thread's own poll is then two minutes): sync mode must take
        // what is recorded when it is recorded.
        configuration.maximumBatchDelay = .seconds(600)
        return configuration
    }

    @Test("a wait ends once the event is in the synced spool; with the monitor down it stays there, then arrives")
    func waitEndsWhenSpooled() async throws {
        let receiver = TestReceiver()
        let transport = InProcessTransport(router: receiver.router)
        transport.reachable.store(false, ordering: .relaxed)
        let directory = ReporterFixtures.temporaryDirectory()
        let reporter = try EventReporter.inProcess(
            configuration: Self.configuration(directory: directory), transport: transport)
        let running = RunningReporter.start(reporter)
        let durable = TestCount()
        let writer = Task {
            for index in 1...20 {
                let receipt = reporter.record(ReporterFixtures.event(index))
                #expect(receipt == EventReceipt(sequences: UInt64(index)...UInt64(index), queued: true))
                try await reporter.waitUntilDurable(receipt)
                // Durable means written and synced: counted as spooled, and still in the spool (nothing acknowledged).
                let stats = reporter.statistics
                #expect(stats.spooled == UInt64(index))
                #expect(stats.spoolEvents == UInt64(index))
                durable.count.add(1, ordering: .relaxed)
            }
        }
        // Only the wake-up on each record ends the 20 waits within the bound: the drain's poll is two minutes.
        let woken = await eventually(timeout: .seconds(30)) { durable.count.load(ordering: .relaxed) == 20 }
        #expect(woken, "the drain thread did not wake on a record")
        if !woken { await running.stop() }  // ends the waits, so the test fails instead of hanging
        try await writer.value
        #expect(!ReporterFixtures.segments(in: directory).isEmpty)
        #expect(receiver.distinctCount == 0)

        transport.reachable.store(true, ordering: .relaxed)
        #expect(await eventually { receiver.distinctCount == 20 && reporter.statistics.spoolEvents == 0 })
        await running.stop()
        #expect(receiver.firstArrivals == Array(1...20))
        #expect(reporter.statistics.dropped == 0)
        #expect(reporter.statistics.replayed == 0, "in sync mode the spool is the way every event goes, not a replay")
    }

    @Test("concurrent requests, single events and batches, all wait for their own commit and all arrive once")
    func concurrentRequests() async throws {
        let receiver = TestReceiver()
        let transport = InProcessTransport(router: receiver.router)
        let reporter = try EventReporter.inProcess(
            configuration: Self.configuration(directory: ReporterFixtures.temporaryDirectory()), transport: transport)
        let running = RunningReporter.start(reporter)
        let failures = try await withThrowingTaskGroup(of: Int.self) { group in
            for request in 0..<200 {
                group.addTask {
                    let receipt: EventReceipt
                    if request.isMultiple(of: 4) {
                        receipt = try recordBatch(count: 5, from: 10_000 + request * 5, to: reporter)
                    } else {
                        receipt = reporter.record(ReporterFixtures.event(request))
                    }
                    do {
                        try await reporter.waitUntilDurable(receipt)
                        return 0
                    } catch {
                        return 1
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(failures == 0)
        let total = 150 + 50 * 5
        #expect(reporter.statistics.spooled == UInt64(total))
        #expect(await eventually { receiver.distinctCount == total })
        await running.stop()
        #expect(receiver.problems.isEmpty)
        #expect(Set(receiver.firstArrivals) == Set(1...UInt64(total)))
    }

    @Test("a full spool fails the waits of the events it cannot hold; every event whose wait succeeded arrives")
    func fullSpoolFailsTheWait() async throws {
        let receiver = TestReceiver()
        let transport = InProcessTransport(router: receiver.router)
        transport.reachable.store(false, ordering: .relaxed)
        var configuration = Self.configuration(directory: ReporterFixtures.temporaryDirectory())
        configuration.segmentBytes = 4_096
        configuration.spoolCapacityBytes = 8_192
        let logs = LogLines()
        let reporter = try EventReporter.inProcess(
            configuration: configuration, log: JSONLog(sink: logs.sink), transport: transport)
        let running = RunningReporter.start(reporter)
        var durable: [UInt64] = []
        var refusal: ReportingError?
        for index in 1...1_000 {
            let receipt = reporter.record(ReporterFixtures.event(index))
            do {
                try await reporter.waitUntilDurable(receipt)
                durable.append(receipt.sequences.lowerBound)
            } catch {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "8 KiB of spool took 1,000 events")
        #expect(error.code == .spoolUnavailable)
        #expect(error.message == "the spool is full; the events were dropped")
        #expect(!durable.isEmpty)
        #expect(reporter.statistics.dropped == 1)

        transport.reachable.store(true, ordering: .relaxed)
        #expect(await eventually { receiver.distinctCount == durable.count && reporter.statistics.spoolEvents == 0 })
        await running.stop()
        #expect(receiver.firstArrivals == durable, "every event answered as durable arrives; the refused one never")
        #expect(logs.containing("events dropped").contains { $0.contains("spool full") })
    }

    @Test("a cancelled wait still ends with its commit: the events are recorded and will be delivered")
    func cancelledWaitEndsWithTheCommit() async throws {
        let transport = InProcessTransport(router: TestReceiver().router)
        var configuration = Self.configuration(directory: ReporterFixtures.temporaryDirectory())
        configuration.maximumBatchDelay = .seconds(600)
        let reporter = try EventReporter.inProcess(configuration: configuration, transport: transport)
        let receipt = reporter.record(ReporterFixtures.event(1))
        // Not running yet: nothing commits, so the wait is still pending when it is cancelled.
        let wait = Task { try await reporter.waitUntilDurable(receipt) }
        wait.cancel()
        let running = RunningReporter.start(reporter)
        try await wait.value
        #expect(reporter.statistics.spooled == 1)
        await running.stop()
    }

    @Test("after the shutdown a record is refused at once; in async mode a wait never waits")
    func refusedAfterShutdownAndAsyncNeverWaits() async throws {
        let transport = InProcessTransport(router: TestReceiver().router)
        let reporter = try EventReporter.inProcess(
            configuration: Self.configuration(directory: ReporterFixtures.temporaryDirectory()), transport: transport)
        let running = RunningReporter.start(reporter)
        try await reporter.waitUntilDurable(reporter.record(ReporterFixtures.event(1)))
        await running.stop()
        let late = reporter.record(ReporterFixtures.event(2))
        #expect(late == EventReceipt(sequences: 2...2, queued: false))
        await #expect(throws: ReportingError.self) { try await reporter.waitUntilDurable(late) }

        // Async mode, never started: nothing drains, and the wait returns at once all the same.
        var asyncConfiguration = ReporterFixtures.configuration(
            port: 1, directory: ReporterFixtures.temporaryDirectory())
        asyncConfiguration.durability = .async
        let idle = try EventReporter.inProcess(configuration: asyncConfiguration, transport: transport)
        try await idle.waitUntilDurable(idle.record(ReporterFixtures.event(1)))
        #expect(idle.statistics.spooled == 0)
    }
}

/// Records a batch of `count` transactions through the reporter's batch path, read in place from a ScoreBatch
/// request as the scoring service records them.
func recordBatch(count: Int, from start: Int, to reporter: EventReporter) throws -> EventReceipt {
    let transactions = (start..<(start + count)).map {
        Transaction(
            id: "tx-\($0)", eventTimeMicroseconds: Int64($0), cardId: "card", terminalId: "t", amount: 1,
            features: [Double($0), 1.5, -2.25])
    }
    return try ScoreBatchRequest(transactions: transactions).serializedBytes().withUnsafeBytes { bytes in
        try ScoreBatchRequest.withView(serializedBytes: bytes) { view in
            let events = view.transactions.map {
                ScoredTransactionView(
                    transaction: $0, scoredAtMicroseconds: 5, fraudProbability: 0.5, decision: .pass,
                    serverLatencyNanoseconds: 3)
            }
            return events.withUnsafeBufferPointer { reporter.record(batch: $0, modelVersion: "m1") }
        }
    }
}
