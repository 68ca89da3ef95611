import Dispatch
import Foundation
import Glibc
import SentinelData
import SentinelLock
import Synchronization
import Testing

@testable import SentinelMonitor

@Suite("Persistence: CRC-32C")
struct PersistenceCRCTests {
    @Test("check value of \"123456789\" and the empty input")
    func checkValue() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum(.castagnoli, $0) } == 0xE306_9283)
        #expect([UInt8]().withUnsafeBytes { CRC32.checksum(.castagnoli, $0) } == 0)
        // RFC 3720 B.4: 32 bytes of zeros.
        #expect([UInt8](repeating: 0, count: 32).withUnsafeBytes { CRC32.checksum(.castagnoli, $0) } == 0x8A91_36AA)
    }

    @Test("split updates equal one update", arguments: [0, 1, 7, 8, 9, 15, 16, 17, 63])
    func splitUpdates(split: Int) {
        let bytes = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var whole = CRC32(.castagnoli)
        whole.update(bytes)
        var parts = CRC32(.castagnoli)
        parts.update(Array(bytes[..<split]))
        parts.update(Array(bytes[split...]))
        #expect(parts.value == whole.value)
    }
}

@Suite("Persistence: write-ahead log")
struct PersistenceLogTests {
    @Test("records round-trip across segments and appends continue after reopening")
    func roundTripAcrossSegments() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let options = smallOptions(segmentBytes: 4096)
        var expected: [[UInt8]] = []
        do {
            let (store, recovered) = try openCollecting(scratch.path, options: options)
            #expect(recovered.records.isEmpty && recovered.snapshot == nil)
            #expect(store.recovery.issues.isEmpty)
            var index = 0
            for batchSize in [1, 3, 10, 0, 25, 7, 40] {
                var batch: [LogRecord] = []
                for _ in 0..<batchSize {
                    let payload = testPayload(index, count: (index * 53) % 700)
                    batch.append(LogRecord(type: UInt8(index % 5), payload: payload))
                    expected.append(payload)
                    index += 1
                }
                let end = try await store.append(batch)
                #expect(end.index == UInt64(index))
            }
            #expect(store.durablePosition.index == UInt64(expected.count))
            await store.close()
        }
        #expect(scratch.files(withPrefix: "wal-", suffix: ".log").count > 3)
        do {
            let (store, recovered) = try openCollecting(scratch.path, options: options)
            #expect(store.recovery.issues.isEmpty)
            #expect(recovered.payloads == expected)
            #expect(recovered.positions == Array(0..<UInt64(expected.count)))
            #expect(recovered.records.map(\.record.type) == (0..<expected.count).map { UInt8($0 % 5) })
            #expect(store.recovery.nextPosition.index == UInt64(expected.count))
            let extra = testPayload(999, count: 3000)
            let end = try await store.append([LogRecord(type: 9, payload: extra)])
            #expect(end.index == UInt64(expected.count + 1))
            expected.append(extra)
            await store.close()
        }
        let (store, recovered) = try openCollecting(scratch.path, options: options)
        #expect(recovered.payloads == expected)
        #expect(recovered.positions == Array(0..<UInt64(expected.count)))
        await store.close()
    }

    @Test("a record larger than the segment size gets a segment of its own")
    func oversizedRecord() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let options = smallOptions(segmentBytes: 4096)
        let big = testPayload(1, count: 10_000)
        do {
            let (store, _) = try openCollecting(scratch.path, options: options)
            try await store.append([LogRecord(type: 1, payload: [1])])
            try await store.append([LogRecord(type: 2, payload: big)])
            try await store.append([LogRecord(type: 3, payload: [3])])
            await store.close()
        }
        #expect(scratch.files(withPrefix: "wal-", suffix: ".log").count == 3)
        let (store, recovered) = try openCollecting(scratch.path, options: options)
        #expect(recovered.payloads == [[1], big, [3]])
        await store.close()
    }

    @Test("group commit: 1,000 appends queued during one sync share two syncs")
    func groupCommitDeterministic() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 64 << 20))
        // The writer blocks before its first commit until every append is queued.
        let gate = DispatchSemaphore(value: 0)
        store.core.beforeCommit.withLock { hook in
            hook = {
                gate.wait()
                gate.signal()
            }
        }
        var ends: [LogPosition] = []
        for index in 0..<1000 {
            ends.append(try store.enqueue([LogRecord(type: 1, payload: testPayload(index, count: 100))]))
        }
        #expect(store.durablePosition.index == 0)
        gate.signal()
        for end in ends { try await store.waitUntilDurable(end) }
        let stats = store.statistics
        #expect(stats.appends == 1000)
        #expect(stats.records == 1000)
        #expect(stats.commits <= 2)
        #expect(stats.syncs <= 2)
        #expect(stats.durablePosition.index == 1000)
        await store.close()
        let (reopened, recovered) = try openCollecting(scratch.path)
        #expect(recovered.payloads == (0..<1000).map { testPayload($0, count: 100) })
        await reopened.close()
    }

    @Test("concurrent appends from many tasks: every record logged once, no more syncs than appends")
    func concurrentAppends() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 16_384))
        let ends = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for task in 0..<32 {
                group.addTask {
                    var ends: [UInt64] = []
                    for round in 0..<20 {
                        let payload = Array("\(task)/\(round)".utf8)
                        ends.append(try await store.append([LogRecord(type: 1, payload: payload)]).index)
                    }
                    return ends
                }
            }
            var all: [UInt64] = []
            for try await ends in group { all += ends }
            return all
        }
        #expect(Set(ends) == Set(1...640))
        let stats = store.statistics
        #expect(stats.appends == 640)
        #expect(stats.syncs <= stats.appends + UInt64(stats.segmentCount) * 2)
        await store.close()
        let (reopened, recovered) = try openCollecting(scratch.path)
        let texts = recovered.payloads.map { String(decoding: $0, as: UTF8.self) }
        #expect(Set(texts) == Set((0..<32).flatMap { task in (0..<20).map { "\(task)/\($0)" } }))
        #expect(texts.count == 640)
        // Each task's records appear in its own order.
        for task in 0..<32 {
            let mine = texts.filter { $0.hasPrefix("\(task)/") }
            #expect(mine == (0..<20).map { "\(task)/\($0)" })
        }
        await reopened.close()
    }

    @Test("bad calls get clear errors")
    func errors() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        var options = smallOptions()
        options.maximumRecordBytes = 1000
        let (store, _) = try openCollecting(scratch.path, options: options)
        do {
            _ = try store.enqueue([LogRecord(type: 1, payload: [UInt8](repeating: 0, count: 1001))])
            Issue.record("an oversized record was accepted")
        } catch let error as PersistenceError {
            #expect(error.code == .recordTooLarge)
        }
        do {
            try await store.waitUntilDurable(LogPosition(5))
            Issue.record("waiting beyond the enqueued position succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .invalidPosition)
        }
        // A second open of the same directory is refused while the first holds it.
        do {
            _ = try openCollecting(scratch.path, options: options)
            Issue.record("a second open succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .locked)
        }
        try await store.append([LogRecord(type: 1, payload: [1, 2, 3])])
        await store.close()
        do {
            _ = try store.enqueue([LogRecord(type: 1, payload: [1])])
            Issue.record("enqueue after close succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .closed)
        }
        // Closing released the lock.
        let (reopened, recovered) = try openCollecting(scratch.path, options: options)
        #expect(recovered.payloads == [[1, 2, 3]])
        await reopened.close()
        var bad = StateStoreOptions()
        bad.segmentBytes = 10
        #expect(throws: PersistenceError.self) { _ = try openCollecting(scratch.path, options: bad) }
    }

    @Test("a failed write fails the store: that append and every later one throw, earlier records stay")
    func failStop() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path)
        let first = try await store.append([LogRecord(type: 1, payload: [1])])
        let readOnly = Glibc.open("/dev/null", O_RDONLY)
        #expect(readOnly >= 0)
        store.core.redirectActiveSegmentForTesting(to: readOnly)
        Glibc.close(readOnly)
        do {
            try await store.append([LogRecord(type: 1, payload: [2])])
            Issue.record("an append after a failed write succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .storeFailed)
            #expect(error.description.contains("pwrite"))
        }
        do {
            _ = try store.enqueue([LogRecord(type: 1, payload: [3])])
            Issue.record("an enqueue after a failed write succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .storeFailed)
        }
        try await store.waitUntilDurable(first)
        #expect(store.durablePosition == first)
        await store.close()
        let (reopened, recovered) = try openCollecting(scratch.path)
        #expect(recovered.payloads == [[1]])
        #expect(reopened.recovery.issues.isEmpty)
        await reopened.close()
    }

    @Test("a throwing replay closure fails the open with replayFailed")
    func replayFailure() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path)
        try await store.append([LogRecord(type: 1, payload: [1]), LogRecord(type: 2, payload: [2])])
        await store.close()
        do {
            _ = try StateStore.open(directory: scratch.path) { _ in
            } replay: { record, _ in
                if record.type == 2 { throw PersistenceTestError(message: "cannot decode") }
            }
            Issue.record("open succeeded")
        } catch let error as PersistenceError {
            #expect(error.code == .replayFailed)
            #expect(error.message.contains("record 1"))
        }
    }
}
