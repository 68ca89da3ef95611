/// A two-level lookup table for one canonical Huffman code of a DEFLATE block (RFC 1951 §3.2.2).
///
/// Index the table with the next `rootBits` bits of input (least significant first). Each 32-bit entry packs:
/// bits 0–4 the number of bits to consume, bits 5–9 the number of extra bits that follow (or a subtable's
/// index width), bits 10–12 the entry kind, bits 16–31 the value (literal byte, base length or distance,
/// or subtable offset). Codes longer than `rootBits` go through a subtable, as in zlib's inflate.
struct HuffmanTable {
    static let kindLiteral: UInt32 = 0
    static let kindLength: UInt32 = 1
    static let kindEndOfBlock: UInt32 = 2
    static let kindSubtable: UInt32 = 3
    static let kindInvalid: UInt32 = 4

    /// What a symbol decodes to: its kind, value and extra-bit count.
    typealias SymbolMeaning = (kind: UInt32, value: UInt32, extraBits: UInt32)

    let rootBits: Int
    private(set) var entries: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int

    init(rootBits: Int) {
        self.rootBits = rootBits
        capacity = (1 << rootBits) + 2048
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: HuffmanTable.invalidEntry, count: capacity)
    }

    /// Frees the table's storage; call exactly once.
    func deallocate() {
        entries.deallocate()
    }

    static let invalidEntry: UInt32 = kindInvalid << 10

    @inline(__always)
    static func entry(kind: UInt32, value: UInt32, length: Int, extraBits: UInt32) -> UInt32 {
        (value << 16) | (kind << 10) | (extraBits << 5) | UInt32(length)
    }

    /// Builds the table from code lengths (0 = symbol unused).
    ///
    /// Over-subscribed codes are rejected; incomplete codes are accepted and their unused bit patterns decode to
    /// invalid entries, so reading one is reported when (and only if) the data uses it.
    /// - Returns: `false` when the lengths do not form a prefix code.
    mutating func build(lengths: UnsafePointer<UInt8>, count: Int, meaning: (Int) -> SymbolMeaning) -> Bool {
        var lengthCounts = [Int](repeating: 0, count: 16)
        for symbol in 0..<count { lengthCounts[Int(lengths[symbol])] += 1 }
        lengthCounts[0] = 0
        var left = 1
        for length in 1...15 {
            left = (left << 1) - lengthCounts[length]
            if left < 0 { return false }
        }
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + lengthCounts[length - 1]) << 1
            nextCode[length] = code
        }
        // Reversed codes, since DEFLATE packs Huffman codes starting from their most significant bit.
        var reversed = [Int](repeating: 0, count: count)
        for symbol in 0..<count {
            let length = Int(lengths[symbol])
            guard length > 0 else { continue }
            let value = nextCode[length]
            nextCode[length] += 1
            var result = 0
            for bit in 0..<length where value & (1 << bit) != 0 { result |= 1 << (length - 1 - bit) }
            reversed[symbol] = result
        }
        let rootSize = 1 << rootBits
        let rootMask = rootSize - 1
        // Width of the subtable below each root slot that long codes share.
        var subtableBits = [Int](repeating: 0, count: rootSize)
        for symbol in 0..<count where Int(lengths[symbol]) > rootBits {
            let slot = reversed[symbol] & rootMask
            subtableBits[slot] = max(subtableBits[slot], Int(lengths[symbol]) - rootBits)
        }
        var needed = rootSize
        for slot in 0..<rootSize where subtableBits[slot] > 0 { needed += 1 << subtableBits[slot] }
        if needed > capacity {
            entries.deallocate()
            capacity = needed
            entries = .allocate(capacity: capacity)
        }
        entries.update(repeating: HuffmanTable.invalidEntry, count: needed)
        var subtableOffset = [Int](repeating: 0, count: rootSize)
        var offset = rootSize
        for slot in 0..<rootSize where subtableBits[slot] > 0 {
            subtableOffset[slot] = offset
            entries[slot] = HuffmanTable.entry(
                kind: HuffmanTable.kindSubtable, value: UInt32(offset), length: rootBits,
                extraBits: UInt32(subtableBits[slot]))
            offset += 1 << subtableBits[slot]
        }
        for symbol in 0..<count {
            let length = Int(lengths[symbol])
            guard length > 0 else { continue }
            let meaning = meaning(symbol)
            if length <= rootBits {
                let entry = HuffmanTable.entry(
                    kind: meaning.kind, value: meaning.value, length: length, extraBits: meaning.extraBits)
                var index = reversed[symbol]
                while index < rootSize {
                    entries[index] = entry
                    index += 1 << length
                }
            } else {
                let slot = reversed[symbol] & rootMask
                let subLength = length - rootBits
                let entry = HuffmanTable.entry(
                    kind: meaning.kind, value: meaning.value, length: subLength, extraBits: meaning.extraBits)
                let base = subtableOffset[slot]
                let size = 1 << subtableBits[slot]
                var index = reversed[symbol] >> rootBits
                while index < size {
                    entries[base + index] = entry
                    index += 1 << subLength
                }
            }
        }
        return true
    }
}
