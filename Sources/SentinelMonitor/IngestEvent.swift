import SentinelSchema

/// The fields of one event that ingestion reads.
protocol IngestEvent {
    /// The producer's sequence number.
    var sequence: UInt64 { get }
    /// The fraud probability.
    var fraudProbability: Double { get }
    /// Flag or pass.
    var decision: ScoreDecision { get }
    /// Server-side latency, nanoseconds.
    var serverLatencyNanoseconds: UInt64 { get }
    /// Event time, microseconds since the epoch.
    var eventTimeMicroseconds: Int64 { get }
    /// The number of feature values.
    var featureCount: Int { get }
    /// The transaction id.
    var transactionId: String { get }
    /// Whether the transaction id is non-empty (without building it).
    var hasTransactionId: Bool { get }
    /// The card id.
    var cardId: String { get }
    /// The model version.
    var modelVersion: String { get }
    /// Whether `other` names the same model version.
    func hasSameModelVersion(as other: Self) -> Bool
    /// Runs `body` with the feature values.
    func withFeatures<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R
}
