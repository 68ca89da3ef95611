/// The ground truth for a transaction, reported after the fact.
///
/// ```swift
/// let value = FraudLabel.genuine  // wire number 1
/// ```
public enum FraudLabel: Int32, Sendable, Hashable, CaseIterable {
    /// Not set: rejected by the monitor. Wire name `FRAUD_LABEL_UNSPECIFIED`.
    case unspecified = 0
    /// The transaction was legitimate. Wire name `FRAUD_LABEL_GENUINE`.
    case genuine = 1
    /// The transaction was fraudulent. Wire name `FRAUD_LABEL_FRAUD`.
    case fraud = 2
}
