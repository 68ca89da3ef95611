/// What the scoring service decided for a transaction at the model's threshold.
///
/// ```swift
/// let value = ScoreDecision.pass  // wire number 1
/// ```
public enum ScoreDecision: Int32, Sendable, Hashable, CaseIterable {
    /// Not set (never sent by a conforming server). Wire name `SCORE_DECISION_UNSPECIFIED`.
    case unspecified = 0
    /// The fraud probability is below the model's threshold. Wire name `SCORE_DECISION_PASS`.
    case pass = 1
    /// The fraud probability is at or above the threshold: flag for review. Wire name `SCORE_DECISION_FLAG`.
    case flag = 2
}
