extension ScoringEventSink {
    /// Takes the events of one batch, in order, by recording an owned copy of each with ``record(_:)``; sinks with a
    /// cheaper batch path (``EventReporter``) replace this.
    /// - Parameters:
    ///   - events: The batch's scored transactions, read in place: valid only for the duration of the call.
    ///   - modelVersion: The version of the model that scored them all.
    public func record(batch events: UnsafeBufferPointer<ScoredTransactionView>, modelVersion: String) {
        for event in events { record(event.scoringEvent(modelVersion: modelVersion)) }
    }
}
