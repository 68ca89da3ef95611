import Foundation
import Glibc
import SentinelLock
import SentinelLog
import SentinelSchema
import Synchronization
import Testing

@testable import SentinelScoring

@Suite("Event reporter: retention and resends to a monitor that lost acknowledged events", .serialized)
struct ReporterRetentionTests {
    /// A batch of `first...last` with a payload of `bytes` bytes.
    static func record(_ first: UInt64, _ last: UInt64, bytes: Int = 100) -> SpoolRecord {
        SpoolRecord(
            firstSequence: first, lastSequence: last, eventCount: Int(last - first + 1),
            payload: [UInt8](repeating: 1, count: bytes))
    }

    @Test("pruned oldest first: beyond the byte bound, and once older than the time bound")
    func prunes() {
        let start = ContinuousClock.now
        var retention = Retention(capacityBytes: 250, duration: .seconds(60), floor: 1)
        retention.add([Self.record(1, 10), Self.record(11, 20)], at: start)
        #expect(retention.count == 2 && retention.bytes == 200 && retention.floor == 1)
        retention.add([Self.record(21, 30)], at: start + .seconds(30))
        #expect(retention.count == 2 && retention.bytes == 200 && retention.floor == 11)
        retention.prune(at: start + .seconds(61))
        #expect(retention.count == 1 && retention.floor == 21)
        retention.prune(at: start + .seconds(91))
        #expect(retention.count == 0 && retention.bytes == 0 && retention.floor == 31)
        #expect(retention.heldPayloadBytes == 0, "a pruned batch's payload is released at once")
        // Many more batches than the bound holds: the storage never keeps the pruned ones' payloads.
        for batch in 0..<3_000 {
            let first = 31 + UInt64(batch) * 10
            retention.add([Self.record(first, first + 9)], at: start + .seconds(100))
            #expect(retention.heldPayloadBytes == retention.bytes)
        }
        #expect(retention.bytes == 200)
    }

    @Test("a retained batch in a gap is resent once, and again only after its gap closed")
    func resendsOnce() {
        let now = ContinuousClock.now
        var retention = Retention(capacityBytes: 1 << 20, duration: .seconds(60), floor: 1)
        retention.add([Self.record(1, 10), Self.record(11, 20), Self.record(21, 30)], at: now)
        let first = retention.resendable(for: [12...25], outstandingFrom: .max)
        #expect(first.resend.map(\.firstSequence) == [11, 21])
        #expect(first.unrecoverable.isEmpty)
        #expect(retention.resendable(for: [12...25], outstandingFrom: .max).resend.isEmpty)
        // Still missing after the resend (the monitor declared them lost): never resent again.
        retention.resent([11], gaps: [12...15])
        #expect(retention.resendable(for: [12...15], outstandingFrom: .max).resend.isEmpty)
        // Delivered: a later restore may need it again.
        retention.resent([21], gaps: [])
        #expect(retention.resendable(for: [21...21], outstandingFrom: .max).resend.map(\.firstSequence) == [21])
    }

    @Test("what a gap lacks below the retention is reported exactly, once; numbers still outstanding are not")
    func statesLossBeyondRetention() {
        let now = ContinuousClock.now
        // This process started after sequence 100: nothing below 101 is retained.
        var retention = Retention(capacityBytes: 1 << 20, duration: .seconds(60), floor: 101)
        retention.add([Self.record(101, 150), Self.record(171, 200)], at: now)
        let matches = retention.resendable(for: [51...160], outstandingFrom: .max)
        #expect(matches.resend.map(\.firstSequence) == [101])
        #expect(matches.unrecoverable == [51...100])
        #expect(retention.resendable(for: [51...160], outstandingFrom: .max).unrecoverable.isEmpty)
        // 151...170 was never acknowledged here (in flight from 151): not a loss of the retention.
        var fresh = Retention(capacityBytes: 1 << 20, duration: .seconds(60), floor: 1)
        fresh.add([Self.record(171, 200)], at: now)
        #expect(fresh.resendable(for: [151...170], outstandingFrom: 151).unrecoverable.isEmpty)
        // Pruned by bytes: the floor rises, and a later gap under it is reported, minus what is still retained.
        var small = Retention(capacityBytes: 100, duration: .seconds(60), floor: 1)
        small.add([Self.record(1, 10), Self.record(11, 20)], at: now)
        let lost = small.resendable(for: [1...20], outstandingFrom: .max)
        #expect(lost.unrecoverable == [1...10] && lost.resend.map(\.firstSequence) == [11])
    }

