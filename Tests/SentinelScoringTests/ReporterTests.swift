import Foundation
import Glibc
import SentinelDrift
import SentinelLock
import SentinelLog
import SentinelModel
import SentinelPosix
import SentinelSchema
import Synchronization
import Testing

@testable import SentinelScoring

@Suite("Event reporter", .serialized)
struct ReporterTests {
    @Test("All events arrive in order with strictly increasing sequence numbers")
    func deliversInOrder() async throws {
        let receiver = TestReceiver()
        var configuration = ReporterFixtures.configuration(port: 9, directory: ReporterFixtures.temporaryDirectory())
        configuration.pendingCapacityBytes = 8 << 20  // room in memory for everything: nothing should touch the spool
        let reporter = try EventReporter.inProcess(
            configuration: configuration, transport: InProcessTransport(router: receiver.router))
        let running = RunningReporter.start(reporter)
        for index in 1...5_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount == 5_000 })
        await running.stop()

        #expect(receiver.firstArrivals == Array(1...5_000))
        #expect(receiver.problems.isEmpty)
        let transactions = receiver.state.withLock { $0.transactions }
        #expect(transactions[1] == "tx-1" && transactions[5_000] == "tx-5000")
        #expect(receiver.state.withLock { $0.producers } == ["test-producer"])
        let stats = reporter.statistics
        #expect(stats.acknowledged == 5_000)
        #expect(stats.lastSequence == 5_000)
        #expect(stats.dropped == 0 && stats.spooled == 0 && stats.queued == 0)
    }

    @Test("Receiver down at start: events are spooled, then replayed in order before live events")
    func spoolsThenReplays() async throws {
        let receiver = TestReceiver()
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        let logs = LogLines()
        let reporter = try EventReporter(
            configuration: ReporterFixtures.configuration(port: port, directory: directory),
            log: JSONLog(sink: logs.sink))
        let running = RunningReporter.start(reporter)
        for index in 1...3_000 { reporter.record(ReporterFixtures.event(index)) }
        // Wait for a failed delivery attempt too, so the test covers the "unreachable" path, not only overflow.
        #expect(await eventually { reporter.statistics.spooled == 3_000 && reporter.statistics.lastError != nil })
        #expect(reporter.statistics.spoolEvents == 3_000)
        #expect(!reporter.statistics.monitorReachable)
        #expect(!ReporterFixtures.segments(in: directory).isEmpty)

        let monitor = try RunningReceiver.start(receiver, port: port)
        for index in 3_001...4_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount == 4_000 })
        await running.stop()
        try await monitor.stop()

        #expect(receiver.firstArrivals == Array(1...4_000))
        #expect(receiver.problems.isEmpty)
        // The replay coalesces consecutive spooled batches (of 100) into one request up to 1 MiB.
        let largest = receiver.state.withLock { $0.batches.map(\.count).max() ?? 0 }
        #expect(largest > 100)
        let stats = reporter.statistics
        #expect(stats.replayed >= 3_000)
        #expect(stats.spoolEvents == 0)
        #expect(stats.dropped == 0)
        #expect(ReporterFixtures.segments(in: directory).isEmpty, "acknowledged segments are deleted")
        #expect(!logs.containing("monitor unreachable").isEmpty)
        #expect(!logs.containing("spool replay started").isEmpty)
    }

    @Test("Receiver killed mid-stream and restarted: nothing lost, resends carry the same (producer, sequence)")
    func survivesReceiverRestart() async throws {
        let receiver = TestReceiver()
        let port = try ReporterFixtures.freePort()
        var monitor = try RunningReceiver.start(receiver, port: port)
        let directory = ReporterFixtures.temporaryDirectory()
        let reporter = try EventReporter(
            configuration: ReporterFixtures.configuration(port: port, directory: directory), log: JSONLog { _ in })
        let running = RunningReporter.start(reporter)
        for index in 1...2_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount >= 500 })
        try await monitor.stop()
        for index in 2_001...4_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { reporter.statistics.spoolEvents > 0 })
        monitor = try RunningReceiver.start(receiver, port: port)
        for index in 4_001...6_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount == 6_000 })
        await running.stop()
        try await monitor.stop()

        // Every event arrived, once as a first arrival. Not necessarily in order: a request still pending on the
        // stopped receiver's connection (it answers "shutting down" late) can be overtaken by a later request on
        // the new connection; its batches are then resent. The monitor's (producer, sequence) tracking absorbs that.
        #expect(receiver.firstArrivals.sorted() == Array(1...6_000))
        #expect(receiver.problems.isEmpty, "a resent sequence always carries the same event")
        #expect(reporter.statistics.dropped == 0)
    }

    @Test("Spool full: what memory cannot hold either is dropped, counted exactly, and the monitor is told")
    func countsDropsWhenSpoolIsFull() async throws {
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = ReporterFixtures.configuration(port: port, directory: directory)
        configuration.segmentBytes = 8_192
        configuration.spoolCapacityBytes = 16_384
        configuration.batchSize = 10
        let logs = LogLines()
        let reporter = try EventReporter(configuration: configuration, log: JSONLog(sink: logs.sink))
        // Recorded before the start, so that one take hands every event over at once and the counts then stay put.
        for index in 1...2_000 { reporter.record(ReporterFixtures.event(index)) }
        let running = RunningReporter.start(reporter)
        // Every event is spooled, kept in memory behind the spool (64,000 bytes), or dropped: 2,000 events of about
        // 65 bytes are more than both hold.
        #expect(
            await eventually {
                let stats = reporter.statistics
                return stats.spooled + stats.queued + stats.dropped == 2_000 && stats.dropped > 0
            })
        let stats = reporter.statistics
        #expect(stats.dropped > 0)
        #expect(stats.spooled > 0)
        #expect(stats.spoolEvents == stats.spooled)
        #expect(stats.spoolBytes <= 16_384)
        let kept = stats.queued
        #expect(kept > 0)
        // The line follows the counters by a moment (the drain thread counts, then logs).
        #expect(await eventually { !logs.containing("the spool cannot take events; keeping them in memory").isEmpty })

        let receiver = TestReceiver()
        let monitor = try RunningReceiver.start(receiver, port: port)
        #expect(await eventually { receiver.distinctCount == Int(stats.spooled + kept) })
        // Until the reporter has the acks the spool is still full (the receiver counts a batch before it acks it).
        #expect(await eventually { reporter.statistics.spoolEvents == 0 && reporter.statistics.monitorReachable })
        reporter.record(ReporterFixtures.event(2_001))
        #expect(await eventually { receiver.distinctCount == Int(stats.spooled + kept) + 1 })
        #expect(receiver.firstArrivals == receiver.firstArrivals.sorted(), "the spool first, then memory, in order")
        await running.stop()
        try await monitor.stop()

        #expect(reporter.statistics.dropped == stats.dropped, "no drop once the monitor is back")
        #expect(receiver.state.withLock { $0.lastDroppedTotal } == stats.dropped)
        #expect(receiver.firstArrivals.last == 2_001)
        let logged = logs.containing("events dropped").filter { $0.contains("spool full") }
        #expect(!logged.isEmpty)
    }

    @Test("A restarted reporter continues the sequence and replays the remaining spool")
    func restartContinuesSequence() async throws {
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = ReporterFixtures.configuration(port: port, directory: directory)
        configuration.producerId = nil
        let first = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        let producer = first.producerId
        #expect(!producer.isEmpty)
        var running = RunningReporter.start(first)
        for index in 1...300 { first.record(ReporterFixtures.event(index)) }
        await running.stop()
        #expect(first.statistics.spoolEvents == 300)

        let receiver = TestReceiver()
        let monitor = try RunningReceiver.start(receiver, port: port)
        let second = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        #expect(second.producerId == producer, "the producer id is kept in the spool directory")
        running = RunningReporter.start(second)
        for index in 301...500 { second.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount == 500 })
        await running.stop()
        try await monitor.stop()

        #expect(receiver.firstArrivals == Array(1...500))
        let transactions = receiver.state.withLock { $0.transactions }
        #expect(transactions[301] == "tx-301" && transactions[500] == "tx-500")
        #expect(receiver.state.withLock { $0.producers } == [producer])
        #expect(second.statistics.lastSequence == 500)
    }

    @Test("A torn last record is skipped with a log line; the records before it are replayed")
    func skipsTornRecord() async throws {
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        let configuration = ReporterFixtures.configuration(port: port, directory: directory)
        let first = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        // Recorded before the reporter runs, so the first drain takes all 500: five records of 100.
        for index in 1...500 { first.record(ReporterFixtures.event(index)) }
        var running = RunningReporter.start(first)
        await running.stop()
        let segments = ReporterFixtures.segments(in: directory)
        #expect(segments.count == 1)
        let segment = try #require(segments.last)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(truncate(segment, off_t(size - 10)) == 0)

        let logs = LogLines()
        let receiver = TestReceiver()
        let monitor = try RunningReceiver.start(receiver, port: port)
        let second = try EventReporter(configuration: configuration, log: JSONLog(sink: logs.sink))
        #expect(second.statistics.corruptRecords == 1)
        #expect(second.statistics.spoolEvents == 400)
        running = RunningReporter.start(second)
        second.record(ReporterFixtures.event(501))
        #expect(await eventually { receiver.distinctCount == 401 })
        await running.stop()
        try await monitor.stop()

        #expect(receiver.firstArrivals == Array(1...400) + [501])
        #expect(logs.containing("spool record skipped").count == 1)
    }

    @Test("Garbage in a segment header and a corrupt checksum are skipped, never a crash")
    func skipsCorruptSegments() async throws {
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        let configuration = ReporterFixtures.configuration(port: port, directory: directory)
        let first = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        for index in 1...300 { first.record(ReporterFixtures.event(index)) }  // one drain: three records of 100
        let running = RunningReporter.start(first)
        await running.stop()
        let segment = try #require(ReporterFixtures.segments(in: directory).first)
        // Flip one payload byte of the second record: its CRC no longer matches.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        let firstLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let second = 8 + 28 + firstLength
        bytes[second + 40] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        try Data("not a spool".utf8).write(to: URL(fileURLWithPath: directory + "/segment-00000000000000000099.spool"))

        let reopened = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        #expect(reopened.statistics.corruptRecords == 2)
        #expect(reopened.statistics.spoolEvents == 100)
        #expect(FileManager.default.fileExists(atPath: directory + "/segment-00000000000000000099.spool.corrupt"))
    }

    @Test("Model versions are registered before the first batch and again after a reconnect")
    func registersModels() async throws {
        let artifact = try ReporterFixtures.artifact()
        let receiver = TestReceiver()
        let monitor = InProcessTransport(router: receiver.router)
        let directory = ReporterFixtures.temporaryDirectory()
        let reporter = try EventReporter.inProcess(
            configuration: ReporterFixtures.configuration(port: 9, directory: directory), transport: monitor)
        reporter.registerModel(version: "m1", artifact: artifact)
        let running = RunningReporter.start(reporter)
        for index in 1...100 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.distinctCount == 100 })
        #expect(reporter.registeredModelVersions == ["m1"])
        monitor.reachable.store(false, ordering: .relaxed)
        reporter.registerModel(version: "m2", artifact: artifact)
        for index in 101...200 { reporter.record(ReporterFixtures.event(index, modelVersion: "m2")) }
        #expect(await eventually { reporter.statistics.spoolEvents == 100 })
        monitor.reachable.store(true, ordering: .relaxed)
        #expect(await eventually { receiver.distinctCount == 200 })
        await running.stop()

        let registrations = receiver.state.withLock { $0.registrations }
        #expect(registrations.first?.version == "m1" && registrations.first?.beforeBatch == 0)
        let afterReconnect = registrations.dropFirst().map(\.version)
        #expect(afterReconnect == ["m1", "m2"], "every known version is registered again on reconnect")
    }

    @Test("The wire profile mirrors the artifact's reference profile")
    func convertsProfile() throws {
        let artifact = try ReporterFixtures.artifact()
        let request = RegisterModelRequest(modelVersion: "v", artifact: artifact, producerId: "p")
        #expect(request.reference.features.map(\.name) == artifact.reference.features.map(\.name))
        #expect(request.reference.features[0].edges == artifact.reference.features[0].edges)
        #expect(request.reference.score.proportions == artifact.reference.score.proportions)
        #expect(request.reference.score.count == UInt64(artifact.reference.score.count))
        #expect(request.reference.baseFlagRate == artifact.reference.baseFlagRate)
        #expect(request.threshold == artifact.threshold)
        #expect(request.learner == "logistic")
    }

    @Test("Shutdown with the monitor down spools every queued event; nothing is lost silently")
    func shutdownSpools() async throws {
        let port = try ReporterFixtures.freePort()
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = ReporterFixtures.configuration(port: port, directory: directory)
        configuration.maximumBatchDelay = .seconds(60)  // nothing is drained before the shutdown
        configuration.batchSize = 100_000
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        let running = RunningReporter.start(reporter)
        for index in 1...1_234 { reporter.record(ReporterFixtures.event(index)) }
        await running.stop()
        reporter.record(ReporterFixtures.event(9_999))
        let stats = reporter.statistics
        #expect(stats.spooled == 1_234)
        #expect(stats.spoolEvents == 1_234)
        #expect(stats.dropped == 1, "an event recorded after shutdown is counted as dropped")
    }

    @Test("A full hand-off queue drops exactly the excess; the dropped sequence numbers are gaps, not reused")
    func countsQueueOverflow() async throws {
        let receiver = TestReceiver()
        let port = try ReporterFixtures.freePort()
        let monitor = try RunningReceiver.start(receiver, port: port)
        var configuration = ReporterFixtures.configuration(port: port, directory: ReporterFixtures.temporaryDirectory())
        configuration.queueCapacity = 100
        let logs = LogLines()
        let reporter = try EventReporter(configuration: configuration, log: JSONLog(sink: logs.sink))
        // Not running yet: nothing drains the queue.
        for index in 1...150 { reporter.record(ReporterFixtures.event(index)) }
        #expect(reporter.statistics.dropped == 50)
        #expect(reporter.statistics.queued == 100)
        #expect(reporter.statistics.recorded == 150)
        let running = RunningReporter.start(reporter)
        #expect(await eventually { receiver.distinctCount == 100 })
        reporter.record(ReporterFixtures.event(151))
        #expect(await eventually { receiver.distinctCount == 101 })
        await running.stop()
        try await monitor.stop()

        #expect(receiver.firstArrivals == Array(1...100) + [151])
        #expect(receiver.state.withLock { $0.lastDroppedTotal } == 50)
        #expect(logs.containing("events dropped").contains { $0.contains("queue full") && $0.contains("\"count\":50") })
    }

    @Test("A second reporter on the same spool directory is refused")
    func lockedDirectory() throws {
        let directory = ReporterFixtures.temporaryDirectory()
        let configuration = ReporterFixtures.configuration(port: 9, directory: directory)
        let first = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        #expect(throws: ReportingError(.spoolInUse, "spool directory \(directory) is in use by another reporter")) {
            try EventReporter(configuration: configuration, log: JSONLog { _ in })
        }
        _ = first
    }

    @Test(
        "After a crash the reporter resumes after the last sequence used (mark from this boot), else after the lease",
        arguments: [true, false])
    func resumesAfterCrash(sameBoot: Bool) throws {
        let directory = ReporterFixtures.temporaryDirectory()
        // What a SIGKILLed reporter leaves: the state file at the lease end, the mark at the last number assigned.
        try ReporterState(producerId: "api-crashed", sequence: 1_048_676).write(in: directory)
        do {
            let mark = try PersistentMark(
                path: directory + "/reporter-mark", bootID: sameBoot ? PersistentMark.currentBootID() : "x")
            mark.store(100)
        }
        let configuration = ReporterFixtures.configuration(port: 9, directory: directory)
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        #expect(reporter.statistics.lastSequence == (sameBoot ? 100 : 1_048_676))
        // The new process records its own start at once: a crash before its first event resumes there again.
        #expect(try PersistentMark(path: directory + "/reporter-mark").recovered == (sameBoot ? 100 : 1_048_676))
    }

    @Test("the resumption rule: exact mark within the lease and above the spool, else the lease end")
    func resumptionRule() {
        let log = JSONLog { _ in }
        #expect(EventReporter.resumeSequence(stored: nil, mark: 7, spooled: 3, log: log) == 3, "first start")
        #expect(EventReporter.resumeSequence(stored: 500, mark: 500, spooled: 0, log: log) == 500, "clean stop")
        #expect(EventReporter.resumeSequence(stored: 1_000, mark: 120, spooled: 90, log: log) == 120, "crash")
        #expect(EventReporter.resumeSequence(stored: 1_000, mark: nil, spooled: 90, log: log) == 1_000, "no mark")
        #expect(EventReporter.resumeSequence(stored: 1_000, mark: 2_000, spooled: 0, log: log) == 1_000, "mark > lease")
        #expect(EventReporter.resumeSequence(stored: 1_000, mark: 50, spooled: 90, log: log) == 1_000, "mark < spool")
    }

    @Test("A corrupt state file stops startup with a clear error")
    func corruptState() throws {
        let directory = ReporterFixtures.temporaryDirectory()
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: directory + "/reporter-state"))
        let configuration = ReporterFixtures.configuration(port: 9, directory: directory)
        let error = #expect(throws: ReportingError.self) {
            try EventReporter(configuration: configuration, log: JSONLog { _ in })
        }
        #expect(error?.code == .stateCorrupt)
    }

    @Test("Invalid configuration values are rejected", arguments: [0, -1])
    func invalidConfiguration(batchSize: Int) throws {
        var configuration = ReporterFixtures.configuration(port: 9, directory: ReporterFixtures.temporaryDirectory())
        configuration.batchSize = batchSize
        let error = #expect(throws: ReportingError.self) {
            try EventReporter(configuration: configuration, log: JSONLog { _ in })
        }
        #expect(error?.code == .invalidConfiguration)
    }
}
