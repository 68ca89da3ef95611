import SentinelDrift
import SentinelLock
import SentinelMetrics
import SentinelModel
import Synchronization

extension MonitorService {
    /// Brings the state-derived series up to date: run by the registry before every `/metrics` rendering.
    ///
    /// The values are read under the state lock (O(versions × features), no copy of the state) and written to the
    /// registry after it. Drift and rates describe the last closed window, the one whose statuses the alerts come
    /// from; a version with no closed window yet has no drift series.
    func collectMetrics() {
        let bounds = Histogram.requestDurationBuckets
        let reading = state.withLock { state in
            var reading = Reading()
            reading.producers = state.producers.count
            reading.models = state.models.count
            reading.alerts = state.alerts.values.map { alert in
                (alert.modelVersion, Self.alertKind(alert.subject), Self.alertSubject(alert.subject), alert.level)
            }
            for (id, producer) in state.producers {
                reading.missing.append((["producer": id], Double(producer.sequences.missing)))
                reading.dropped.append((["producer": id], Double(producer.reportedDropped)))
                if producer.sequences.missing > 0 {
                    reading.alerts.append(("", "producer_gap", id, .warn))
                }
            }
            reading.labels = state.labels.labelledRows()
            reading.labels.confidence = state.settings.windows.confidence
            for (version, model) in state.models {
                reading.labels.thresholds[version] = model.threshold
                let windows = model.windows
                reading.latency.append((version, model.sinceStartLatency.prometheusSnapshot(bounds: bounds)))
                let labels = ["model_version": version]
                reading.trainingFlagRate.append((labels, windows.reference.baseFlagRate))
                reading.trainingFraudRate.append((labels, windows.reference.baseFraudRate))
                guard let closed = windows.lastClosed else { continue }
                let report = windows.report(for: closed)
                if let interval = report.fraudRate.interval {
                    reading.flagRateInterval.append((labels.merging(["bound": "low"]) { $1 }, interval.lower))
                    reading.flagRateInterval.append((labels.merging(["bound": "high"]) { $1 }, interval.upper))
                }
                reading.datasetDriftShare.append((labels, report.alertShare))
                let datasetLevel = report.datasetLevel
                if datasetLevel != .ok { reading.alerts.append((version, "dataset_drift", "model", datasetLevel)) }
                for column in report.features + [report.score] {
                    guard let statistics = column.statistics else { continue }
                    for (name, value) in [
                        ("psi", statistics.psi), ("js_distance", statistics.jsDistance), ("ks", statistics.ksStatistic),
                        ("wasserstein", statistics.wassersteinNormed),
                    ] {
                        reading.featureDrift.append(
                            (["model_version": version, "feature": column.name, "statistic": name], value))
                    }
                }
            }
            return reading
        }
        metrics.producers.set(Double(reading.producers))
        metrics.models.set(Double(reading.models))
        metrics.activeAlerts.set(Double(reading.alerts.count))
        if let statistics = store?.statistics {
            metrics.logDiskBytes.set(Double(statistics.logDiskBytes + statistics.snapshotDiskBytes))
            metrics.logSyncs.advance(to: Double(statistics.syncs))
        }
        metrics.replace(
            "sentinel_monitor_events_missing", "Sequence numbers never received from a producer.", ["producer"],
            reading.missing)
        metrics.replace(
            "sentinel_monitor_producer_dropped_events", "Events the producer reports it dropped.", ["producer"],
            reading.dropped)
        metrics.replace(
            "sentinel_monitor_training_flag_rate",
            "Share of training rows the model flags at its threshold: the flag rate expected live.",
            ["model_version"], reading.trainingFlagRate)
        metrics.replace(
            "sentinel_monitor_training_fraud_rate", "Share of fraud in the training data.", ["model_version"],
            reading.trainingFraudRate)
        metrics.replace(
            "sentinel_monitor_flag_rate_interval",
            "95 % Wilson interval of the last closed window's flag rate.", ["model_version", "bound"],
            reading.flagRateInterval)
        var coverage: [([String: String], Double)] = []
        var values: [String: [([String: String], Double)]] = [:]
        var intervals: [([String: String], Double)] = []
        // Outside the lock: O(labelled) over the copied rows, as a snapshot computes them.
        for (version, performance) in LabelBook.versionPerformance(reading.labels) {
            let labels = ["model_version": version]
            if let value = performance.coverage { coverage.append((labels, value)) }
            for (statistic, value, interval) in [
                ("precision", performance.precision, performance.precisionInterval),
                ("recall", performance.recall, performance.recallInterval),
                ("fraud_rate", performance.fraudRate, performance.fraudRateInterval),
            ] {
                guard let value else { continue }
                values[statistic, default: []].append((labels, value))
                for (bound, limit) in [("low", interval?.lower), ("high", interval?.upper)] {
                    guard let limit else { continue }
                    intervals.append((["model_version": version, "statistic": statistic, "bound": bound], limit))
                }
            }
        }
        metrics.replace(
            "sentinel_monitor_label_coverage",
            "Share of the kept scored transactions that have a delayed label.", ["model_version"], coverage)
        metrics.replace(
            "sentinel_monitor_label_precision",
            "Precision at the model's threshold over the kept labelled transactions.", ["model_version"],
            values["precision"] ?? [])
        metrics.replace(
            "sentinel_monitor_label_recall",
            "Recall at the model's threshold over the kept labelled transactions.", ["model_version"],
            values["recall"] ?? [])
        metrics.replace(
            "sentinel_monitor_label_fraud_rate", "Share of fraud among the kept labelled transactions.",
            ["model_version"], values["fraud_rate"] ?? [])
        metrics.replace(
            "sentinel_monitor_label_interval",
            "Wilson interval of a label statistic while labels are partial.", ["model_version", "statistic", "bound"],
            intervals)
        metrics.replace(
            "sentinel_monitor_dataset_drift_share",
            "Share of input features at alert in the last closed window.", ["model_version"],
            reading.datasetDriftShare)
        metrics.replace(
            "sentinel_monitor_feature_drift", "Drift of one input or the score in the last closed window.",
            ["model_version", "feature", "statistic"], reading.featureDrift)
        metrics.replace(
            "sentinel_monitor_alert", "1 for each active alert.", ["model_version", "kind", "subject", "level"],
            reading.alerts.map { version, kind, subject, level in
                (
                    [
                        "model_version": version, "kind": kind, "subject": subject,
                        "level": level == .alert ? "alert" : "warn",
                    ], 1
                )
            })
        for (version, snapshot) in reading.latency {
            // Fixed, valid name and buckets.
            try? metrics.registry.makeHistogram(
                name: "sentinel_monitor_api_request_duration_seconds",
                help: "Scoring latency the API reported in its events, merged across replicas.",
                labels: ["model_version": version], buckets: bounds
            ).replace(with: snapshot)
        }
    }

    /// What ``collectMetrics()`` reads under the lock.
    private struct Reading {
        var producers = 0
        var models = 0
        var alerts: [(String, String, String, DriftLevel)] = []
        var missing: [([String: String], Double)] = []
        var dropped: [([String: String], Double)] = []
        var trainingFlagRate: [([String: String], Double)] = []
        var trainingFraudRate: [([String: String], Double)] = []
        var flagRateInterval: [([String: String], Double)] = []
        var datasetDriftShare: [([String: String], Double)] = []
        var featureDrift: [([String: String], Double)] = []
        var latency: [(String, Histogram.Snapshot)] = []
        var labels = LabelBook.LabelledRows()
    }

    /// The `kind` label of an alert about `subject`.
    static func alertKind(_ subject: DriftSubject) -> String {
        switch subject {
        case .feature: "feature_drift"
        case .score: "score_drift"
        case .fraudRate: "flag_rate"
        }
    }

    /// The `subject` label of an alert about `subject`.
    static func alertSubject(_ subject: DriftSubject) -> String {
        switch subject {
        case .feature(let name): name
        case .score: "score"
        case .fraudRate: "model"
        }
    }
}
