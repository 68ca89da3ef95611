/// The status of a monitored quantity: ok, warn or alert, ordered by severity.
///
/// ```swift
/// if level >= .warn { print("drifting: \(level)") }
/// ```
public enum DriftLevel: Int, Sendable, Hashable, Codable, Comparable, CustomStringConvertible, CaseIterable {
    /// Within the expected range.
    case ok = 0
    /// Past the warning threshold.
    case warn = 1
    /// Past the alert threshold.
    case alert = 2

    /// Orders levels by severity.
    public static func < (lhs: DriftLevel, rhs: DriftLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level's name: `ok`, `warn` or `alert`.
    public var description: String {
        switch self {
        case .ok: "ok"
        case .warn: "warn"
        case .alert: "alert"
        }
    }
}
