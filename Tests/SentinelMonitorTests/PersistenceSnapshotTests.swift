import Foundation
import SentinelMonitor
import Testing

@Suite("Persistence: snapshots")
struct PersistenceSnapshotTests {
    /// 50 records, snapshot "one" at 50, 50 records, snapshot "two" at 100, 20 records; 4 KiB segments.
    private func makeHistory(_ scratch: PersistenceScratch) async throws {
        let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 4096))
        for index in 0..<120 {
            try await store.append([LogRecord(type: 1, payload: testPayload(index, count: 200))])
            if index == 49 { try await store.writeSnapshot(Array("one".utf8), covering: LogPosition(50)) }
            if index == 99 { try await store.writeSnapshot(Array("two".utf8), covering: store.enqueuedPosition) }
        }
        await store.close()
    }

    private let newest = "snapshot-00000000000000000100.snap"
    private let older = "snapshot-00000000000000000050.snap"

    @Test("restart restores the newest snapshot and replays only the records after it")
    func restoreNewest() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        try await makeHistory(scratch)
        let (store, recovered) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 4096))
        #expect(recovered.snapshot?.bytes == Array("two".utf8))
        #expect(recovered.snapshot?.position == LogPosition(100))
        #expect(recovered.positions == Array(100..<120))
        #expect(recovered.payloads == (100..<120).map { testPayload($0, count: 200) })
        #expect(store.recovery.issues.isEmpty)
        #expect(store.recovery.snapshotFile == newest)
        // Appends and snapshots continue from there.
        #expect(try await store.append([LogRecord(type: 1, payload: [1])]).index == 121)
        try await store.writeSnapshot(Array("three".utf8), covering: LogPosition(121))
        await store.close()
        let (again, reread) = try openCollecting(scratch.path)
        #expect(reread.snapshot?.bytes == Array("three".utf8))
        #expect(reread.records.isEmpty)
        await again.close()
    }

    enum Damage: String, CaseIterable, Sendable {
        case payloadByte, headerByte, truncated, empty, rejectedByService
    }

    @Test("a corrupt newest snapshot falls back to the previous one and the log after it", arguments: Damage.allCases)
    func fallBack(damage: Damage) async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        try await makeHistory(scratch)
        var bytes = scratch.bytes(newest)
        switch damage {
        case .payloadByte: bytes[bytes.count - 1] ^= 0x20
        case .headerByte: bytes[9] ^= 0x01
        case .truncated: bytes.removeLast()
        case .empty: bytes = []
        case .rejectedByService: break
        }
        scratch.write(newest, bytes)
        let reject: Set<String> = damage == .rejectedByService ? [newest] : []
        let (store, recovered) = try openCollecting(scratch.path, rejectSnapshots: reject)
        #expect(recovered.snapshot?.bytes == Array("one".utf8))
        #expect(recovered.positions == Array(50..<120))
        #expect(recovered.payloads == (50..<120).map { testPayload($0, count: 200) })
        #expect(store.recovery.issues.map(\.kind) == [.corruptSnapshot])
        #expect(!store.recovery.lostData)
        #expect(scratch.files().contains(newest + ".corrupt"))
        #expect(!scratch.files().contains(newest))
        await store.close()
    }

    @Test("with every snapshot corrupt, the log alone is replayed; what was pruned is reported lost")
    func allSnapshotsCorrupt() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        try await makeHistory(scratch)
        scratch.write(newest, [0])
        scratch.write(older, [0])
        let (store, recovered) = try openCollecting(scratch.path)
        #expect(recovered.snapshot == nil)
        #expect(store.recovery.issues.map(\.kind) == [.corruptSnapshot, .corruptSnapshot, .missingLog])
        #expect(store.recovery.lostData)
        let first = try #require(recovered.positions.first)
        #expect(first > 0 && first <= 50)
        #expect(recovered.positions == Array(first..<120))
        await store.close()
    }

    @Test("a single corrupt snapshot falls back to the full log: nothing was pruned yet")
    func singleSnapshotFallsBackToFullLog() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        do {
            let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 4096))
            for index in 0..<60 {
                try await store.append([LogRecord(type: 1, payload: testPayload(index, count: 200))])
            }
            try await store.writeSnapshot([9, 9], covering: LogPosition(60))
            #expect(store.statistics.segmentsDeleted == 0)
            await store.close()
        }
        let name = "snapshot-00000000000000000060.snap"
        var bytes = scratch.bytes(name)
        bytes[33] ^= 0x10
        scratch.write(name, bytes)
        let (store, recovered) = try openCollecting(scratch.path)
        #expect(recovered.snapshot == nil)
        #expect(recovered.positions == Array(0..<60))
        #expect(store.recovery.issues.map(\.kind) == [.corruptSnapshot])
        #expect(!store.recovery.lostData)
        await store.close()
    }

    @Test("two snapshots are kept; segments before the older one are deleted; disk usage matches the files")
    func retention() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 4096))
        var snapshotPositions: [UInt64] = []
        for round in 0..<5 {
            for index in 0..<40 {
                try await store.append([LogRecord(type: 1, payload: testPayload(round * 40 + index, count: 250))])
            }
            let position = store.enqueuedPosition
            try await store.writeSnapshot(Array("state \(round)".utf8), covering: position)
            snapshotPositions.append(position.index)
        }
        let snapshots = scratch.files(withPrefix: "snapshot-", suffix: ".snap")
        #expect(snapshots == ["snapshot-00000000000000000160.snap", "snapshot-00000000000000000200.snap"])
        let segments = scratch.files(withPrefix: "wal-", suffix: ".log")
        let firsts = segments.compactMap { UInt64($0.dropFirst(4).dropLast(4)) }
        // The log still reaches back to the older kept snapshot (160), but not much further.
        #expect(firsts[0] <= 160)
        #expect(firsts.count < 2 || firsts[1] > 160)
        let stats = store.statistics
        #expect(stats.segmentsDeleted > 0)
        #expect(stats.snapshots == 5)
        #expect(stats.segmentCount == segments.count)
        #expect(stats.logDiskBytes == segments.reduce(0) { $0 + scratch.size($1) })
        #expect(stats.snapshotDiskBytes == snapshots.reduce(0) { $0 + scratch.size($1) })
        #expect(stats.snapshotPosition == LogPosition(200))
        await store.close()
        #expect(snapshotPositions == [40, 80, 120, 160, 200])
    }

    @Test("snapshot positions must not go backwards or beyond the log")
    func invalidPositions() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (store, _) = try openCollecting(scratch.path)
        try await store.append([LogRecord(type: 1, payload: [1]), LogRecord(type: 1, payload: [2])])
        try await store.writeSnapshot([1], covering: LogPosition(2))
        for position in [1, 3] as [UInt64] {
            do {
                try await store.writeSnapshot([0], covering: LogPosition(position))
                Issue.record("snapshot at \(position) accepted")
            } catch let error as PersistenceError {
                #expect(error.code == .invalidPosition)
            }
        }
        await store.close()
    }

    @Test("shouldSnapshot turns on after snapshotAfterBytes of log and off after a snapshot")
    func snapshotSuggestion() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        var options = StateStoreOptions()
        options.snapshotAfterBytes = 1000
        let (store, _) = try openCollecting(scratch.path, options: options)
        #expect(!store.shouldSnapshot)
        try await store.append([LogRecord(type: 1, payload: [UInt8](repeating: 1, count: 500))])
        #expect(!store.shouldSnapshot)
        try await store.append([LogRecord(type: 1, payload: [UInt8](repeating: 1, count: 500))])
        #expect(store.shouldSnapshot)
        try await store.writeSnapshot([1], covering: store.enqueuedPosition)
        #expect(!store.shouldSnapshot)
        await store.close()
    }
}
