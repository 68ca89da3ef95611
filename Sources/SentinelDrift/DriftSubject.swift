/// What a status or alert is about: a feature, the model's score, or the live fraud rate.
///
/// ```swift
/// let subject = DriftSubject.feature("Amount")
/// print(subject)   // feature Amount
/// ```
public enum DriftSubject: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A model input, by name.
    case feature(String)
    /// The model's score distribution.
    case score
    /// The live flagged rate against the training flag rate.
    case fraudRate

    /// `feature`, `score` or `fraud_rate`: the kind of subject, for JSON.
    public var kind: String {
        switch self {
        case .feature: "feature"
        case .score: "score"
        case .fraudRate: "fraud_rate"
        }
    }

    /// The feature's name, or `nil` for the score and the fraud rate.
    public var featureName: String? {
        if case .feature(let name) = self { return name }
        return nil
    }

    /// `feature NAME`, `score` or `fraud_rate`.
    public var description: String {
        switch self {
        case .feature(let name): "feature \(name)"
        case .score: "score"
        case .fraudRate: "fraud_rate"
        }
    }
}
