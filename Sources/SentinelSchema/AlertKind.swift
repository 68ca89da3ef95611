/// What an alert is about.
///
/// ```swift
/// let value = AlertKind.featureDrift  // wire number 1
/// ```
public enum AlertKind: Int32, Sendable, Hashable, CaseIterable {
    /// Not set. Wire name `ALERT_KIND_UNSPECIFIED`.
    case unspecified = 0
    /// One input feature drifted; `feature` names it. Wire name `ALERT_KIND_FEATURE_DRIFT`.
    case featureDrift = 1
    /// The distribution of the model's score drifted. Wire name `ALERT_KIND_SCORE_DRIFT`.
    case scoreDrift = 2
    /// The share of drifted features passed its threshold. Wire name `ALERT_KIND_DATASET_DRIFT`.
    case datasetDrift = 3
    /// The flagged fraction left its confidence interval around the base rate. Wire name `ALERT_KIND_FLAG_RATE`.
    case flagRate = 4
    /// The labelled fraud rate left its confidence interval around the base rate. Wire name `ALERT_KIND_FRAUD_RATE`.
    case fraudRate = 5
    /// Server-side latency passed its threshold. Wire name `ALERT_KIND_LATENCY`.
    case latency = 6
    /// A producer's sequence numbers have a gap (events lost upstream). Wire name `ALERT_KIND_PRODUCER_GAP`.
    case producerGap = 7
}
