#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension EventBatch {
    /// Reads an `EventBatch` payload in place when it is written the way a conforming encoder writes it (the
    /// scoring API's reporter and protobuf-c both do): known fields with their own wire types, one-byte tags, each
    /// singular field of an event at most once, canonical varints, ASCII strings without NUL, packed features, and
    /// the decision a number the schema defines. The batch's own fields may repeat, the last one winning as in
    /// protobuf-c: the reporter coalesces consecutive batches into one request by concatenating their encodings
    /// (a protobuf merge). Anything else answers `nil`, and the caller asks protobuf-c instead — so a
    /// payload this reader accepts decodes to exactly what protobuf-c would give, and every other payload keeps
    /// protobuf-c's answer and error.
    ///
    /// Strings point into the payload; features are copied into `features` (the payload gives no alignment).
    struct PayloadReader {
        /// The batch's own fields.
        struct Header {
            var producerId: String
            var sentAtMicroseconds: Int64
            var droppedTotal: UInt64
        }

        private var cursor: UnsafePointer<UInt8>
        private let end: UnsafePointer<UInt8>

        private init(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
            self.cursor = start
            self.end = end
        }

        /// Reads a batch, appending its events to `events`; `nil` when the payload needs protobuf-c.
        /// - Parameters:
        ///   - bytes: The payload.
        ///   - events: Where the events go.
        ///   - features: Room for every feature value (`bytes.count / 8` doubles suffice).
        static func read(
            _ bytes: UnsafeRawBufferPointer, events: inout [ScoringEvent.Borrowed],
            features: UnsafeMutableBufferPointer<Double>
        ) -> Header? {
            var header = Header(producerId: "", sentAtMicroseconds: 0, droppedTotal: 0)
            guard let base = bytes.baseAddress, bytes.count > 0 else { return header }
            let start = base.assumingMemoryBound(to: UInt8.self)
            var reader = PayloadReader(start, start + bytes.count)
            var featuresUsed = 0
            var lastVersion = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            events.reserveCapacity(bytes.count / 256)
            while reader.cursor < reader.end {
                let tag = reader.cursor.pointee
                reader.cursor += 1
                switch tag {
                case 0x0A:  // producer_id = 1
                    guard let text = reader.string() else { return nil }
                    header.producerId = text.isEmpty ? "" : String(decoding: text, as: UTF8.self)
                case 0x12:  // events = 2
                    guard let length = reader.length() else { return nil }
                    var inner = PayloadReader(reader.cursor, reader.cursor + length)
                    reader.cursor += length
                    guard let event = inner.event(features: features, used: &featuresUsed, lastVersion: &lastVersion)
                    else { return nil }
                    events.append(event)
                case 0x18:  // sent_at_unix_us = 3
                    guard let value = reader.varint() else { return nil }
                    header.sentAtMicroseconds = Int64(bitPattern: value)
                case 0x20:  // dropped_total = 4
                    guard let value = reader.varint() else { return nil }
                    header.droppedTotal = value
                default:
                    return nil
                }
            }
            return header
        }

        /// One ScoringEvent filling this reader's whole range.
        private mutating func event(
            features: UnsafeMutableBufferPointer<Double>, used: inout Int,
            lastVersion: inout UnsafeBufferPointer<UInt8>
        ) -> ScoringEvent.Borrowed? {
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            var sequence: UInt64 = 0
            var eventTime: Int64 = 0
            var scoredAt: Int64 = 0
            var amount: Double = 0
            var values = UnsafeBufferPointer<Double>(start: nil, count: 0)
            var probability: Double = 0
            var decision = ScoreDecision.unspecified
            var latency: UInt64 = 0
            var transactionId = empty
            var cardId = empty
            var terminalId = empty
            var modelVersion = empty
            var seen: UInt16 = 0
            while cursor < end {
                let tag = cursor.pointee
                cursor += 1
                let field = UInt16(1) << (tag >> 3)
                guard tag >> 3 <= 12, seen & field == 0 else { return nil }
                seen |= field
                switch tag {
                case 0x08:
                    guard let value = varint() else { return nil }
                    sequence = value
                case 0x12:
                    guard let text = string() else { return nil }
                    transactionId = text
                case 0x18:
                    guard let value = varint() else { return nil }
                    eventTime = Int64(bitPattern: value)
                case 0x20:
                    guard let value = varint() else { return nil }
                    scoredAt = Int64(bitPattern: value)
                case 0x2A:
                    guard let text = string() else { return nil }
                    cardId = text
                case 0x32:
                    guard let text = string() else { return nil }
                    terminalId = text
                case 0x39:
                    guard let value = fixed64() else { return nil }
                    amount = value
                case 0x42:
                    guard let length = length(), length % 8 == 0, used + length / 8 <= features.count else {
                        return nil
                    }
                    let target = features.baseAddress! + used
                    UnsafeMutableRawPointer(target).copyMemory(from: cursor, byteCount: length)
                    // protobuf-c reads packed doubles as little-endian; so do we (a no-op on every target we run).
                    for index in 0..<(length / 8) {
                        target[index] = Double(bitPattern: UInt64(littleEndian: target[index].bitPattern))
                    }
                    values = UnsafeBufferPointer(start: length == 0 ? nil : target, count: length / 8)
                    used += length / 8
                    cursor += length
                case 0x49:
                    guard let value = fixed64() else { return nil }
                    probability = value
                case 0x50:
                    guard let value = varint(), value <= 2, let known = ScoreDecision(rawValue: Int32(value)) else {
                        return nil
                    }
                    decision = known
                case 0x5A:
                    guard let text = string() else { return nil }
                    modelVersion = text
                case 0x60:
                    guard let value = varint() else { return nil }
                    latency = value
                default: return nil
                }
            }
            // Equal to the previous event's version: point at the same bytes, so later comparisons of the two (per
            // event, in validation and in application) settle on the address without comparing bytes.
            if modelVersion.count == lastVersion.count, modelVersion.count > 0,
                memcmp(modelVersion.baseAddress!, lastVersion.baseAddress!, modelVersion.count) == 0
            {
                modelVersion = lastVersion
            } else {
                lastVersion = modelVersion
            }
            return ScoringEvent.Borrowed(
                sequence: sequence, eventTimeMicroseconds: eventTime, scoredAtMicroseconds: scoredAt, amount: amount,
                features: values, fraudProbability: probability, decision: decision, serverLatencyNanoseconds: latency,
                transactionId: transactionId, cardId: cardId, terminalId: terminalId, modelVersion: modelVersion)
        }

        /// A canonical varint (no redundant trailing zero byte, at most 64 bits); `nil` otherwise.
        @inline(__always)
        private mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while cursor < end {
                let byte = cursor.pointee
                cursor += 1
                if shift == 63 && byte > 1 { return nil }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return byte == 0 && shift > 0 ? nil : result }
                shift += 7
                if shift > 63 { return nil }
            }
            return nil
        }

        /// A length that fits in what is left.
        @inline(__always)
        private mutating func length() -> Int? {
            guard let value = varint(), value <= UInt64(end - cursor) else { return nil }
            return Int(value)
        }

        /// A little-endian 8-byte double.
        @inline(__always)
        private mutating func fixed64() -> Double? {
            guard end - cursor >= 8 else { return nil }
            let value = UnsafeRawPointer(cursor).loadUnaligned(as: UInt64.self)
            cursor += 8
            return Double(bitPattern: UInt64(littleEndian: value))
        }

        /// A length-delimited string of ASCII without NUL (valid UTF-8 that protobuf-c keeps whole).
        @inline(__always)
        private mutating func string() -> UnsafeBufferPointer<UInt8>? {
            guard let length = length() else { return nil }
            let text = UnsafeBufferPointer(start: cursor, count: length)
            for byte in text where byte == 0 || byte >= 0x80 { return nil }
            cursor += length
            return text
        }
    }
}
