/// When a feature's drift counts as warn or alert, and how a status settles back down.
///
/// A level is entered as soon as the measure reaches its threshold (`value >= warn`, `value >= alert`).
/// It is left only when the measure falls below `threshold × releaseFactor` (default 0.9) for
/// `windowsToClear` consecutive windows (default 1), so a value sitting on a threshold does not flap.
/// Windows with fewer than `minimumCount` live values leave a status as it was: too little evidence.
///
/// ```swift
/// let thresholds = DriftThresholds()            // PSI ≥ 0.1 warn, ≥ 0.25 alert
/// let level = thresholds.level(for: 0.3)        // .alert
/// ```
public struct DriftThresholds: Sendable, Hashable, Codable {
    /// The measure the levels are judged on.
    public var metric: DriftMetric
    /// The value at or above which a feature is at least `warn`.
    public var warn: Double
    /// The value at or above which a feature is `alert`.
    public var alert: Double
    /// A level is left only below `threshold × releaseFactor`; in (0, 1].
    public var releaseFactor: Double
    /// Consecutive windows below the release value needed before a level is lowered; at least 1.
    public var windowsToClear: Int
    /// Windows with fewer live values than this leave the level unchanged.
    public var minimumCount: Int

    /// Creates thresholds.
    /// - Parameters:
    ///   - metric: The measure the levels are judged on (default PSI).
    ///   - warn: The warn threshold (default 0.1).
    ///   - alert: The alert threshold (default 0.25).
    ///   - releaseFactor: The hysteresis factor (default 0.9).
    ///   - windowsToClear: Consecutive windows below release needed to lower a level (default 1).
    ///   - minimumCount: Fewest live values for a window to change a level (default 100).
    public init(
        metric: DriftMetric = .psi,
        warn: Double = 0.1,
        alert: Double = 0.25,
        releaseFactor: Double = 0.9,
        windowsToClear: Int = 1,
        minimumCount: Int = 100
    ) {
        self.metric = metric
        self.warn = warn
        self.alert = alert
        self.releaseFactor = releaseFactor
        self.windowsToClear = windowsToClear
        self.minimumCount = minimumCount
    }

    /// The warn and alert values of one column, as set on the monitor for it.
    public struct Levels: Sendable, Hashable, Codable {
        /// The warn threshold.
        public var warn: Double
        /// The alert threshold.
        public var alert: Double

        /// Creates the pair.
        public init(warn: Double, alert: Double) {
            self.warn = warn
            self.alert = alert
        }
    }

    /// These thresholds with another warn and alert value.
    /// - Parameters:
    ///   - warn: The warn threshold.
    ///   - alert: The alert threshold.
    public func with(warn: Double, alert: Double) -> DriftThresholds {
        var copy = self
        copy.warn = warn
        copy.alert = alert
        return copy
    }

    /// Checks that the thresholds make sense.
    /// - Throws: ``DriftError`` with code `.invalidOption` naming the bad field.
    public func validate() throws(DriftError) {
        guard warn.isFinite, alert.isFinite, warn >= 0, warn <= alert else {
            throw DriftError(.invalidOption, "thresholds need 0 ≤ warn ≤ alert, got \(warn), \(alert)")
        }
        guard releaseFactor > 0, releaseFactor <= 1 else {
            throw DriftError(.invalidOption, "release factor must be in (0, 1], got \(releaseFactor)")
        }
        guard windowsToClear >= 1 else {
            throw DriftError(
                .invalidOption, "windows to clear must be at least 1, got \(windowsToClear)")
        }
        guard minimumCount >= 0 else {
            throw DriftError(.invalidOption, "minimum count must be ≥ 0, got \(minimumCount)")
        }
    }

    /// The level of a value without history (as the offline report uses it).
    /// - Parameter value: The measure's value.
    /// - Returns: `.alert` at or above `alert`, `.warn` at or above `warn`, else `.ok`.
    public func level(for value: Double) -> DriftLevel {
        if value >= alert { return .alert }
        if value >= warn { return .warn }
        return .ok
    }

    /// The level a value points to given the current level, applying the release factor.
    /// - Parameters:
    ///   - value: The measure's value.
    ///   - current: The level now.
    /// - Returns: The level the value supports: higher levels at once, lower ones only below release.
    public func target(for value: Double, from current: DriftLevel) -> DriftLevel {
        let raw = level(for: value)
        if raw >= current { return raw }
        // Going down: stay at each level until the value is clearly below its threshold.
        if current == .alert, value >= alert * releaseFactor { return .alert }
        if current >= .warn, value >= warn * releaseFactor { return .warn }
        return raw
    }
}
