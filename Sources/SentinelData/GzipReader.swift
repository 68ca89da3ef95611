#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A streaming gzip decoder (RFC 1952 container, RFC 1951 DEFLATE) in pure Swift.
///
/// Memory stays bounded whatever the input size: 64 KiB of input, a 32 KiB history window plus a 256 KiB output
/// chunk, and the Huffman tables. Every member's CRC-32 and ISIZE are checked; concatenated members (as written by
/// `cat a.gz b.gz` or `pigz`) decode as one stream. Anything after the last member other than another member is
/// an error, and so is a stream that ends early. The optional header CRC-16 (FHCRC) is skipped, not verified.
///
/// The decoder is table-driven: a 10-bit first-level table for literals/lengths and an 8-bit one for distances,
/// a 64-bit bit buffer refilled eight bytes at a time, and match copies done a word at a time.
final class GzipReader: ByteSource {
    private enum State {
        case memberHeader
        case blockHeader
        case stored(remaining: Int)
        case huffman
        case trailer
        case finished
    }

    private static let historySize = 32_768
    private static let chunkSize = 1 << 18
    private static let windowSlack = 1024
    private static let inputCapacity = 1 << 16

    private let source: any ByteSource
    private let name: String

    private let input: UnsafeMutablePointer<UInt8>
    private var inPos = 0
    private var inEnd = 0
    private var sourceAtEnd = false
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0
    /// Zero bytes invented past the end of the input; a valid stream never consumes any.
    private var paddingBytes = 0

    private let window: UnsafeMutablePointer<UInt8>
    private let windowCapacity: Int
    private let outputLimit: Int
    private var outPos = 0
    private var readPos = 0
    /// Start of the current member's output in `window` (or 0 once it has slid out); bounds match distances.
    private var historyStart = 0
    private var crc = CRC32()
    private var crcPos = 0
    private var memberSize: UInt32 = 0

    private var literalTable = HuffmanTable(rootBits: 10)
    private var distanceTable = HuffmanTable(rootBits: 8)
    private var codeLengthTable = HuffmanTable(rootBits: 7)
    private var state = State.memberHeader
    private var lastBlock = false
    private var membersRead = 0

    /// Creates a decoder reading compressed bytes from `source`.
    /// - Parameters:
    ///   - source: The compressed stream, starting at the first member's magic bytes.
    ///   - name: The file name used in error messages.
    init(source: any ByteSource, name: String) {
        self.source = source
        self.name = name
        input = .allocate(capacity: GzipReader.inputCapacity)
        windowCapacity = GzipReader.historySize + GzipReader.chunkSize + GzipReader.windowSlack
        outputLimit = windowCapacity - GzipReader.windowSlack
        window = .allocate(capacity: windowCapacity)
        window.initialize(repeating: 0, count: windowCapacity)
    }

