import Foundation
import SentinelArguments
import SentinelData

/// Number formatting shared by the model verbs: fixed decimals, no locale.
enum Formatting {
    /// `value` with `digits` decimals, such as `0.871`.
    static func fixed(_ value: Double, _ digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// `value` as a percentage with two decimals, such as `0.89 %`.
    static func percent(_ value: Double) -> String {
        String(format: "%.2f %%", value * 100)
    }

    /// An optional metric, or `n/a`.
    static func metric(_ value: Double?) -> String {
        value.map { fixed($0) } ?? "n/a"
    }

    /// A latency in the unit that keeps its digits: `380 ns`, `4.21 µs`, `312 µs`, `1.25 ms`, `41.3 ms`.
    ///
    /// The API reports a batch's latency shared over its transactions, often under a microsecond in a release
    /// build, so a fixed unit of milliseconds would read `0.00 ms`.
    static func latency(nanoseconds: UInt64) -> String {
        let value = Double(nanoseconds)
        switch value {
        case ..<1e3: return "\(nanoseconds) ns"
        case ..<1e4: return String(format: "%.2f µs", value / 1e3)
        case ..<1e5: return String(format: "%.1f µs", value / 1e3)
        case ..<1e6: return String(format: "%.0f µs", value / 1e3)
        case ..<1e7: return String(format: "%.2f ms", value / 1e6)
        default: return String(format: "%.1f ms", value / 1e6)
        }
    }

    /// Seconds with one decimal.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Parses a `YYYY-MM-DD` option value.
    /// - Throws: `UsageError` naming the option.
    static func day(_ text: String?, option: String) throws -> Day? {
        guard let text else { return nil }
        guard text.utf8.count == 10, let day = Day(text) else {
            throw UsageError("invalid value for \(option): '\(text)' (expected YYYY-MM-DD)")
        }
        return day
    }
}
