import Foundation
import SentinelDrift

/// The one text of an alert, as of the last closed window: the page, `sentinel status`, the JSON log and the
/// snapshot all show it.
///
/// ```swift
/// AlertWording.flagRate(rate: 0.159, expected: (0.173, 0.228), base: 0.201, beyond: true, run: 3,
///                       windowsToClear: 2, resolved: false)
/// // "flag rate 15.9 % is below the expected 17.3–22.8 % (training base rate 20.1 %) for 3 windows"
/// ```
enum AlertWording {
    /// The text of a drift alert on a feature or the score.
    /// - Parameters:
    ///   - metric: The statistic's name, such as `PSI`.
    ///   - name: The feature (or `score`).
    ///   - value: Its value in the last window.
    ///   - level: The alert's level (`warn` or `alert`).
    ///   - threshold: The level's threshold.
    ///   - release: The value under which the level clears.
    ///   - beyond: Whether `value` is at or over `threshold`.
    ///   - run: Windows in a row on that side.
    ///   - windowsToClear: Windows under `release` that clear the level.
    ///   - resolved: Whether this is the text of the resolution.
    static func drift(
        metric: DriftMetric, name: String, value: Double, level: DriftLevel, threshold: Double, release: Double,
        beyond: Bool, run: Int, windowsToClear: Int, resolved: Bool
    ) -> String {
        let what = "\(metricName(metric)) of \(name) is \(String(format: "%.3f", value))"
        if resolved { return "\(what), under \(number(release)) for \(windows(run)): resolved" }
        if beyond { return "\(what), at or above the \(level) threshold \(number(threshold)), for \(windows(run))" }
        return "\(what), under the \(level) threshold \(number(threshold)) for \(windows(run)); clears after "
            + "\(windows(windowsToClear)) under \(number(release))"
    }

    /// The text of a flag-rate alert.
    /// - Parameters:
    ///   - rate: The flag rate of the last window.
    ///   - expected: The rates expected at the training base rate for that window's size.
    ///   - base: The training base flag rate.
    ///   - beyond: Whether `rate` is outside `expected`.
    ///   - run: Windows in a row on that side.
    ///   - windowsToClear: Windows inside that clear the alert.
    ///   - resolved: Whether this is the text of the resolution.
    static func flagRate(
        rate: Double, expected: (lower: Double, upper: Double)?, base: Double, beyond: Bool, run: Int,
        windowsToClear: Int, resolved: Bool
    ) -> String {
        let range = expected.map { "\(percentNumber($0.lower))–\(percentNumber($0.upper)) %" } ?? "range"
        let side = !beyond ? "within" : rate < base ? "below" : "above"
        let text =
            "flag rate \(percent(rate)) is \(side) the expected \(range) (training base rate \(percent(base))) "
            + "for \(windows(run))"
        if resolved { return text + ": resolved" }
        return beyond ? text : text + "; clears after \(windows(windowsToClear))"
    }

    /// The text of an alert resolved because its model version stopped receiving traffic.
    /// - Parameter idleWindows: Windows without an event.
    static func idle(_ idleWindows: Int) -> String {
        "no events from this model version for \(windows(idleWindows)): idle, resolved"
    }

    private static func metricName(_ metric: DriftMetric) -> String {
        switch metric {
        case .psi: "PSI"
        case .jsDistance: "JS distance"
        case .ksStatistic: "KS statistic"
        case .wassersteinNormed: "normed Wasserstein distance"
        }
    }

    private static func windows(_ count: Int) -> String { count == 1 ? "1 window" : "\(count) windows" }

    private static func number(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") && !text.hasSuffix(".0") { text.removeLast() }
        return text
    }

    /// A rate in percent: one decimal from 1 %, two below (a fraud model's 0.41 % would read 0.4 %).
    static func percentNumber(_ rate: Double) -> String {
        String(format: rate >= 0.01 ? "%.1f" : "%.2f", rate * 100)
    }

    private static func percent(_ rate: Double) -> String { percentNumber(rate) + " %" }
}
