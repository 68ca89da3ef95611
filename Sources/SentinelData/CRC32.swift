/// CRC-32 (ISO-HDLC, the polynomial gzip uses), computed eight bytes at a time ("slicing-by-8").
struct CRC32 {
    /// The running checksum of everything passed to `update` so far.
    private(set) var value: UInt32 = 0

    /// Folds `count` bytes at `bytes` into the checksum.
    mutating func update(_ bytes: UnsafePointer<UInt8>, count: Int) {
        value = CRC32.tables.withUnsafeBufferPointer { tables in
            CRC32.update(value, bytes, count, tables.baseAddress!)
        }
    }

    /// Folds the bytes of `buffer` into the checksum.
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        update(base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
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

    /// Eight 256-entry tables: `tables[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for k in 1..<8 {
                crc = tables[Int(crc & 0xFF)] ^ (crc >> 8)
                tables[k * 256 + byte] = crc
            }
        }
        return tables
    }()
}
