public import SentinelDrift

/// A status change of one model version's statistic: what the monitor logs as a JSON line.
///
/// ```swift
/// for change in state.advance(to: now) { print(change.modelVersion, change.transition) }
/// ```
public struct MonitorTransition: Sendable, Hashable {
    /// The model version.
    public var modelVersion: String
    /// The change, from SentinelDrift (subject, from, to, window start, value, reason).
    public var transition: DriftTransition
    /// The threshold crossed (for a fall, the release threshold; for the fraud rate, the base flag rate).
    public var threshold: Double

    /// Creates a transition.
    public init(modelVersion: String, transition: DriftTransition, threshold: Double) {
        self.modelVersion = modelVersion
        self.transition = transition
        self.threshold = threshold
    }
}
