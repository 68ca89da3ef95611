public import SentinelDrift

/// A status above ok, with why and since when: what the snapshot lists and the alert log lines describe.
///
/// ```swift
/// let alert = ActiveAlert(modelVersion: "v1", subject: .feature("TX_AMOUNT"), level: .warn,
///                         reason: "psi 0.12 ≥ 0.1 over 5000 values", value: 0.12, threshold: 0.1,
///                         sinceMicroseconds: 0)
/// ```
public struct ActiveAlert: Sendable, Hashable, Codable {
    /// The model version it concerns.
    public var modelVersion: String
    /// What it is about: a feature, the score or the fraud rate.
    public var subject: DriftSubject
    /// Warn or alert.
    public var level: DriftLevel
    /// Why, for people.
    public var reason: String
    /// The value that raised it.
    public var value: Double
    /// The threshold it crossed.
    public var threshold: Double
    /// When it entered this level (the end of the window that raised it), microseconds since the epoch.
    public var sinceMicroseconds: Int64

    /// Creates an alert.
    /// The value in the last closed window with evidence (`nil` in a state written before it was kept).
    public var lastValue: Double?
    /// Start of that window, microseconds since the epoch.
    public var windowStartMicroseconds: Int64?
    /// Closed windows in a row, up to that one, on the same side of the alert's line.
    public var run: Int?
    /// Whether the last value is beyond the line (at or over the threshold; outside the expected flag rates).
    public var beyond: Bool?

    public init(
        modelVersion: String, subject: DriftSubject, level: DriftLevel, reason: String, value: Double,
        threshold: Double, sinceMicroseconds: Int64
    ) {
        self.modelVersion = modelVersion
        self.subject = subject
        self.level = level
        self.reason = reason
        self.value = value
        self.threshold = threshold
        self.sinceMicroseconds = sinceMicroseconds
    }
}
