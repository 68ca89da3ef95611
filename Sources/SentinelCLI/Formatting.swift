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
