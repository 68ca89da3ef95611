/// A change of status at the close of a window, with the values behind it, for the alert log.
///
/// ```swift
/// for change in windows.advance(to: now) { log(change.description) }
/// ```
public struct DriftTransition: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What changed status.
    public var subject: DriftSubject
    /// The level before.
    public var from: DriftLevel
    /// The level after.
    public var to: DriftLevel
    /// The window (start, in milliseconds since the epoch) whose close caused the change.
    public var windowStart: Int64
    /// The measured value: the drift measure, or the flagged rate for the fraud rate.
    public var value: Double
    /// Why, in words: the measure, the value and the threshold or interval.
    public var reason: String

    /// Creates a transition.
    public init(
        subject: DriftSubject, from: DriftLevel, to: DriftLevel, windowStart: Int64, value: Double, reason: String
    ) {
        self.subject = subject
        self.from = from
        self.to = to
        self.windowStart = windowStart
        self.value = value
        self.reason = reason
    }

    /// `SUBJECT FROM → TO: REASON`.
    public var description: String { "\(subject) \(from) → \(to): \(reason)" }
}
