import SentinelSchema

/// The reporter's own protobuf encoder for `ScoringEvent` and `EventBatch`, writing straight into memory.
///
/// ``EventQueue`` encodes each event once, on ``EventReporter/record(_:)``, as an `EventBatch.events` entry (field
/// 2, length-delimited); a batch is then the producer id, a run of those entries copied in one piece, and the
/// trailing scalars. The output is what protobuf-c produces for the same message (proto3: fields at their default
/// value, -0.0 included, are omitted; fields in number order), so `EventBatch(serializedBytes:)` and the monitor
/// read it as usual. Why not protobuf-c: packing through it means holding the event (its strings and feature array,
/// five reference counts) until the batch forms, then a descriptor-driven size pass and pack; here the size is
/// computed once and the bytes written in one pass with plain stores, and the event is released by the scoring
/// thread that built it.
enum EventEncoding {
    /// The tag bytes written here, read once from the generated `EventBatch.FieldTag` and `ScoringEvent.FieldTag`.
    ///
    /// Not read per field: a `package` enum's `rawValue` is a call from this module (Swift does not inline `package`
    /// declarations across modules), and reading each tag through its enum made `record()` about 20 % slower.
    private struct Tags {
        let batchProducerId = EventBatch.FieldTag.producerId.rawValue
        let batchEvents = EventBatch.FieldTag.events.rawValue
        let batchSentAt = EventBatch.FieldTag.sentAtMicroseconds.rawValue
        let batchDroppedTotal = EventBatch.FieldTag.droppedTotal.rawValue
        let sequence = ScoringEvent.FieldTag.sequence.rawValue
        let transactionId = ScoringEvent.FieldTag.transactionId.rawValue
        let eventTime = ScoringEvent.FieldTag.eventTimeMicroseconds.rawValue
        let scoredAt = ScoringEvent.FieldTag.scoredAtMicroseconds.rawValue
        let cardId = ScoringEvent.FieldTag.cardId.rawValue
        let terminalId = ScoringEvent.FieldTag.terminalId.rawValue
        let amount = ScoringEvent.FieldTag.amount.rawValue
        let features = ScoringEvent.FieldTag.features.rawValue
        let fraudProbability = ScoringEvent.FieldTag.fraudProbability.rawValue
        let decision = ScoringEvent.FieldTag.decision.rawValue
        let modelVersion = ScoringEvent.FieldTag.modelVersion.rawValue
        let serverLatency = ScoringEvent.FieldTag.serverLatencyNanoseconds.rawValue
    }

    private static let tags = Tags()

    /// The size of the batch entry for an event of encoded size `size`: tag, length, encoding.
    @inline(__always)
    static func entrySize(eventSize size: Int) -> Int {
        1 + varintSize(UInt64(size)) + size
    }

    /// The size of an event's encoding without its sequence field (added once the number is known), for a model
    /// version of `modelVersionCount` UTF-8 bytes.
    @inline(__always)
    static func eventSize(_ event: ScoredTransactionView, modelVersionCount: Int) -> Int {
        var size = stringFieldSize(count: event.transactionId.count)
        if event.eventTimeMicroseconds != 0 { size += 1 + varintSize(UInt64(bitPattern: event.eventTimeMicroseconds)) }
        if event.scoredAtMicroseconds != 0 { size += 1 + varintSize(UInt64(bitPattern: event.scoredAtMicroseconds)) }
        size += stringFieldSize(count: event.cardId.count)
        size += stringFieldSize(count: event.terminalId.count)
        if event.amount != 0 { size += 9 }
        if !event.features.isEmpty {
            let bytes = event.features.count * 8
            size += 1 + varintSize(UInt64(bytes)) + bytes
        }
        if event.fraudProbability != 0 { size += 9 }
        if event.decision.rawValue != 0 { size += 1 + varintSize(UInt64(bitPattern: Int64(event.decision.rawValue))) }
        size += stringFieldSize(count: modelVersionCount)
        if event.serverLatencyNanoseconds != 0 { size += 1 + varintSize(event.serverLatencyNanoseconds) }
        return size
    }