    /// A receiver that reports gaps, and a running reporter (8 MiB of memory for batches, `configure`d further)
    /// whose first 2,000 events it holds and has acknowledged.
    static func deliveredTwoThousand(
        configure: (inout EventReporter.Configuration) -> Void = { _ in }
    ) async throws -> (TestReceiver, EventReporter, RunningReporter, LogLines) {
        let receiver = TestReceiver()
        receiver.state.withLock { $0.reportsGaps = true }
        let logs = LogLines()
        var configuration = ReporterFixtures.configuration(port: 9, directory: ReporterFixtures.temporaryDirectory())
        configuration.pendingCapacityBytes = 8 << 20
        configure(&configuration)
        let reporter = try EventReporter.inProcess(
            configuration: configuration, log: JSONLog(sink: logs.sink),
            transport: InProcessTransport(router: receiver.router))
        let running = RunningReporter.start(reporter)
        for index in 1...2_000 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.heldCount == 2_000 && reporter.statistics.acknowledged == 2_000 })
        return (receiver, reporter, running, logs)
    }

    @Test("a monitor restored to an older copy gets the acknowledged events it lost resent, each counted once")
    func resendsAfterRestore() async throws {
        let (receiver, reporter, running, logs) = try await Self.deliveredTwoThousand()
        receiver.restore(through: 500)
        for index in 2_001...2_500 { reporter.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.heldCount == 2_500 })
        await running.stop()

        let stats = reporter.statistics
        #expect(stats.resent >= 1_500 && stats.unrecoverable == 0, "\(stats)")
        #expect(receiver.problems.isEmpty, "a resent sequence always carries the same event")
        #expect(!logs.containing("resending them from the retention").isEmpty)
    }

    @Test("the retention survives a clean restart of the producer: a monitor restored afterwards gets everything")
    func retentionSurvivesRestart() async throws {
        let (receiver, first, running, _) = try await Self.deliveredTwoThousand()
        await running.stop()
        let directory = first.configuration.spoolDirectory
        let saved = try RetentionFile.read(in: directory)
        #expect(saved.damage == nil && saved.entries.reduce(0) { $0 + $1.record.eventCount } == 2_000)

        // The monitor goes back to an older copy while the producer is stopped; the restarted producer resends.
        receiver.restore(through: 500)
        let logs = LogLines()
        let second = try EventReporter.inProcess(
            configuration: first.configuration, log: JSONLog(sink: logs.sink),
            transport: InProcessTransport(router: receiver.router))
        #expect(logs.containing("retained batches restored").count == 1)
        let restarted = RunningReporter.start(second)
        for index in 2_001...2_100 { second.record(ReporterFixtures.event(index)) }
        #expect(await eventually { receiver.heldCount == 2_100 })
        await restarted.stop()
        #expect(second.statistics.resent == 1_500 && second.statistics.unrecoverable == 0, "\(second.statistics)")
        #expect(receiver.problems.isEmpty, "a resent sequence always carries the same event")
    }

    @Test("the retained-batches file: written and read back, a damaged tail cut, none when nothing is retained")
    func retentionFile() throws {
        let directory = ReporterFixtures.temporaryDirectory()
        #expect(try RetentionFile.read(in: directory).entries.isEmpty)
        let entries = [
            RetentionFile.Entry(record: Self.record(1, 10), acknowledgedAtMicroseconds: 1_000),
            RetentionFile.Entry(record: Self.record(11, 20, bytes: 7), acknowledgedAtMicroseconds: 2_000),
        ]
        try RetentionFile.write(entries, in: directory)
        let read = try RetentionFile.read(in: directory)
        #expect(read.entries == entries && read.damage == nil)
        // A torn last entry: the entries before it are kept, and the damage said.
        let path = directory + "/" + RetentionFile.name
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size - 3)) == 0)
        let torn = try RetentionFile.read(in: directory)
        #expect(torn.entries == [entries[0]] && torn.damage?.hasPrefix("torn entry at byte") == true)
        try RetentionFile.write([], in: directory)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a restore reaching past the retention: the loss is logged at error level and counted exactly")
    func statesLossAfterRestore() async throws {
        let (receiver, reporter, running, logs) = try await Self.deliveredTwoThousand {
            $0.retentionBytes = 32_000  // about 500 test events
        }
        receiver.restore(through: 500)
        // A few events, so that their batch leaves some of the older ones in the retention.
        for index in 2_001...2_050 { reporter.record(ReporterFixtures.event(index)) }
        // Every number is either held by the receiver again or stated lost: nothing silent, nothing twice.
        #expect(
            await eventually {
                UInt64(receiver.heldCount) + reporter.statistics.unrecoverable == 2_050
                    && reporter.statistics.queued == 0
            })
        await running.stop()

        let stats = reporter.statistics
        #expect(stats.unrecoverable > 0 && stats.resent > 0, "\(stats)")
        #expect(UInt64(receiver.heldCount) + stats.unrecoverable == 2_050, "\(stats), held \(receiver.heldCount)")
        let lines = logs.containing("events missing at the monitor cannot be resent")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("\"level\":\"error\"") }, "\(lines)")
    }
}
