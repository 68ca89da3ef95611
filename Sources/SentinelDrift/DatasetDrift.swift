/// The one rule that turns per-feature drift levels into a dataset level, used by the monitor's snapshot, page,
/// `sentinel status`, `/metrics` and `sentinel drift`.
///
/// **alert** when at least half of the input features are at alert; **warn** when at least 30 % are at warn or
/// above; else **ok**. The model's score is not an input and is not counted (its drift is an alert of its own).
///
/// Evidently calls a dataset drifted when the share of drifted columns reaches `drift_share`, 0.5 by default:
/// Sentinel's alert level is the same share. It differs in what counts as a drifted column — a feature at *alert*
/// after hysteresis and the window's minimum count, against a threshold calibrated per feature (not one p-value or
/// distance for every column), so a single noisy window does not tip the dataset — and it adds a warn level, so a
/// third of the features starting to move is visible before half of them have.
///
/// ```swift
/// DatasetDrift.level([.alert, .alert, .ok, .warn])   // .alert: half at alert
/// ```
public enum DatasetDrift {
    /// The share of features at alert from which the dataset is at alert.
    public static let alertShare = 0.5
    /// The share of features at warn or above from which the dataset is at warn.
    public static let warnShare = 0.3

    /// The dataset level of the input features' levels; `.ok` without features.
    /// - Parameter levels: One level per input feature (not the score).
    public static func level(_ levels: [DriftLevel]) -> DriftLevel {
        guard !levels.isEmpty else { return .ok }
        let count = Double(levels.count)
        if Double(levels.count { $0 == .alert }) / count >= alertShare { return .alert }
        if Double(levels.count { $0 >= .warn }) / count >= warnShare { return .warn }
        return .ok
    }

    /// The rule in one sentence, for pages and reports.
    public static let description =
        "dataset drift: alert when at least half of the input features are at alert, warn when at least 30 % are at "
        + "warn or above"
}
