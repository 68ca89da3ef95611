/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41 reflected as 0x82F63B78), computed eight bytes at a time.
///
/// The log and the snapshots use CRC-32C rather than SentinelData's gzip CRC-32 because it is the checksum of
/// iSCSI, ext4 metadata, LevelDB/RocksDB logs and Kafka record batches, with better error detection for the
/// record sizes stored here; "123456789" gives 0xE3069283.
///
/// ```swift
/// var crc = CRC32C()
/// crc.update(bytes)
/// let checksum = crc.value
/// ```
struct CRC32C {
    /// The checksum of everything passed to `update` so far.
    private(set) var value: UInt32 = 0

    /// Folds the bytes of `buffer` into the checksum.
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        value = CRC32C.tables.withUnsafeBufferPointer { tables in
            CRC32C.update(value, base.assumingMemoryBound(to: UInt8.self), buffer.count, tables.baseAddress!)
        }
    }

    /// Folds the bytes of `bytes` into the checksum.
    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Folds one byte into the checksum.
    mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { update($0) }
    }

    /// The checksum of `buffer` alone.
    static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32C()
        crc.update(buffer)
        return crc.value
    }

    private static func update(
        _ initial: UInt32, _ bytes: UnsafePointer<UInt8>, _ count: Int, _ t: UnsafePointer<UInt32>
    ) -> UInt32 {
        var crc = ~initial
        var p = bytes
        var remaining = count
        while remaining >= 8 {
            let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian
            let low = UInt32(truncatingIfNeeded: word) ^ crc
            let high = UInt32(truncatingIfNeeded: word >> 32)
            crc =
                t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
                ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
            p += 8
            remaining -= 8
        }
        while remaining > 0 {
            crc = t[Int((crc ^ UInt32(p.pointee)) & 0xFF)] ^ (crc >> 8)
            p += 1
            remaining -= 1
        }
        return ~crc
    }

    /// Eight 256-entry tables: table k advances a byte through k further zero bytes (slicing-by-8).
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = t[Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return t
    }()
}
