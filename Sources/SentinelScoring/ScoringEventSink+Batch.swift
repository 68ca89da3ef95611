extension ScoringEventSink {
    /// Takes the events of one batch, in order, by recording an owned copy of each with ``record(_:)``; sinks with a
    /// cheaper batch path (``EventReporter``) replace this.
    /// - Parameters:
    ///   - events: The batch's scored transactions, read in place: valid only for the duration of the call.
    ///   - modelVersion: The version of the model that scored them all.
    /// - Returns: The sequence numbers from the first event's to the last's, queued if every event was.
    @discardableResult
    public func record(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String)
        -> EventReceipt
    {
        var sequences: ClosedRange<UInt64>?
        var queued = true
        for event in events {
            let one = record(event.scoringEvent(modelVersion: modelVersion))
            sequences = sequences.map { $0.lowerBound...max($0.upperBound, one.sequences.upperBound) } ?? one.sequences
            queued = queued && one.queued
        }
        return sequences.map { EventReceipt(sequences: $0, queued: queued) } ?? .none
    }

    /// Answers at once: the sink does not make events durable before an answer.
    public var durability: EventDurability { .async }

    /// Returns at once: the sink does not make events durable before an answer.
    public func waitUntilDurable(_ receipt: EventReceipt) async throws(ReportingError) {}
}
