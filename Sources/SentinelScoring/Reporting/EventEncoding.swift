import SentinelSchema

/// The reporter's own protobuf encoder for `ScoringEvent` and `EventBatch`, writing straight into a byte buffer.
///
/// ``EventQueue`` encodes each event once, on ``EventReporter/record(_:)``, as an `EventBatch.events` entry (field
/// 2, length-delimited); a batch is then the producer id, a run of those entries copied in one piece, and the
/// trailing scalars. The output is what protobuf-c produces for the same message (proto3: fields at their default
/// value, -0.0 included, are omitted; fields in number order), so `EventBatch(serializedBytes:)` and the monitor
/// read it as usual.
/// Why not protobuf-c: packing through it means holding the event (its strings and feature array, five reference
/// counts) until the batch forms, then a descriptor-driven size pass and pack; here the bytes are written in one
/// pass and the event is released by the scoring thread that built it.
enum EventEncoding {
    /// The size of `event`'s encoding (without the entry's tag and length) when it carries `sequence`.
    @inline(__always)
    static func eventSize(_ event: ScoringEvent, sequence: UInt64) -> Int {
        var size = 0
        if sequence != 0 { size += 1 + varintSize(sequence) }
        size += stringFieldSize(event.transactionId)
        if event.eventTimeMicroseconds != 0 { size += 1 + varintSize(UInt64(bitPattern: event.eventTimeMicroseconds)) }
        if event.scoredAtMicroseconds != 0 { size += 1 + varintSize(UInt64(bitPattern: event.scoredAtMicroseconds)) }
        size += stringFieldSize(event.cardId)
        size += stringFieldSize(event.terminalId)
        if event.amount != 0 { size += 9 }
        if !event.features.isEmpty {
            let bytes = event.features.count * 8
            size += 1 + varintSize(UInt64(bytes)) + bytes
        }
        if event.fraudProbability != 0 { size += 9 }
        if event.decision.rawValue != 0 { size += 1 + varintSize(UInt64(bitPattern: Int64(event.decision.rawValue))) }
        size += stringFieldSize(event.modelVersion)
        if event.serverLatencyNanoseconds != 0 { size += 1 + varintSize(event.serverLatencyNanoseconds) }
        return size
    }

    /// The size of the batch entry for an event of encoded size `size`: tag, length, encoding.
    @inline(__always)
    static func entrySize(eventSize size: Int) -> Int {
        1 + varintSize(UInt64(size)) + size
    }

    /// Appends `event`, with `sequence`, as one `EventBatch.events` entry; `size` is ``eventSize(_:sequence:)``.
    @inline(__always)
    static func appendEntry(_ event: ScoringEvent, sequence: UInt64, size: Int, to buffer: inout [UInt8]) {
        buffer.append(0x12)  // EventBatch.events = 2, length-delimited
        appendVarint(UInt64(size), to: &buffer)
        if sequence != 0 {
            buffer.append(0x08)
            appendVarint(sequence, to: &buffer)
        }
        appendString(event.transactionId, tag: 0x12, to: &buffer)
        if event.eventTimeMicroseconds != 0 {
            buffer.append(0x18)
            appendVarint(UInt64(bitPattern: event.eventTimeMicroseconds), to: &buffer)
        }
        if event.scoredAtMicroseconds != 0 {
            buffer.append(0x20)
            appendVarint(UInt64(bitPattern: event.scoredAtMicroseconds), to: &buffer)
        }
        appendString(event.cardId, tag: 0x2A, to: &buffer)
        appendString(event.terminalId, tag: 0x32, to: &buffer)
        if event.amount != 0 { appendDouble(event.amount, tag: 0x39, to: &buffer) }
        if !event.features.isEmpty {
            buffer.append(0x42)
            appendVarint(UInt64(event.features.count * 8), to: &buffer)
            #if _endian(little)
                event.features.withUnsafeBytes { buffer.append(contentsOf: $0) }
            #else
                for value in event.features { appendFixed64(value.bitPattern, to: &buffer) }
            #endif
        }
        if event.fraudProbability != 0 { appendDouble(event.fraudProbability, tag: 0x49, to: &buffer) }
        if event.decision.rawValue != 0 {
            buffer.append(0x50)
            appendVarint(UInt64(bitPattern: Int64(event.decision.rawValue)), to: &buffer)
        }
        appendString(event.modelVersion, tag: 0x5A, to: &buffer)
        if event.serverLatencyNanoseconds != 0 {
            buffer.append(0x60)
            appendVarint(event.serverLatencyNanoseconds, to: &buffer)
        }
    }

    /// The start of every batch of `producerId`: its `producer_id` field.
    static func batchPrefix(producerId: String) -> [UInt8] {
        var bytes: [UInt8] = []
        appendString(producerId, tag: 0x0A, to: &bytes)
        return bytes
    }

    /// Appends a batch's trailing scalars, `sent_at_unix_us` and `dropped_total`. They come after the events so
    /// that concatenated batches (a coalesced request) still parse as one batch with the last batch's values.
    static func appendBatchTrailer(sentAtMicroseconds: Int64, droppedTotal: UInt64, to buffer: inout [UInt8]) {
        if sentAtMicroseconds != 0 {
            buffer.append(0x18)
            appendVarint(UInt64(bitPattern: sentAtMicroseconds), to: &buffer)
        }
        if droppedTotal != 0 {
            buffer.append(0x20)
            appendVarint(droppedTotal, to: &buffer)
        }
    }

    // MARK: Primitives

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 byte per started 7 bits; 0 takes one byte.
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    @inline(__always)
    private static func stringFieldSize(_ text: String) -> Int {
        let count = text.utf8.count
        return count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
    }

    @inline(__always)
    static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }

    @inline(__always)
    private static func appendString(_ text: String, tag: UInt8, to buffer: inout [UInt8]) {
        let utf8 = text.utf8
        guard !utf8.isEmpty else { return }
        buffer.append(tag)
        appendVarint(UInt64(utf8.count), to: &buffer)
        buffer.append(contentsOf: utf8)
    }

    @inline(__always)
    private static func appendDouble(_ value: Double, tag: UInt8, to buffer: inout [UInt8]) {
        buffer.append(tag)
        appendFixed64(value.bitPattern, to: &buffer)
    }

    @inline(__always)
    private static func appendFixed64(_ value: UInt64, to buffer: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }
}
