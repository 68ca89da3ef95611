extension ScoreBatchRequest {
    /// Reads a request straight from its bytes when they use only the canonical encoding protobuf encoders write
    /// (each known field once per message, one-byte tags, packed features, minimal lengths), and runs `body` with
    /// the view; the strings point into `bytes`, the features into an aligned copy. Anything else — unknown or
    /// repeated fields, a string that is not UTF-8, a malformed or truncated encoding — returns `nil` before `body`
    /// runs, and the caller decodes with protobuf-c (which then accepts it or throws the decoder's error).
    ///
    /// What it accepts it reads as protobuf-c does: strings end at their first NUL, a varint `event_time_unix_us`
    /// is two's complement, a packed `features` field of `8k` bytes is `k` doubles.
    static func withScannedView<R>(_ bytes: UnsafeRawBufferPointer, _ body: (View) throws -> R) rethrows -> R? {
        guard let shape = WireScanner.shape(of: bytes) else { return nil }
        return try withScratch(of: Transaction.View.self, capacity: max(shape.transactions, 1)) {
            views in
            try withScratch(of: Double.self, capacity: bytes.count / 8 + 1) { features in
                guard WireScanner.readTransactions(bytes, into: views.baseAddress!, features: features.baseAddress!)
                else { return nil }
                let modelVersion = shape.modelVersion.map { String(decoding: bytes[$0], as: UTF8.self) }
                let transactions = UnsafeBufferPointer(start: views.baseAddress!, count: shape.transactions)
                return try body(View(transactions: transactions, modelVersion: modelVersion))
            }
        }
    }
}

/// The canonical-encoding reader behind ``ScoreBatchRequest/withScannedView(_:_:)``.
private enum WireScanner {
    struct Shape {
        var transactions = 0
        /// The pinned version's bytes (up to the first NUL), when the field is present.
        var modelVersion: Range<Int>?
    }

    /// Counts the transactions and finds the pinned version; `nil` for anything the scan does not read at the top
    /// level. (The features, all within the request, fit in `bytes.count / 8` doubles.)
    static func shape(of bytes: UnsafeRawBufferPointer) -> Shape? {
        var shape = Shape()
        var cursor = Cursor(bytes: bytes, position: 0, end: bytes.count)
        while !cursor.atEnd {
            switch cursor.byte() {
            case 0x0A:  // transactions = 1
                // The transaction's own fields are checked when it is read.
                guard cursor.lengthDelimited() != nil else { return nil }
                shape.transactions += 1
            case 0x12:  // model_version = 2 (oneof pinned_model)
                guard shape.modelVersion == nil, let range = cursor.lengthDelimited(),
                    let text = utf8Text(bytes, range)
                else { return nil }
                shape.modelVersion = text
            default:
                return nil
            }
        }
        return shape
    }

    /// Reads every transaction into `views`, features copied into `features`; `false` when a string is not UTF-8.
    static func readTransactions(
        _ bytes: UnsafeRawBufferPointer, into views: UnsafeMutablePointer<Transaction.View>,
        features: UnsafeMutablePointer<Double>
    ) -> Bool {
        var cursor = Cursor(bytes: bytes, position: 0, end: bytes.count)
        var index = 0
        var nextFeature = features
        while !cursor.atEnd {
            let tag = cursor.byte()
            // The shape pass checked the structure: only the two known fields, well formed.
            guard let range = cursor.lengthDelimited() else { return false }
            guard tag == 0x0A else { continue }
            var id: Range<Int>?
            var cardId: Range<Int>?
            var terminalId: Range<Int>?
            var eventTime: Int64 = 0
            var amount: Double = 0
            var featureCount = 0
            let featureStart = nextFeature
            var ok = true
            walk(bytes, range) { tag, field in
                switch tag {
                case 0x0A: id = utf8Text(bytes, field)
                case 0x10: eventTime = Int64(bitPattern: varintValue(bytes, field))
                case 0x1A: cardId = utf8Text(bytes, field)
                case 0x22: terminalId = utf8Text(bytes, field)
                case 0x29:
                    let bits = bytes.loadUnaligned(fromByteOffset: field.lowerBound, as: UInt64.self)
                    amount = Double(bitPattern: UInt64(littleEndian: bits))
                case 0x32:
                    featureCount = field.count / 8
                    UnsafeMutableRawPointer(nextFeature).copyMemory(
                        from: bytes.baseAddress! + field.lowerBound, byteCount: field.count)
                    #if _endian(big)
                        for offset in 0..<featureCount {
                            nextFeature[offset] = Double(bitPattern: nextFeature[offset].bitPattern.byteSwapped)
                        }
                    #endif
                    nextFeature += featureCount
                default: break
                }
                // A string that is not UTF-8 is left to protobuf-c and the copying decoder (for the error).
                if (tag == 0x0A && id == nil) || (tag == 0x1A && cardId == nil) || (tag == 0x22 && terminalId == nil) {
                    ok = false
                }
            } invalid: {
                ok = false
            }
            guard ok else { return false }
            (views + index).initialize(
                to: Transaction.View(
                    id: text(bytes, id), eventTimeMicroseconds: eventTime, cardId: text(bytes, cardId),
                    terminalId: text(bytes, terminalId), amount: amount,
                    features: UnsafeBufferPointer(start: featureCount > 0 ? featureStart : nil, count: featureCount)))
            index += 1
        }
        return true
    }

