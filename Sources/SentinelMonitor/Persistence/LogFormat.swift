import SentinelData

/// The byte layout of log segments and snapshot files (all integers little-endian); see the PersistenceFormats
/// article.
///
/// Segment: a 16-byte header (`SNTLWAL1`, the first record's index as u64), then records framed as
/// `length u32 | crc32c u32 | type u8 | payload[length]`, the CRC-32C covering the type byte and the payload.
/// Snapshot: a 32-byte header (`SNTLSNP1`, covered position u64, payload length u64, payload CRC-32C u32,
/// CRC-32C of the previous 28 header bytes u32), then the payload.
enum LogFormat {
    static let segmentMagic: [UInt8] = Array("SNTLWAL1".utf8)
    static let snapshotMagic: [UInt8] = Array("SNTLSNP1".utf8)
    static let segmentHeaderBytes = 16
    static let recordHeaderBytes = 9
    static let snapshotHeaderBytes = 32

    static func segmentHeader(first: UInt64) -> [UInt8] {
        var bytes = segmentMagic
        appendLittleEndian(first, to: &bytes)
        return bytes
    }

    /// Frames `records` one after the other into `buffer`.
    static func frame(_ records: [LogRecord], into buffer: inout [UInt8]) {
        for record in records {
            appendLittleEndian(UInt32(record.payload.count), to: &buffer)
            var crc = CRC32(.castagnoli)
            crc.update(byte: record.type)
            crc.update(record.payload)
            appendLittleEndian(crc.value, to: &buffer)
            buffer.append(record.type)
            buffer.append(contentsOf: record.payload)
        }
    }

    static func framedSize(_ records: [LogRecord]) -> Int {
        records.reduce(0) { $0 + recordHeaderBytes + $1.payload.count }
    }

    static func snapshotHeader(position: UInt64, payload: [UInt8]) -> [UInt8] {
        var bytes = snapshotMagic
        appendLittleEndian(position, to: &bytes)
        appendLittleEndian(UInt64(payload.count), to: &bytes)
        var crc = CRC32(.castagnoli)
        crc.update(payload)
        appendLittleEndian(crc.value, to: &bytes)
        var headerCRC = CRC32(.castagnoli)
        headerCRC.update(bytes)
        appendLittleEndian(headerCRC.value, to: &bytes)
        return bytes
    }

    /// Checks a whole snapshot file and returns its covered position and payload, or why it is invalid.
    static func parseSnapshot(_ file: [UInt8]) -> Result<(position: UInt64, payload: [UInt8]), SnapshotDefect> {
        guard file.count >= snapshotHeaderBytes else {
            return .failure(.init("file of \(file.count) bytes is shorter than its header"))
        }
        guard Array(file[0..<8]) == snapshotMagic else { return .failure(.init("bad magic")) }
        let headerCRC = file.withUnsafeBytes {
            CRC32.checksum(.castagnoli, UnsafeRawBufferPointer(rebasing: $0[0..<28]))
        }
        guard headerCRC == readUInt32(file, at: 28) else { return .failure(.init("header checksum mismatch")) }
        let position = readUInt64(file, at: 8)
        let length = readUInt64(file, at: 16)
        guard length == UInt64(file.count - snapshotHeaderBytes) else {
            return .failure(.init("payload is \(file.count - snapshotHeaderBytes) bytes, header says \(length)"))
        }
        let payloadCRC = file.withUnsafeBytes {
            CRC32.checksum(.castagnoli, UnsafeRawBufferPointer(rebasing: $0[snapshotHeaderBytes...]))
        }
        guard payloadCRC == readUInt32(file, at: 24) else { return .failure(.init("payload checksum mismatch")) }
        return .success((position, Array(file[snapshotHeaderBytes...])))
    }

    /// Why a snapshot file was rejected.
    struct SnapshotDefect: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The outcome of reading one segment's records.
    struct ScanResult {
        /// Complete, checksum-valid records.
        var records: UInt64 = 0
        /// The offset just after the last valid record (the header's end when there is none).
        var validEnd: Int
        /// Why reading stopped before the end of the file, if it did.
        var defect: Defect?
    }

    /// A bad spot in a segment.
    struct Defect {
        /// Where the bad record starts.
        var offset: Int
        /// True when no checksum-valid record follows (or only zeros do): the signature of a write cut short by a
        /// crash. False when a valid record follows the bad one: corruption in the middle of the log.
        var atTail: Bool
        /// False when the search for a following valid record ran out of its checksum budget: `atTail` is then
        /// the likely answer, not a proven one, and recovery keeps the bytes aside instead of dropping them.
        var verified: Bool
        var reason: String
    }

