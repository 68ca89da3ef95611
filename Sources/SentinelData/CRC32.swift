/// A 32-bit CRC computed eight bytes at a time ("slicing-by-8"), in one of two standard variants.
///
/// gzip uses ISO-HDLC (``Variant/isoHDLC``); the monitor's log and snapshots use Castagnoli
/// (``Variant/castagnoli``, the checksum of iSCSI, ext4 metadata and RocksDB/Kafka logs, with better error
/// detection for their record sizes). "123456789" gives 0xCBF43926 and 0xE3069283 respectively.
///
/// ```swift
/// var crc = CRC32(.castagnoli)
/// bytes.withUnsafeBytes { crc.update($0) }
/// let checksum = crc.value
/// ```
public struct CRC32: Sendable {
    /// The polynomial.
    public enum Variant: Sendable {
        /// ISO-HDLC, polynomial 0x04C11DB7 (reflected 0xEDB88320): gzip, zlib, PNG.
        case isoHDLC
        /// Castagnoli, polynomial 0x1EDC6F41 (reflected 0x82F63B78): CRC-32C.
        case castagnoli
    }

    /// The running checksum of everything passed to `update` so far.
    public private(set) var value: UInt32 = 0
    private let variant: Variant

    /// Creates an empty checksum.
    public init(_ variant: Variant = .isoHDLC) {
        self.variant = variant
    }

    /// The checksum of `buffer` alone.
    public static func checksum(_ variant: Variant, _ buffer: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32(variant)
        crc.update(buffer)
        return crc.value
    }

    /// Folds `count` bytes at `bytes` into the checksum.
    public mutating func update(_ bytes: UnsafePointer<UInt8>, count: Int) {
        let tables = variant == .isoHDLC ? CRC32.isoHDLCTables : CRC32.castagnoliTables
        value = tables.withUnsafeBufferPointer { tables in
            CRC32.update(value, bytes, count, tables.baseAddress!)
        }
    }

    /// Folds the bytes of `buffer` into the checksum.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        update(base.assumingMemoryBound(to: UInt8.self), count: buffer.count)
    }

    /// Folds the bytes of `bytes` into the checksum.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Folds one byte into the checksum.
    public mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { update($0) }
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

    private static let isoHDLCTables = makeTables(reflectedPolynomial: 0xEDB8_8320)
    private static let castagnoliTables = makeTables(reflectedPolynomial: 0x82F6_3B78)

    /// Eight 256-entry tables: `tables[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes.
    private static func makeTables(reflectedPolynomial: UInt32) -> [UInt32] {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1
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
    }
}
