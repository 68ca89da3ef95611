public import SentinelSchema

/// One scored transaction's event fields, read in place from the request being handled: the strings and features point
/// into its memory, valid only for the call that receives them (``ScoringEventSink/record(batch:modelVersion:)``).
///
/// ```swift
/// let event = ScoredTransactionView(transaction: view, scoredAtMicroseconds: now, fraudProbability: p,
///     decision: .pass, serverLatencyNanoseconds: share)
/// ```
public struct ScoredTransactionView {
    /// The transaction id's UTF-8 bytes.
    public var transactionId: UnsafeRawBufferPointer
    /// When the transaction happened, in microseconds since the Unix epoch.
    public var eventTimeMicroseconds: Int64
    /// When the server scored it, in microseconds since the Unix epoch.
    public var scoredAtMicroseconds: Int64
    /// The card id's UTF-8 bytes.
    public var cardId: UnsafeRawBufferPointer
    /// The terminal id's UTF-8 bytes.
    public var terminalId: UnsafeRawBufferPointer
    /// The transaction amount.
    public var amount: Double
    /// The feature values the model saw.
    public var features: UnsafeBufferPointer<Double>
    /// The model's fraud probability.
    public var fraudProbability: Double
    /// Flag or pass.
    public var decision: ScoreDecision
    /// This transaction's share of the server-side latency, in nanoseconds.
    public var serverLatencyNanoseconds: UInt64

    /// The event of a scored transaction read in place.
    /// - Parameters:
    ///   - transaction: The transaction (its id, times, ids, amount and features are read in place).
    ///   - scoredAtMicroseconds: When it was scored.
    ///   - fraudProbability: Its probability.
    ///   - decision: Its decision.
    ///   - serverLatencyNanoseconds: Its latency share.
    public init(
        transaction: Transaction.View, scoredAtMicroseconds: Int64, fraudProbability: Double, decision: ScoreDecision,
        serverLatencyNanoseconds: UInt64
    ) {
        transactionId = transaction.id
        eventTimeMicroseconds = transaction.eventTimeMicroseconds
        self.scoredAtMicroseconds = scoredAtMicroseconds
        cardId = transaction.cardId
        terminalId = transaction.terminalId
        amount = transaction.amount
        features = transaction.features
        self.fraudProbability = fraudProbability
        self.decision = decision
        self.serverLatencyNanoseconds = serverLatencyNanoseconds
    }

    /// An event from its fields (the reporter borrows an owned ``ScoringEvent``'s storage this way).
    init(
        transactionId: UnsafeRawBufferPointer, eventTimeMicroseconds: Int64, scoredAtMicroseconds: Int64,
        cardId: UnsafeRawBufferPointer, terminalId: UnsafeRawBufferPointer, amount: Double,
        features: UnsafeBufferPointer<Double>, fraudProbability: Double, decision: ScoreDecision,
        serverLatencyNanoseconds: UInt64
    ) {
        self.transactionId = transactionId
        self.eventTimeMicroseconds = eventTimeMicroseconds
        self.scoredAtMicroseconds = scoredAtMicroseconds
        self.cardId = cardId
        self.terminalId = terminalId
        self.amount = amount
        self.features = features
        self.fraudProbability = fraudProbability
        self.decision = decision
        self.serverLatencyNanoseconds = serverLatencyNanoseconds
    }

    /// The owned event with `modelVersion` (sequence 0: the sink assigns it).
    /// - Parameter modelVersion: The version of the model that scored it.
    /// - Returns: The event.
    public func scoringEvent(modelVersion: String) -> ScoringEvent {
        ScoringEvent(
            transactionId: String(decoding: transactionId, as: UTF8.self), eventTimeMicroseconds: eventTimeMicroseconds,
            scoredAtMicroseconds: scoredAtMicroseconds, cardId: String(decoding: cardId, as: UTF8.self),
            terminalId: String(decoding: terminalId, as: UTF8.self), amount: amount, features: Array(features),
            fraudProbability: fraudProbability, decision: decision, modelVersion: modelVersion,
            serverLatencyNanoseconds: serverLatencyNanoseconds)
    }
}
