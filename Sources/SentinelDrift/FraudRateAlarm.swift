/// Raises an alert when the training flag rate lies outside the live rate's confidence interval for
/// several consecutive windows, and clears it after several consecutive windows inside.
///
/// Windows without events carry no evidence and change nothing. Requiring a run of windows each way is
/// the hysteresis: a rate on the interval's edge does not flap.
///
/// ```swift
/// var alarm = FraudRateAlarm(windowsToAlert: 3, windowsToClear: 2)
/// if let change = alarm.update(with: stats) { print(change.to) }
/// ```
public struct FraudRateAlarm: Sendable, Hashable, Codable {
    /// Consecutive windows outside the interval that raise the alert (at least 1).
    public var windowsToAlert: Int
    /// Consecutive windows inside the interval that clear it (at least 1).
    public var windowsToClear: Int
    /// `.alert` while alerting, else `.ok`.
    public private(set) var level: DriftLevel
    /// The current run of windows on the side opposite to the level.
    public private(set) var run: Int

    /// Creates an alarm at `.ok`.
    /// - Parameters:
    ///   - windowsToAlert: Consecutive windows outside needed to alert (default 3).
    ///   - windowsToClear: Consecutive windows inside needed to clear (default 2).
    public init(windowsToAlert: Int = 3, windowsToClear: Int = 2) {
        precondition(windowsToAlert >= 1 && windowsToClear >= 1, "window counts must be at least 1")
        self.windowsToAlert = windowsToAlert
        self.windowsToClear = windowsToClear
        self.level = .ok
        self.run = 0
    }

    /// Feeds one closed window.
    /// - Parameter statistics: The window's fraud-rate statistics.
    /// - Returns: The transition, if the level changed.
    public mutating func update(with statistics: FraudRateStatistics) -> LevelTracker.Transition? {
        guard statistics.events > 0 else { return nil }
        let outside = statistics.baseRateOutside
        let opposing = level == .ok ? outside : !outside
        guard opposing else {
            run = 0
            return nil
        }
        run += 1
        guard run >= (level == .ok ? windowsToAlert : windowsToClear) else { return nil }
        run = 0
        let transition = LevelTracker.Transition(from: level, to: level == .ok ? .alert : .ok)
        level = transition.to
        return transition
    }
}