    /// Visits the fields of one transaction: each known field at most once, with its wire type; calls `invalid` (and
    /// stops) at anything else.
    private static func walk(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ visit: (UInt8, Range<Int>) -> Void,
        invalid: () -> Void
    ) {
        var cursor = Cursor(bytes: bytes, position: range.lowerBound, end: range.upperBound)
        var seen: UInt8 = 0
        while !cursor.atEnd {
            let tag = cursor.byte()
            let field: Range<Int>?
            let bit: UInt8
            switch tag {
            case 0x0A: (field, bit) = (cursor.lengthDelimited(), 1)
            case 0x10: (field, bit) = (cursor.varint(), 2)
            case 0x1A: (field, bit) = (cursor.lengthDelimited(), 4)
            case 0x22: (field, bit) = (cursor.lengthDelimited(), 8)
            case 0x29: (field, bit) = (cursor.fixed64(), 16)
            case 0x32: (field, bit) = (cursor.lengthDelimited(), 32)
            default: (field, bit) = (nil, 0)
            }
            guard let field, seen & bit == 0, tag != 0x32 || field.count % 8 == 0 else {
                invalid()
                return
            }
            seen |= bit
            visit(tag, field)
        }
    }

    /// The bytes of a string field up to its first NUL, when they are UTF-8.
    private static func utf8Text(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int>? {
        var end = range.lowerBound
        var high: UInt8 = 0
        while end < range.upperBound {
            let byte = bytes[end]
            if byte == 0 { break }
            high |= byte
            end += 1
        }
        let text = range.lowerBound..<end
        if high < 0x80 { return text }
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[text]).assumingMemoryBound(to: UInt8.self)
        return String(validating: utf8, as: UTF8.self) == nil ? nil : text
    }

    private static func text(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>?) -> UnsafeRawBufferPointer {
        guard let range, !range.isEmpty else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The value of the varint at `range` (at most 10 bytes, checked by the cursor).
    private static func varintValue(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for position in range {
            value |= UInt64(bytes[position] & 0x7F) << shift
            shift += 7
        }
        return value
    }

    /// A position in the bytes with the reads the canonical encoding needs; each returns `nil` when the bytes end
    /// early or are not minimal.
    struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var position: Int
        let end: Int

        var atEnd: Bool { position >= end }

        mutating func byte() -> UInt8 {
            defer { position += 1 }
            return bytes[position]
        }

        /// A varint of at most 10 bytes whose tenth byte holds only bit 63; returns its bytes.
        mutating func varint() -> Range<Int>? {
            let start = position
            while position < end {
                let byte = bytes[position]
                position += 1
                if byte < 0x80 {
                    let count = position - start
                    guard count < 10 || (count == 10 && byte <= 1) else { return nil }
                    return start..<position
                }
                if position - start >= 10 { return nil }
            }
            return nil
        }

        mutating func fixed64() -> Range<Int>? {
            guard end - position >= 8 else { return nil }
            defer { position += 8 }
            return position..<(position + 8)
        }

        /// A length (at most 4 bytes of varint: under 256 MiB) and that many bytes.
        mutating func lengthDelimited() -> Range<Int>? {
            var length = 0
            var shift = 0
            while true {
                guard position < end, shift < 28 else { return nil }
                let byte = bytes[position]
                position += 1
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            guard end - position >= length else { return nil }
            defer { position += length }
            return position..<(position + length)
        }
    }
}

/// Uninitialised scratch for `capacity` values: the stack up to 64 KiB, the heap above (a large batch must not take
/// megabytes of an event loop's stack). Trivial types only.
@inline(__always)
private func withScratch<T, R>(
    of type: T.Type, capacity: Int, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
) rethrows -> R {
    let capacity = max(capacity, 1)
    if capacity * MemoryLayout<T>.stride <= 64 << 10 {
        return try withUnsafeTemporaryAllocation(of: T.self, capacity: capacity, body)
    }
    let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: capacity)
    defer { buffer.deallocate() }
    return try body(buffer)
}
