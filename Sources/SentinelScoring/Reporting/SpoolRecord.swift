import SentinelData

/// The framing of one encoded `EventBatch` in a spool segment.
///
/// ```
/// offset size field
///  0     4    payload length n (UInt32, little-endian)
///  4     4    CRC-32 of bytes 8 ..< 28 + n
///  8     8    first sequence number in the batch (UInt64 LE)
/// 16     8    last sequence number in the batch (UInt64 LE)
/// 24     4    number of events (UInt32 LE)
/// 28     n    the EventBatch's protobuf encoding
/// ```
///
/// A segment file starts with the 8-byte ``segmentMagic``. A record is valid only when its length fits in the
/// file, its CRC matches and first ≤ last; the first invalid record ends the segment's readable part.
struct SpoolRecord: Sendable, Equatable {
    /// The first bytes of every segment file (`SNTSPL` + format version 01).
    static let segmentMagic: [UInt8] = Array("SNTSPL01".utf8)
    /// Bytes before the payload.
    static let headerSize = 28
    /// The largest payload accepted when reading (a batch is far smaller; a larger length is corruption).
    static let maximumPayload = 64 << 20

    /// The first event's sequence number.
    var firstSequence: UInt64
    /// The last event's sequence number.
    var lastSequence: UInt64
    /// Number of events.
    var eventCount: Int
    /// The `EventBatch` encoding.
    var payload: [UInt8]

    /// The record's size on disk.
    var encodedSize: Int { Self.headerSize + payload.count }

    /// Appends the framed record to `buffer`.
    func encode(into buffer: inout [UInt8]) {
        let start = buffer.count
        appendLittleEndian(UInt32(payload.count), to: &buffer)
        appendLittleEndian(UInt32(0), to: &buffer)  // CRC, filled in below
        appendLittleEndian(firstSequence, to: &buffer)
        appendLittleEndian(lastSequence, to: &buffer)
        appendLittleEndian(UInt32(eventCount), to: &buffer)
        buffer.append(contentsOf: payload)
        let crc = buffer.withUnsafeBytes {
            CRC32.checksum(.isoHDLC, UnsafeRawBufferPointer(rebasing: $0[(start + 8)...]))
        }
        for index in 0..<4 { buffer[start + 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
    }

    /// The outcome of reading a record at an offset.
    enum Parsed {
        /// A valid record and its total size.
        case record(SpoolRecord, size: Int)
        /// Fewer bytes remain than a record header or its declared payload: a torn write.
        case torn
        /// The CRC or a header field is wrong.
        case corrupt(String)
    }

    /// Parses the record at the start of `bytes`.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Parsed {
        guard bytes.count >= headerSize else { return .torn }
        let length = Int(readLittleEndian(UInt32.self, bytes, at: 0))
        guard length <= maximumPayload else { return .corrupt("declared length \(length) is implausible") }
        guard bytes.count >= headerSize + length else { return .torn }
        let storedCRC = readLittleEndian(UInt32.self, bytes, at: 4)
        let crc = CRC32.checksum(.isoHDLC, UnsafeRawBufferPointer(rebasing: bytes[8..<(headerSize + length)]))
        guard crc == storedCRC else { return .corrupt("checksum mismatch") }
        let first = readLittleEndian(UInt64.self, bytes, at: 8)
        let last = readLittleEndian(UInt64.self, bytes, at: 16)
        let count = Int(readLittleEndian(UInt32.self, bytes, at: 24))
        guard first <= last, first >= 1 else { return .corrupt("sequence range \(first)...\(last) is invalid") }
        let payload = Array(bytes[headerSize..<(headerSize + length)])
        return .record(
            SpoolRecord(firstSequence: first, lastSequence: last, eventCount: count, payload: payload),
            size: headerSize + length)
    }
}

private func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to buffer: inout [UInt8]) {
    for index in 0..<(T.bitWidth / 8) { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
}

private func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> T {
    var value: T = 0
    for index in 0..<(T.bitWidth / 8) { value |= T(bytes[offset + index]) << (8 * index) }
    return value
}
