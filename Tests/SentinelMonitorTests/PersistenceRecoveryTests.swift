import Foundation
import SentinelPosix
import Testing

@testable import SentinelMonitor

@Suite("Persistence: crash recovery")
struct PersistenceRecoveryTests {
    /// Writes one record per append into a fresh directory and returns the payloads, the segment's name and the
    /// offsets where each record ends.
    private func makeLog(_ scratch: PersistenceScratch, sizes: [Int]) async throws -> ([[UInt8]], String, [Int]) {
        let (store, _) = try openCollecting(scratch.path, options: smallOptions(segmentBytes: 1 << 20))
        var payloads: [[UInt8]] = []
        var ends: [Int] = []
        var offset = 16
        for (index, size) in sizes.enumerated() {
            let payload = testPayload(index, count: size)
            try await store.append([LogRecord(type: UInt8(index), payload: payload)])
            payloads.append(payload)
            offset += 9 + size
            ends.append(offset)
        }
        await store.close()
        let segments = scratch.files(withPrefix: "wal-", suffix: ".log")
        #expect(segments.count == 1)
        return (payloads, segments[0], ends)
    }

    @Test("a log cut at every byte offset recovers exactly the complete records, then appends continue")
    func truncatedAtEveryOffset() async throws {
        let source = PersistenceScratch()
        defer { source.remove() }
        let (payloads, segment, ends) = try await makeLog(source, sizes: [0, 1, 7, 30, 9])
        let full = source.bytes(segment)
        #expect(full.count == ends[ends.count - 1])
        for cut in 0...full.count {
            let scratch = PersistenceScratch()
            defer { scratch.remove() }
            scratch.write(segment, Array(full[..<cut]))
            let options = smallOptions(syncs: false)
            let (store, recovered) = try openCollecting(scratch.path, options: options)
            let complete = ends.filter { $0 <= cut }.count
            #expect(recovered.payloads == Array(payloads[..<complete]), "cut at \(cut)")
            #expect(recovered.positions == Array(0..<UInt64(complete)), "cut at \(cut)")
            let clean = cut == 16 || ends.contains(cut)
            #expect(store.recovery.issues.map(\.kind) == (clean ? [] : [.tornTail]), "cut at \(cut)")
            #expect(!store.recovery.lostData)
            #expect(store.recovery.nextPosition.index == UInt64(complete))
            let extra = testPayload(77, count: 12)
            let end = try await store.append([LogRecord(type: 7, payload: extra)])
            #expect(end.index == UInt64(complete + 1))
            await store.close()
            let (again, reread) = try openCollecting(scratch.path, options: options)
            #expect(reread.payloads == Array(payloads[..<complete]) + [extra], "cut at \(cut)")
            #expect(again.recovery.issues.isEmpty, "cut at \(cut)")
            await again.close()
        }
    }

    @Test("a flipped byte anywhere in a middle record stops replay there and is reported, not fatal")
    func flippedByteInTheMiddle() async throws {
        let source = PersistenceScratch()
        defer { source.remove() }
        let (payloads, segment, ends) = try await makeLog(source, sizes: [5, 20, 40, 20, 5])
        let full = source.bytes(segment)
        for offset in ends[1]..<ends[2] {
            let scratch = PersistenceScratch()
            defer { scratch.remove() }
            var damaged = full
            damaged[offset] ^= 0x5A
            scratch.write(segment, damaged)
            let options = smallOptions(syncs: false)
            let (store, recovered) = try openCollecting(scratch.path, options: options)
            #expect(recovered.payloads == Array(payloads[..<2]), "flip at \(offset)")
            #expect(store.recovery.issues.map(\.kind) == [.corruptLog], "flip at \(offset)")
            #expect(store.recovery.lostData)
            #expect(store.recovery.issues.first?.message.contains("offset \(ends[1])") == true)
            // The bad tail is kept aside for inspection, byte for byte.
            let aside = scratch.files().filter { $0.hasSuffix(".corrupt") }
            #expect(aside == ["\(segment).at-\(ends[1]).corrupt"])
            #expect(scratch.bytes(aside[0]) == Array(damaged[ends[1]...]))
            let extra = testPayload(55, count: 3)
            #expect(try await store.append([LogRecord(type: 1, payload: extra)]).index == 3)
            await store.close()
            let (again, reread) = try openCollecting(scratch.path, options: options)
            #expect(reread.payloads == Array(payloads[..<2]) + [extra])
            #expect(again.recovery.issues.isEmpty)
            await again.close()
        }
    }