    /// How many bytes the search for a valid record after a bad one may checksum (about 50 ms).
    static let defaultChecksumBudget = 64 << 20

    /// Walks the records of a segment file (header already checked), calling `body` with each valid one.
    static func scanRecords(
        _ file: [UInt8], maximumRecordBytes: Int, checksumBudget: Int = defaultChecksumBudget,
        _ body: (UInt8, ArraySlice<UInt8>) throws -> Void
    ) rethrows -> ScanResult {
        var result = ScanResult(validEnd: segmentHeaderBytes)
        var offset = segmentHeaderBytes
        while offset < file.count {
            let remaining = file.count - offset
            var reason: String?
            var end = file.count
            if remaining < recordHeaderBytes {
                reason = "\(remaining) bytes left, a record header needs \(recordHeaderBytes)"
            } else {
                let length = Int(readUInt32(file, at: offset))
                end = offset + recordHeaderBytes + length
                if length > maximumRecordBytes {
                    reason = "record length \(length) exceeds the maximum \(maximumRecordBytes)"
                } else if end > file.count {
                    reason = "record of \(length) bytes cut off by the end of the file"
                } else if crc(file, offset + 8, end) != readUInt32(file, at: offset + 4) {
                    reason = "checksum mismatch in a record of \(length) bytes"
                }
            }
            if let reason {
                result.defect = classify(
                    file, offset: offset, claimedEnd: end, maximumRecordBytes, checksumBudget, reason: reason)
                break
            }
            try body(file[offset + 8], file[(offset + recordHeaderBytes)..<end])
            result.records += 1
            offset = end
            result.validEnd = end
        }
        return result
    }

    /// Torn write or corruption? Zeros to the end: torn. A valid record right where the bad one claims to end
    /// (its length intact, its bytes damaged — the usual corruption): corrupt. Otherwise search every later
    /// offset for a valid record, within `budget` checksummed bytes; when the budget runs out the answer is
    /// "torn, unverified" (the likely case: a damaged length field is far rarer than a cut-off write).
    static func classify(
        _ file: [UInt8], offset: Int, claimedEnd: Int, _ maximumRecordBytes: Int, _ budget: Int, reason: String
    ) -> Defect {
        if file[offset...].allSatisfy({ $0 == 0 }) {
            return Defect(offset: offset, atTail: true, verified: true, reason: reason)
        }
        if claimedEnd < file.count && validRecord(file, at: claimedEnd, maximumRecordBytes) {
            return Defect(offset: offset, atTail: false, verified: true, reason: reason)
        }
        var remaining = budget
        var candidate = offset + 1
        while candidate + recordHeaderBytes <= file.count {
            let length = Int(readUInt32(file, at: candidate))
            let end = candidate + recordHeaderBytes + length
            // A real record ends at the end of the file, or where another plausible header (or a torn one) starts.
            if length <= maximumRecordBytes && end <= file.count
                && (end + 4 > file.count || Int(readUInt32(file, at: end)) <= maximumRecordBytes)
            {
                remaining -= length + 1
                if remaining < 0 { return Defect(offset: offset, atTail: true, verified: false, reason: reason) }
                if validRecord(file, at: candidate, maximumRecordBytes) {
                    return Defect(offset: offset, atTail: false, verified: true, reason: reason)
                }
            }
            candidate += 1
        }
        return Defect(offset: offset, atTail: true, verified: true, reason: reason)
    }

    /// Whether a complete record with a matching checksum starts at `offset`.
    static func validRecord(_ file: [UInt8], at offset: Int, _ maximumRecordBytes: Int) -> Bool {
        guard offset + recordHeaderBytes <= file.count else { return false }
        let length = Int(readUInt32(file, at: offset))
        let end = offset + recordHeaderBytes + length
        guard length <= maximumRecordBytes, end <= file.count else { return false }
        return crc(file, offset + 8, end) == readUInt32(file, at: offset + 4)
    }

    private static func crc(_ file: [UInt8], _ from: Int, _ to: Int) -> UInt32 {
        file.withUnsafeBytes { CRC32.checksum(.castagnoli, UnsafeRawBufferPointer(rebasing: $0[from..<to])) }
    }

    static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }
}
