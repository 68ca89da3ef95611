/// An active status above `ok`: what it is about and how severe.
///
/// ```swift
/// for alert in windows.activeAlerts { print(alert.subject.kind, alert.subject.featureName ?? "", alert.level) }
/// ```
public struct DriftAlert: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The feature, the score or the fraud rate.
    public var subject: DriftSubject
    /// `warn` or `alert`.
    public var level: DriftLevel

    /// Creates an alert.
    /// - Parameters:
    ///   - subject: What the alert is about.
    ///   - level: Its severity.
    public init(subject: DriftSubject, level: DriftLevel) {
        self.subject = subject
        self.level = level
    }

    /// `SUBJECT: LEVEL`.
    public var description: String { "\(subject): \(level)" }
}
