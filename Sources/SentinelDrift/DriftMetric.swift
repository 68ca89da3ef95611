/// One of the binned drift measures of ``DriftStatistics``; the one a status is judged on.
///
/// ```swift
/// let thresholds = DriftThresholds(metric: .jsDistance, warn: 0.1, alert: 0.2)
/// ```
public enum DriftMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// Population stability index.
    case psi
    /// Jensen–Shannon distance, base 2.
    case jsDistance = "js_distance"
    /// KS statistic from the binned cumulative distributions.
    case ksStatistic = "ks_statistic"
    /// Wasserstein-1 over bin mid-points, in reference standard deviations.
    case wassersteinNormed = "wasserstein_normed"
}