    /// Writes an event, with `modelVersion` and `sequence`, as one `EventBatch.events` entry at `destination`, which
    /// must have room for ``entrySize(eventSize:)`` bytes; `size` is ``eventSize(_:modelVersionCount:)`` plus the
    /// sequence field's share.
    /// - Returns: The bytes written (the entry size).
    @inline(__always)
    static func writeEntry(
        _ event: ScoredTransactionView, modelVersion: UnsafeRawBufferPointer, sequence: UInt64, size: Int,
        to destination: UnsafeMutableRawPointer
    ) -> Int {
        let tags = Self.tags
        var out = ProtobufWriter(destination)
        out.byte(tags.batchEvents)
        out.varint(UInt64(size))
        if sequence != 0 {
            out.byte(tags.sequence)
            out.varint(sequence)
        }
        out.lengthDelimited(event.transactionId, tag: tags.transactionId)
        if event.eventTimeMicroseconds != 0 {
            out.byte(tags.eventTime)
            out.varint(UInt64(bitPattern: event.eventTimeMicroseconds))
        }
        if event.scoredAtMicroseconds != 0 {
            out.byte(tags.scoredAt)
            out.varint(UInt64(bitPattern: event.scoredAtMicroseconds))
        }
        out.lengthDelimited(event.cardId, tag: tags.cardId)
        out.lengthDelimited(event.terminalId, tag: tags.terminalId)
        if event.amount != 0 { out.double(event.amount, tag: tags.amount) }
        if !event.features.isEmpty {
            out.byte(tags.features)
            out.varint(UInt64(event.features.count * 8))
            #if _endian(little)
                out.bytes(UnsafeRawBufferPointer(event.features))
            #else
                for value in event.features { out.fixed64(value.bitPattern) }
            #endif
        }
        if event.fraudProbability != 0 { out.double(event.fraudProbability, tag: tags.fraudProbability) }
        if event.decision.rawValue != 0 {
            out.byte(tags.decision)
            out.varint(UInt64(bitPattern: Int64(event.decision.rawValue)))
        }
        out.lengthDelimited(modelVersion, tag: tags.modelVersion)
        if event.serverLatencyNanoseconds != 0 {
            out.byte(tags.serverLatency)
            out.varint(event.serverLatencyNanoseconds)
        }
        return destination.distance(to: out.position)
    }

    /// The start of every batch of `producerId`: its `producer_id` field.
    static func batchPrefix(producerId: String) -> [UInt8] {
        let utf8 = Array(producerId.utf8)
        guard !utf8.isEmpty else { return [] }
        var bytes: [UInt8] = [tags.batchProducerId]
        appendVarint(UInt64(utf8.count), to: &bytes)
        return bytes + utf8
    }

    /// Appends a batch's trailing scalars, `sent_at_unix_us` and `dropped_total`. They come after the events so
    /// that concatenated batches (a coalesced request) still parse as one batch with the last batch's values.
    static func appendBatchTrailer(sentAtMicroseconds: Int64, droppedTotal: UInt64, to buffer: inout [UInt8]) {
        if sentAtMicroseconds != 0 {
            buffer.append(tags.batchSentAt)
            appendVarint(UInt64(bitPattern: sentAtMicroseconds), to: &buffer)
        }
        if droppedTotal != 0 {
            buffer.append(tags.batchDroppedTotal)
            appendVarint(droppedTotal, to: &buffer)
        }
    }

    // MARK: Primitives

    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        ProtobufWriter.varintSize(value)
    }

    @inline(__always)
    private static func stringFieldSize(count: Int) -> Int {
        ProtobufWriter.lengthDelimitedSize(count: count)
    }

    private static func appendVarint(_ value: UInt64, to buffer: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        buffer.append(UInt8(value))
    }
}
