/// A monitored quantity's state; ordered, so a higher number is worse.
///
/// ```swift
/// let value = AlertLevel.ok  // wire number 1
/// ```
public enum AlertLevel: Int32, Sendable, Hashable, CaseIterable {
    /// Not computed (e.g. no reference or no events yet). Wire name `ALERT_LEVEL_UNSPECIFIED`.
    case unspecified = 0
    /// Within the warn threshold. Wire name `ALERT_LEVEL_OK`.
    case ok = 1
    /// At or past the warn threshold (PSI default 0.1). Wire name `ALERT_LEVEL_WARN`.
    case warn = 2
    /// At or past the alert threshold (PSI default 0.25). Wire name `ALERT_LEVEL_ALERT`.
    case alert = 3
}