    @Test(
        "a flipped byte in the last record is truncated like a torn write; acknowledged, it is reported as lost",
        arguments: [true, false])
    func flippedByteInTheLastRecord(markTrusted: Bool) async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let (payloads, segment, ends) = try await makeLog(scratch, sizes: [5, 20, 40])
        var damaged = scratch.bytes(segment)
        damaged[ends[1] + 12] ^= 0x01
        scratch.write(segment, damaged)
        // Without a trusted mark (a machine crash: another boot) a damaged tail is an ordinary tear.
        if !markTrusted { scratch.write("log-mark", []) }
        let (store, recovered) = try openCollecting(scratch.path)
        #expect(recovered.payloads == Array(payloads[..<2]))
        #expect(store.recovery.issues.map(\.kind) == (markTrusted ? [.tornTail, .acknowledgedLost] : [.tornTail]))
        #expect(store.recovery.lostData == markTrusted)
        #expect(store.recovery.acknowledgedRecordsLost == (markTrusted ? 1 : 0))
        #expect(scratch.size(segment) == Int64(ends[1]))
        await store.close()
        // The next start has nothing more to report.
        let (again, _) = try openCollecting(scratch.path)
        #expect(again.recovery.issues.isEmpty)
        await again.close()
    }

    @Test("a large record cut in the middle of its random payload is a torn tail, not data loss")
    func tornLargeRecord() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        var generator = SystemRandomNumberGenerator()
        let big = (0..<2_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let small = testPayload(1, count: 100)
        do {
            let (store, _) = try openCollecting(scratch.path)
            try await store.append([LogRecord(type: 1, payload: small)])
            try await store.append([LogRecord(type: 2, payload: big)])
            await store.close()
        }
        let segment = scratch.files(withPrefix: "wal-", suffix: ".log")[0]
        let full = scratch.bytes(segment)
        scratch.write(segment, Array(full[..<(full.count - 1_000_000)]))
        // As after a crash in the middle of writing the big record: only the first was synced.
        PersistentMarkFixture.store(1, in: scratch.path + "/log-mark")
        let (store, recovered) = try openCollecting(scratch.path)
        #expect(recovered.payloads == [small])
        #expect(store.recovery.issues.map(\.kind) == [.tornTail])
        #expect(!store.recovery.lostData)
        #expect(scratch.size(segment) == Int64(16 + 9 + 100))
        await store.close()
    }

    @Test("classification: zeros and cut-off writes are torn; a valid record after the bad one is corruption")
    func classification() {
        var log = LogFormat.segmentHeader(first: 0)
        LogFormat.frame((0..<4).map { LogRecord(type: 1, payload: testPayload($0, count: 50)) }, into: &log)
        let second = 16 + 59
        // Payload damage in the second record: its successor sits where its length says.
        var damaged = log
        damaged[second + 30] ^= 1
        var defect = LogFormat.scanRecords(damaged, maximumRecordBytes: 1000) { _, _ in }.defect
        #expect(defect?.offset == second && defect?.atTail == false && defect?.verified == true)
        // Length damage: found by the search.
        damaged = log
        damaged[second] ^= 0x04
        defect = LogFormat.scanRecords(damaged, maximumRecordBytes: 1000) { _, _ in }.defect
        #expect(defect?.atTail == false)
        // Zeros after the valid records.
        defect =
            LogFormat.scanRecords(log + [UInt8](repeating: 0, count: 40), maximumRecordBytes: 1000) { _, _ in
            }.defect
        #expect(defect?.atTail == true && defect?.verified == true)
        // A search that runs out of budget answers "torn, unverified".
        damaged = log
        damaged[second] ^= 0x04
        defect = LogFormat.scanRecords(damaged, maximumRecordBytes: 1000, checksumBudget: 10) { _, _ in }.defect
        #expect(defect?.atTail == true && defect?.verified == false)
    }

    @Test("corruption in an early segment quarantines the later segments and appends continue")
    func corruptionAcrossSegments() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let options = smallOptions(segmentBytes: 4096)
        var payloads: [[UInt8]] = []
        do {
            let (store, _) = try openCollecting(scratch.path, options: options)
            for index in 0..<60 {
                let payload = testPayload(index, count: 300)
                payloads.append(payload)
                try await store.append([LogRecord(type: 1, payload: payload)])
            }
            await store.close()
        }
        let segments = scratch.files(withPrefix: "wal-", suffix: ".log")
        #expect(segments.count >= 4)
        // Damage the third record of the first segment.
        var first = scratch.bytes(segments[0])
        let third = 16 + 2 * (9 + 300)
        first[third + 20] ^= 0xFF
        scratch.write(segments[0], first)
        let (store, recovered) = try openCollecting(scratch.path, options: options)
        #expect(recovered.payloads == Array(payloads[..<2]))
        #expect(store.recovery.lostData)
        #expect(store.recovery.issues.allSatisfy { $0.kind == .corruptLog || $0.kind == .acknowledgedLost })
        #expect(store.recovery.acknowledgedRecordsLost == 58)
        #expect(scratch.files(withPrefix: "wal-", suffix: ".log") == [segments[0]])
        #expect(scratch.files().filter { $0.hasSuffix(".corrupt") }.count == segments.count)
        #expect(try await store.append([LogRecord(type: 2, payload: [42])]).index == 3)
        await store.close()
        let (again, reread) = try openCollecting(scratch.path, options: options)
        #expect(reread.payloads == Array(payloads[..<2]) + [[42]])
        #expect(again.recovery.issues.isEmpty)
        await again.close()
    }

    @Test("a missing first segment is reported as data loss and the rest is replayed at its positions")
    func missingSegment() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        let options = smallOptions(segmentBytes: 4096)
        do {
            let (store, _) = try openCollecting(scratch.path, options: options)
            for index in 0..<40 {
                try await store.append([LogRecord(type: 1, payload: testPayload(index, count: 300))])
            }
            await store.close()
        }
        let segments = scratch.files(withPrefix: "wal-", suffix: ".log")
        try FileManager.default.removeItem(atPath: scratch.path + "/" + segments[0])
        let (store, recovered) = try openCollecting(scratch.path, options: options)
        #expect(store.recovery.issues.map(\.kind) == [.missingLog])
        #expect(store.recovery.lostData)
        let firstKept = recovered.positions.first ?? 0
        #expect(firstKept > 0)
        #expect(recovered.positions == Array(firstKept..<40))
        #expect(recovered.payloads == (Int(firstKept)..<40).map { testPayload($0, count: 300) })
        await store.close()
    }

    @Test("leftover temporary files are removed and unrelated files ignored, both reported")
    func leftovers() async throws {
        let scratch = PersistenceScratch()
        defer { scratch.remove() }
        scratch.write("snapshot-00000000000000000007.snap.tmp", [1, 2, 3])
        scratch.write("README", Array("hello".utf8))
        let (store, recovered) = try openCollecting(scratch.path)
        #expect(recovered.records.isEmpty)
        #expect(store.recovery.issues.map(\.kind) == [.leftoverFile, .leftoverFile])
        #expect(!store.recovery.lostData)
        #expect(!scratch.files().contains("snapshot-00000000000000000007.snap.tmp"))
        #expect(scratch.files().contains("README"))
        await store.close()
    }
}

/// Writes a `PersistentMark` as a previous process of this boot would have left it.
enum PersistentMarkFixture {
    static func store(_ value: UInt64, in path: String) {
        (try? PersistentMark(path: path))?.store(value)
    }
}
