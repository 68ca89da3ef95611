/// The drift and fraud-rate statistics of one window (or of the time since start).
///
/// ```swift
/// let report = windows.currentReport()
/// for feature in report.features where feature.level >= .warn { print(feature.name) }
/// ```
public struct WindowReport: Sendable, Hashable, Codable {
    /// One column's drift.
    public struct ColumnDrift: Sendable, Hashable, Codable {
        /// The feature's name (the score's profile name for the score).
        public var name: String
        /// Non-missing values in the window.
        public var count: Int
        /// Missing values in the window.
        public var missing: Int
        /// The drift measures; `nil` when the window has no value for this column.
        public var statistics: DriftStatistics?
        /// The status (with hysteresis) after this window.
        public var level: DriftLevel
    }

    /// Window start, milliseconds since the epoch (the monitor's start for "since start").
    public var start: Int64
    /// Window end (exclusive), milliseconds since the epoch.
    public var end: Int64
    /// Events in the window.
    public var events: Int
    /// Per-feature drift, in model order.
    public var features: [ColumnDrift]
    /// Drift of the model's score.
    public var score: ColumnDrift
    /// Flagged rate, mean score and interval.
    public var fraudRate: FraudRateStatistics
    /// Status of the fraud-rate alarm.
    public var fraudRateLevel: DriftLevel

    /// The fraction of features at warn or above (0 with no features).
    public var driftShare: Double { share { $0 >= .warn } }
    /// The fraction of features at alert (0 with no features).
    public var alertShare: Double { share { $0 == .alert } }
    /// The dataset's drift level by ``DatasetDrift``'s rule.
    public var datasetLevel: DriftLevel { DatasetDrift.level(features.map(\.level)) }

    private func share(_ predicate: (DriftLevel) -> Bool) -> Double {
        guard !features.isEmpty else { return 0 }
        return Double(features.count { predicate($0.level) }) / Double(features.count)
    }
}
