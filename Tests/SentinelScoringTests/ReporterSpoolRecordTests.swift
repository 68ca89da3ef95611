import SentinelData
import Testing

@testable import SentinelScoring

@Suite("Spool record framing")
struct ReporterSpoolRecordTests {
    @Test("CRC-32 check value and agreement with the bitwise definition", arguments: [0, 1, 7, 8, 9, 63, 64, 1_000])
    func checksum(length: Int) {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum(.isoHDLC, $0) } == 0xCBF4_3926)
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        var reference: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            reference ^= UInt32(byte)
            for _ in 0..<8 { reference = reference & 1 == 1 ? (reference >> 1) ^ 0xEDB8_8320 : reference >> 1 }
        }
        #expect(bytes.withUnsafeBytes { CRC32.checksum(.isoHDLC, $0) } == ~reference)
    }

    @Test("A record round-trips; a cut one is torn; a flipped byte is corrupt")
    func framing() {
        let record = SpoolRecord(firstSequence: 5, lastSequence: 9, eventCount: 5, payload: Array(0..<200))
        var bytes: [UInt8] = []
        record.encode(into: &bytes)
        #expect(bytes.count == record.encodedSize)
        guard case .record(let parsed, let size) = bytes.withUnsafeBytes({ SpoolRecord.parse($0) }) else {
            Issue.record("a valid record did not parse")
            return
        }
        #expect(parsed == record && size == bytes.count)
        for cut in [0, 1, 27, 28, bytes.count - 1] {
            guard case .torn = Array(bytes[0..<cut]).withUnsafeBytes({ SpoolRecord.parse($0) }) else {
                Issue.record("a record cut at \(cut) bytes is not reported torn")
                continue
            }
        }
        for position in [4, 8, 20, 27, 28, bytes.count - 1] {
            var damaged = bytes
            damaged[position] ^= 0x01
            guard case .corrupt = damaged.withUnsafeBytes({ SpoolRecord.parse($0) }) else {
                Issue.record("a flipped bit at byte \(position) is not detected")
                continue
            }
        }
    }

    @Test("Segment names sort like their indices and parse back")
    func segmentNames() {
        #expect(EventSpool.segmentName(1) == "segment-00000000000000000001.spool")
        #expect(EventSpool.segmentIndex(of: EventSpool.segmentName(UInt64.max)) == UInt64.max)
        #expect(EventSpool.segmentIndex(of: "segment-12.spool.corrupt") == nil)
        #expect(EventSpool.segmentIndex(of: "reporter-state") == nil)
    }
}