    deinit {
        input.deallocate()
        window.deallocate()
        literalTable.deallocate()
        distanceTable.deallocate()
        codeLengthTable.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let destination = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if readPos < outPos {
                let count = min(buffer.count, outPos - readPos)
                destination.copyMemory(from: window + readPos, byteCount: count)
                readPos += count
                return count
            }
            if case .finished = state { return 0 }
            if outPos >= outputLimit { slideWindow() }
            try produce()
        }
    }

    // MARK: Errors

    private func corrupt(_ detail: String) -> DataError {
        DataError(.corruptCompressedData, "corrupt gzip data: \(detail)", file: name)
    }

    private func truncated() -> DataError {
        DataError(
            .truncatedCompressedData, "gzip data ends early (truncated file?)", file: name)
    }

    // MARK: Output window

    /// Keeps the last 32 KiB of output (the longest match distance) and frees the rest for new output.
    private func slideWindow() {
        let shift = outPos - GzipReader.historySize
        guard shift > 0 else { return }
        memmove(window, window + shift, GzipReader.historySize)
        outPos -= shift
        readPos -= shift
        crcPos -= shift
        historyStart = max(0, historyStart - shift)
    }

    private func updateChecksum() {
        let count = outPos - crcPos
        guard count > 0 else { return }
        crc.update(window + crcPos, count: count)
        memberSize &+= UInt32(truncatingIfNeeded: count)
        crcPos = outPos
    }

    /// Runs the decoder until the output chunk is full or the stream ends.
    private func produce() throws {
        defer { updateChecksum() }
        while outPos < outputLimit {
            switch state {
            case .finished:
                return
            case .memberHeader:
                if membersRead > 0, try atEndOfInput() {
                    state = .finished
                    return
                }
                try readMemberHeader()
                membersRead += 1
                crc = CRC32()
                memberSize = 0
                crcPos = outPos
                historyStart = outPos
                state = .blockHeader
            case .blockHeader:
                try readBlockHeader()
            case .stored(let remaining):
                if remaining == 0 {
                    state = lastBlock ? .trailer : .blockHeader
                } else {
                    let count = min(remaining, outputLimit - outPos)
                    try copyStored(count)
                    state = .stored(remaining: remaining - count)
                }
            case .huffman:
                try decodeHuffmanBlock()
            case .trailer:
                try switchToByteMode()
                updateChecksum()
                var expectedCRC: UInt32 = 0
                var expectedSize: UInt32 = 0
                for shift in stride(from: 0, to: 32, by: 8) { expectedCRC |= UInt32(try readByte()) << shift }
                for shift in stride(from: 0, to: 32, by: 8) { expectedSize |= UInt32(try readByte()) << shift }
                guard expectedCRC == crc.value else {
                    throw corrupt("CRC-32 mismatch in member \(membersRead)")
                }
                guard expectedSize == memberSize else {
                    throw corrupt("length mismatch in member \(membersRead) (ISIZE)")
                }
                state = .memberHeader
            }
        }
    }

    // MARK: Input, byte mode (headers, trailers, stored blocks)

    /// Moves unread input to the front of the buffer and reads more; keeps 8 bytes already taken into the bit buffer
    /// so that `switchToByteMode` can give them back.
    private func refillInput() throws {
        guard !sourceAtEnd else { return }
        let keep = min(inPos, 8)
        let start = inPos - keep
        let count = inEnd - start
        if start > 0 { memmove(input, input + start, count) }
        inPos = keep
        inEnd = count
        let space = GzipReader.inputCapacity - inEnd
        guard space > 0 else { return }
        let read = try source.read(into: UnsafeMutableRawBufferPointer(start: input + inEnd, count: space))
        if read == 0 { sourceAtEnd = true }
        inEnd += read
    }

    private func atEndOfInput() throws -> Bool {
        if inPos == inEnd { try refillInput() }
        return inPos == inEnd
    }

    private func readByte() throws -> UInt8 {
        if inPos == inEnd { try refillInput() }
        guard inPos < inEnd else { throw truncated() }
        let byte = input[inPos]
        inPos += 1
        return byte
    }

    /// Drops the bits up to the next byte boundary and returns whole unread bytes from the bit buffer to the input.
    private func switchToByteMode() throws {
        let whole = bitCount >> 3
        guard whole >= paddingBytes else { throw truncated() }
        inPos -= whole - paddingBytes
        bitBuffer = 0
        bitCount = 0
        paddingBytes = 0
    }

    private func readMemberHeader() throws {
        let id1 = try readByte()
        let id2 = try readByte()
        guard id1 == 0x1F, id2 == 0x8B else {
            throw corrupt(membersRead == 0 ? "not a gzip file" : "unexpected data after gzip member \(membersRead)")
        }
        guard try readByte() == 8 else { throw corrupt("unsupported compression method") }
        let flags = try readByte()
        guard flags & 0xE0 == 0 else { throw corrupt("reserved header flags set") }
        for _ in 0..<6 { _ = try readByte() }  // MTIME, XFL, OS
        if flags & 0x04 != 0 {
            let length = Int(try readByte()) | Int(try readByte()) << 8
            for _ in 0..<length { _ = try readByte() }
        }
        if flags & 0x08 != 0 { while try readByte() != 0 {} }  // file name
        if flags & 0x10 != 0 { while try readByte() != 0 {} }  // comment
        if flags & 0x02 != 0 { for _ in 0..<2 { _ = try readByte() } }  // header CRC-16
    }

    private func copyStored(_ count: Int) throws {
        var remaining = count
        while remaining > 0 {
            if inPos == inEnd { try refillInput() }
            guard inPos < inEnd else { throw truncated() }
            let step = min(remaining, inEnd - inPos)
            (window + outPos).update(from: input + inPos, count: step)
            inPos += step
            outPos += step
            remaining -= step
        }
    }

    // MARK: Input, bit mode

    /// Makes at least `count` (≤ 56) bits available, padding with zero bytes past the end of the input; a stream
    /// that needs more than a few padding bytes is truncated.
    private func ensureBits(_ count: Int) throws {
        while bitCount < count {
            if inPos == inEnd { try refillInput() }
            if inPos < inEnd {
                bitBuffer |= UInt64(input[inPos]) << UInt64(bitCount)
                inPos += 1
            } else {
                paddingBytes += 1
                if paddingBytes > 16 { throw truncated() }
            }
            bitCount += 8
        }
    }

    private func readBits(_ count: Int) throws -> Int {
        try ensureBits(count)
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    private func readBlockHeader() throws {
        let header = try readBits(3)
        lastBlock = header & 1 == 1
        switch header >> 1 {
        case 0:
            try switchToByteMode()
            let length = Int(try readByte()) | Int(try readByte()) << 8
            let complement = Int(try readByte()) | Int(try readByte()) << 8
            guard length == ~complement & 0xFFFF else { throw corrupt("stored block length check failed") }
            state = .stored(remaining: length)
        case 1:
            var lengths = [UInt8](repeating: 0, count: 288 + 32)
            for symbol in 0..<288 {
                lengths[symbol] = symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8
            }
            for symbol in 288..<320 { lengths[symbol] = 5 }
            try buildTables(lengths, literalCount: 288, distanceCount: 32)
            state = .huffman
        case 2:
            try readDynamicTables()
            state = .huffman
        default:
            throw corrupt("invalid block type 3")
        }
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    private static let lengthBase: [UInt32] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra: [UInt32] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [UInt32] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12_289, 16_385, 24_577,
    ]
    private static let distanceExtra: [UInt32] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    private func readDynamicTables() throws {
        let literalCount = try readBits(5) + 257
        let distanceCount = try readBits(5) + 1
        let codeLengthCount = try readBits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw corrupt("too many length or distance codes") }
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengthLengths[GzipReader.codeLengthOrder[index]] = UInt8(try readBits(3))
        }
        let built = codeLengthLengths.withUnsafeBufferPointer { lengths in
            codeLengthTable.build(lengths: lengths.baseAddress!, count: 19) { symbol in
                (HuffmanTable.kindLiteral, UInt32(symbol), 0)
            }
        }
        guard built else { throw corrupt("invalid code-length code") }
        let total = literalCount + distanceCount
        var lengths = [UInt8](repeating: 0, count: total)
        var index = 0
        while index < total {
            try ensureBits(14)
            let entry = codeLengthTable.entries[Int(bitBuffer & 0x7F)]
            guard (entry >> 10) & 7 == HuffmanTable.kindLiteral else { throw corrupt("invalid code-length symbol") }
            let length = Int(entry & 31)
            bitBuffer >>= UInt64(length)
            bitCount -= length
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw corrupt("repeat code with no previous length") }
                value = lengths[index - 1]
                repeatCount = 3 + (try readBits(2))
            case 17:
                repeatCount = 3 + (try readBits(3))
            default:
                repeatCount = 11 + (try readBits(7))
            }
            guard index + repeatCount <= total else { throw corrupt("code lengths overflow") }
            for _ in 0..<repeatCount {
                lengths[index] = value
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw corrupt("no end-of-block code") }
        try buildTables(lengths, literalCount: literalCount, distanceCount: distanceCount)
    }

    private func buildTables(_ lengths: [UInt8], literalCount: Int, distanceCount: Int) throws {
        try lengths.withUnsafeBufferPointer { all in
            let base = all.baseAddress!
            let literalsBuilt = literalTable.build(lengths: base, count: literalCount) { symbol in
                if symbol < 256 { return (HuffmanTable.kindLiteral, UInt32(symbol), 0) }
                if symbol == 256 { return (HuffmanTable.kindEndOfBlock, 0, 0) }
                if symbol <= 285 {
                    return (
                        HuffmanTable.kindLength, GzipReader.lengthBase[symbol - 257],
                        GzipReader.lengthExtra[symbol - 257]
                    )
                }
                return (HuffmanTable.kindInvalid, 0, 0)
            }
            guard literalsBuilt else { throw corrupt("invalid literal/length code") }
            let distancesBuilt = distanceTable.build(lengths: base + literalCount, count: distanceCount) { symbol in
                if symbol < 30 {
                    return (HuffmanTable.kindLength, GzipReader.distanceBase[symbol], GzipReader.distanceExtra[symbol])
                }
                return (HuffmanTable.kindInvalid, 0, 0)
            }
            guard distancesBuilt else { throw corrupt("invalid distance code") }
        }
    }

    /// Decodes symbols of the current Huffman block until it ends or the output chunk is full.
    ///
    /// The hot loop: state lives in locals, at least 48 bits (the most one length/distance pair needs) are in the
    /// bit buffer before each symbol, and the window's slack absorbs the up-to-7-byte overrun of word copies.
    private func decodeHuffmanBlock() throws {
        let literals = literalTable.entries
        let distances = distanceTable.entries
        let out = window
        let limit = outputLimit
        let history = historyStart
        var bits = bitBuffer
        var count = bitCount
        var position = inPos
        var outp = outPos
        // A local copy: stored properties of a class cost a dynamic exclusivity check on every access.
        var end = inEnd
        let input = self.input
        defer {
            bitBuffer = bits
            bitCount = count
            inPos = position
            outPos = outp
        }
        while outp < limit {
            if count < 48 {
                if end - position < 8 {
                    bitBuffer = bits
                    bitCount = count
                    inPos = position
                    try refillInput()
                    if inEnd - inPos < 8 { try ensureBits(48) }
                    bits = bitBuffer
                    count = bitCount
                    position = inPos
                    end = inEnd
                }
                if end - position >= 8 {
                    let word = UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self).littleEndian
                    bits |= word << UInt64(count)
                    position += (63 - count) >> 3
                    count |= 56
                }
            }
            var entry = literals[Int(truncatingIfNeeded: bits & 0x3FF)]
            if (entry >> 10) & 7 == HuffmanTable.kindSubtable {
                bits >>= 10
                count -= 10
                let mask = (UInt64(1) << UInt64((entry >> 5) & 31)) - 1
                entry = literals[Int(entry >> 16) + Int(truncatingIfNeeded: bits & mask)]
            }
            let kind = (entry >> 10) & 7
            let length = entry & 31
            bits >>= UInt64(length)
            count -= Int(length)
            if kind == HuffmanTable.kindLiteral {
                out[outp] = UInt8(truncatingIfNeeded: entry >> 16)
                outp += 1
                continue
            }
            if kind == HuffmanTable.kindEndOfBlock {
                state = lastBlock ? .trailer : .blockHeader
                return
            }
            guard kind == HuffmanTable.kindLength else { throw corrupt("invalid literal/length code") }
            let extra = UInt64((entry >> 5) & 31)
            let matchLength = Int(entry >> 16) + Int(truncatingIfNeeded: bits & ((1 << extra) - 1))
            bits >>= extra
            count -= Int(extra)

            var distanceEntry = distances[Int(truncatingIfNeeded: bits & 0xFF)]
            if (distanceEntry >> 10) & 7 == HuffmanTable.kindSubtable {
                bits >>= 8
                count -= 8
                let mask = (UInt64(1) << UInt64((distanceEntry >> 5) & 31)) - 1
                distanceEntry = distances[Int(distanceEntry >> 16) + Int(truncatingIfNeeded: bits & mask)]
            }
            guard (distanceEntry >> 10) & 7 == HuffmanTable.kindLength else { throw corrupt("invalid distance code") }
            let distanceLength = distanceEntry & 31
            bits >>= UInt64(distanceLength)
            count -= Int(distanceLength)
            let distanceExtra = UInt64((distanceEntry >> 5) & 31)
            let distance = Int(distanceEntry >> 16) + Int(truncatingIfNeeded: bits & ((1 << distanceExtra) - 1))
            bits >>= distanceExtra
            count -= Int(distanceExtra)
            guard distance <= outp - history else { throw corrupt("match distance too far back") }

            var from = out + (outp - distance)
            var to = out + outp
            if distance >= 8 {
                let end = to + matchLength
                repeat {
                    UnsafeMutableRawPointer(to).storeBytes(
                        of: UnsafeRawPointer(from).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    from += 8
                    to += 8
                } while to < end
            } else if distance == 1 {
                to.update(repeating: from.pointee, count: matchLength)
            } else {
                for _ in 0..<matchLength {
                    to.pointee = from.pointee
                    to += 1
                    from += 1
                }
            }
            outp += matchLength
        }
    }
}
