/// The label book's map from transaction id to entry slot: open addressing with linear probing over one flat
/// array of 8-byte buckets (a 32-bit hash of the id and the slot), instead of a `[String: Int]`.
///
/// The ids themselves stay in the book's entries; a bucket whose hash matches is confirmed there. Removing the
/// entry of a known slot needs no string comparison (slots are unique), and the table grows without rehashing any
/// string (a bucket's home is its stored hash). Per scored event this costs two short probes and one cheap hash,
/// where the dictionary paid up to three SipHash lookups.
///
/// ```swift
/// var index = LabelIndex()
/// _ = index.insert(LabelIndex.hash("t1"), slot: 0) { _ in false }
/// let slot = index.find(LabelIndex.hash("t1")) { $0 == 0 }
/// ```
struct LabelIndex: Sendable {
    // 0 is empty; otherwise hash << 32 | (slot + 1).
    private var buckets: [UInt64]
    private var mask: Int
    /// The ids held.
    private(set) var count: Int

    /// Creates an empty index.
    init() {
        buckets = [UInt64](repeating: 0, count: 16)
        mask = 15
        count = 0
    }

    /// A 32-bit hash of an id's UTF-8 bytes (64-bit multiply-xorshift per 8 bytes, folded).
    static func hash(_ id: String) -> UInt32 {
        var id = id
        return id.withUTF8 { bytes in
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
            var offset = 0
            let raw = UnsafeRawBufferPointer(bytes)
            while offset + 8 <= raw.count {
                state = mix(state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            if offset < raw.count {
                var tail: UInt64 = 0
                for index in offset..<raw.count { tail = tail << 8 | UInt64(raw[index]) }
                state = mix(state ^ tail)
            }
            state = mix(state)
            return UInt32(truncatingIfNeeded: state ^ (state >> 32))
        }
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &* 0xBF58_476D_1CE4_E5B9
        z ^= z >> 31
        z = z &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 29)
    }

    /// The slot held for an id, or `nil`.
    /// - Parameters:
    ///   - hash: ``hash(_:)`` of the id.
    ///   - isKey: Whether the entry in a slot has the id (asked only when the hashes match).
    @inline(__always)
    func find(_ hash: UInt32, isKey: (Int) -> Bool) -> Int? {
        var position = Int(hash) & mask
        while true {
            let bucket = buckets[position]
            if bucket == 0 { return nil }
            if UInt32(truncatingIfNeeded: bucket >> 32) == hash {
                let slot = Int(bucket & 0xFFFF_FFFF) - 1
                if isKey(slot) { return slot }
            }
            position = (position + 1) & mask
        }
    }

    /// Maps an id to `slot`, replacing its previous slot.
    /// - Parameters:
    ///   - hash: ``hash(_:)`` of the id.
    ///   - slot: The entry slot (< 2³² − 1).
    ///   - isKey: Whether the entry in a slot has the id.
    /// - Returns: The previous slot, or `nil` when the id was new.
    @inline(__always)
    mutating func insert(_ hash: UInt32, slot: Int, isKey: (Int) -> Bool) -> Int? {
        let value = UInt64(hash) << 32 | UInt64(slot + 1)
        var position = Int(hash) & mask
        while true {
            let bucket = buckets[position]
            if bucket == 0 { break }
            if UInt32(truncatingIfNeeded: bucket >> 32) == hash {
                let previous = Int(bucket & 0xFFFF_FFFF) - 1
                if isKey(previous) {
                    buckets[position] = value
                    return previous
                }
            }
            position = (position + 1) & mask
        }
        buckets[position] = value
        count += 1
        // At most half full: probes stay short.
        if count * 2 > buckets.count { grow() }
        return nil
    }

    /// Removes the mapping to `slot` of the id with `hash`, if the id maps to that slot.
    /// - Returns: Whether it was removed.
    @discardableResult
    @inline(__always)
    mutating func remove(_ hash: UInt32, slot: Int) -> Bool {
        let value = UInt64(hash) << 32 | UInt64(slot + 1)
        var hole = Int(hash) & mask
        while true {
            let bucket = buckets[hole]
            if bucket == 0 { return false }
            if bucket == value { break }
            hole = (hole + 1) & mask
        }
        // Backward-shift deletion: move later buckets of the run whose home is not in (hole, position].
        var position = hole
        while true {
            position = (position + 1) & mask
            let bucket = buckets[position]
            if bucket == 0 { break }
            let home = Int(UInt32(truncatingIfNeeded: bucket >> 32)) & mask
            let stays = hole <= position ? (hole < home && home <= position) : (hole < home || home <= position)
            if !stays {
                buckets[hole] = bucket
                hole = position
            }
        }
        buckets[hole] = 0
        count -= 1
        return true
    }

    /// Every (slot) held, in bucket order.
    var slots: [Int] {
        buckets.compactMap { $0 == 0 ? nil : Int($0 & 0xFFFF_FFFF) - 1 }
    }

    private mutating func grow() {
        let old = buckets
        buckets = [UInt64](repeating: 0, count: old.count * 2)
        mask = buckets.count - 1
        for bucket in old where bucket != 0 {
            var position = Int(UInt32(truncatingIfNeeded: bucket >> 32)) & mask
            while buckets[position] != 0 { position = (position + 1) & mask }
            buckets[position] = bucket
        }
    }
}
