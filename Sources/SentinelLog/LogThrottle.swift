import SentinelLock
import Synchronization

/// Lets at most one log line per key through per interval, and counts the ones held back, so a flood of the same
/// event (a client hammering a limit) costs one line a second and still says how many happened.
///
/// ```swift
/// let throttle = LogThrottle(interval: .seconds(1))
/// if let suppressed = throttle.admit("frame_too_large") {
///     log.log(.warning, "connection closed", ["reason": "frame_too_large", "suppressed": .uint(suppressed)])
/// }
/// ```
public final class LogThrottle: Sendable {
    private struct Entry {
        var lastLine: ContinuousClock.Instant
        var held: UInt64
    }

    private let interval: Duration
    private let entries = Lock<[String: Entry]>([:])

    /// Creates a throttle.
    /// - Parameter interval: The shortest time between two lines of one key.
    public init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// Whether a line for `key` may be written now.
    /// - Parameter key: What the line is about (a reason, an error code).
    /// - Returns: `nil` to hold the line back; otherwise the number of lines held back for `key` since the last one
    ///   let through.
    public func admit(_ key: String) -> UInt64? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            if var entry = entries[key] {
                guard now - entry.lastLine >= interval else {
                    entries[key]?.held += 1
                    return nil
                }
                let held = entry.held
                entry = Entry(lastLine: now, held: 0)
                entries[key] = entry
                return held
            }
            entries[key] = Entry(lastLine: now, held: 0)
            return 0
        }
    }
}
