/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the checksum of a spool record.
///
/// SentinelData has its own (slicing-by-8, for gzip); SentinelScoring does not depend on SentinelData, and
/// spool records are checked only at startup and on replay, so one table suffices.
enum SpoolChecksum {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    /// The CRC-32 of `bytes`, continuing from `initial` (the result of a previous call, or 0).
    static func crc32(_ bytes: UnsafeRawBufferPointer, initial: UInt32 = 0) -> UInt32 {
        var crc = ~initial
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return ~crc
    }
}
