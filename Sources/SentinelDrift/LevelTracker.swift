/// A status with hysteresis: feeds one value per window and reports the level transitions.
///
/// Raising is immediate; lowering needs the value below `threshold × releaseFactor` for
/// `windowsToClear` consecutive windows (see ``DriftThresholds``).
///
/// ```swift
/// var tracker = LevelTracker()
/// if let change = tracker.update(value: 0.3, count: 5_000, thresholds: DriftThresholds()) {
///     print("\(change.from) → \(change.to)")
/// }
/// ```
public struct LevelTracker: Sendable, Hashable, Codable {
    /// A change of level.
    public struct Transition: Sendable, Hashable, Codable {
        /// The level before.
        public var from: DriftLevel
        /// The level after.
        public var to: DriftLevel
    }

    /// The current level.
    public private(set) var level: DriftLevel
    /// Consecutive windows so far that support a lower level.
    public private(set) var windowsBelow: Int

    /// Creates a tracker.
    /// - Parameter level: The starting level (default `.ok`).
    public init(level: DriftLevel = .ok) {
        self.level = level
        self.windowsBelow = 0
    }

    /// Feeds one window's value.
    /// - Parameters:
    ///   - value: The measure for the window.
    ///   - count: How many live values the window had; below `thresholds.minimumCount` nothing changes.
    ///   - thresholds: The thresholds and hysteresis settings.
    /// - Returns: The transition, if the level changed.
    public mutating func update(value: Double, count: Int, thresholds: DriftThresholds) -> Transition? {
        guard count >= thresholds.minimumCount, !value.isNaN else { return nil }
        let target = thresholds.target(for: value, from: level)
        if target > level {
            windowsBelow = 0
            return move(to: target)
        }
        if target < level {
            windowsBelow += 1
            if windowsBelow >= thresholds.windowsToClear {
                windowsBelow = 0
                return move(to: target)
            }
            return nil
        }
        windowsBelow = 0
        return nil
    }

    /// Forces the level (for restoring state).
    /// - Parameter newLevel: The level to set.
    public mutating func reset(to newLevel: DriftLevel) {
        level = newLevel
        windowsBelow = 0
    }

    private mutating func move(to target: DriftLevel) -> Transition {
        let transition = Transition(from: level, to: target)
        level = target
        return transition
    }
}
