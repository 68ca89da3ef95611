import Glibc

/// The retention across a clean restart: at shutdown the reporter writes the batches it retains to `retained` in
/// the spool directory, and the next start reads them back, so a replica restarted between a monitor's backup and
/// its restore can still resend what the restored monitor lacks.
///
/// Format: the 8-byte magic `SNTRET01`, then per batch, oldest acknowledgement first, the time of its
/// acknowledgement (UInt64 little-endian, µs since the Unix epoch) followed by the batch as a spool record
/// (``SpoolRecord``: length, CRC-32, sequence range, count, payload). The file is replaced atomically (temporary
/// file, `fsync`, `rename`, directory `fsync`) and left in place after it is read: after a crash the next start
/// reads the same batches again, whose time bound then prunes them. Reading stops at the first torn or corrupt
/// entry, keeping the ones before it.
enum RetentionFile {
    /// The file's name in the spool directory.
    static let name = "retained"
    static let magic: [UInt8] = Array("SNTRET01".utf8)

    /// One retained batch and when it was acknowledged.
    struct Entry: Equatable {
        var record: SpoolRecord
        var acknowledgedAtMicroseconds: Int64
    }

    /// Replaces the file with `entries`; with none, removes it.
    /// - Throws: ``ReportingError`` (`spoolUnavailable`) when a write, sync or rename fails.
    static func write(_ entries: [Entry], in directory: String) throws(ReportingError) {
        let path = directory + "/" + name
        guard !entries.isEmpty else {
            if unlink(path) != 0 && errno != ENOENT {
                throw ReportingError(.spoolUnavailable, "cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            return
        }
        var bytes = magic
        bytes.reserveCapacity(magic.count + entries.reduce(0) { $0 + 8 + $1.record.encodedSize })
        for entry in entries {
            withUnsafeBytes(of: UInt64(bitPattern: entry.acknowledgedAtMicroseconds).littleEndian) {
                bytes.append(contentsOf: $0)
            }
            entry.record.encode(into: &bytes)
        }
        try replaceFile(path, in: directory, with: bytes)
    }

    /// Reads the file: its entries up to the first damaged one, and what was wrong past them, if anything.
    /// - Returns: No entries when there is no file.
    /// - Throws: ``ReportingError`` (`spoolUnavailable`) when the file exists but cannot be read.
    static func read(in directory: String) throws(ReportingError) -> (entries: [Entry], damage: String?) {
        let path = directory + "/" + name
        guard access(path, F_OK) == 0 else { return ([], nil) }
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw ReportingError(.spoolUnavailable, "cannot read \(path): \(error)")
        }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            return ([], "no retention header")
        }
        var entries: [Entry] = []
        var offset = magic.count
        return bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                guard raw.count - offset >= 8 else { return (entries, "torn entry at byte \(offset)") }
                let time = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
                switch SpoolRecord.parse(UnsafeRawBufferPointer(rebasing: raw[(offset + 8)...])) {
                case .record(let record, let size):
                    entries.append(Entry(record: record, acknowledgedAtMicroseconds: Int64(bitPattern: time)))
                    offset += 8 + size
                case .corrupt(let reason):
                    return (entries, "corrupt entry at byte \(offset): \(reason)")
                case .torn:
                    return (entries, "torn entry at byte \(offset)")
                }
            }
            return (entries, nil)
        }
    }
}
