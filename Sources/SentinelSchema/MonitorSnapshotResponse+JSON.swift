import Foundation

/// The monitor snapshot as JSON: the body of `/api/snapshot` and of `sentinel status --json`.
///
/// Keys are snake_case and stable (the SnapshotJSONFormat article documents the shape); levels and kinds are
/// lower-case strings (`ok`, `warn`, `alert`; `feature_drift`, `flag_rate`, …); times are microseconds since the
/// Unix epoch; latencies are nanoseconds; non-finite numbers are `null`.
///
/// ```swift
/// let text = SnapshotJSON.render(snapshot)  // {"generated_at":"…","events_total":…,"alerts":[…],…}
/// ```
public enum SnapshotJSON {
    /// Renders a snapshot.
    /// - Parameter snapshot: The monitor's snapshot.
    /// - Returns: One line of JSON.
    public static func render(_ snapshot: MonitorSnapshotResponse) -> String {
        var json = JSONWriter()
        json.object { json in
            json.field("generated_at", isoTime(snapshot.generatedAtMicroseconds))
            json.field("generated_at_unix_us", snapshot.generatedAtMicroseconds)
            json.field("started_at_unix_us", snapshot.startedAtMicroseconds)
            json.field(
                "uptime_seconds",
                Double(max(0, snapshot.generatedAtMicroseconds - snapshot.startedAtMicroseconds)) / 1e6)
            json.field("events_total", snapshot.eventsTotal)
            json.field("window_length_seconds", Double(snapshot.windowLengthMicroseconds) / 1e6)
            json.key("models")
            json.array(snapshot.models) { json, model in write(model, in: snapshot, to: &json) }
            json.key("alerts")
            json.array(snapshot.alerts) { json, alert in write(alert, to: &json) }
            json.key("producers")
            json.array(snapshot.producers) { json, producer in write(producer, to: &json) }
            json.key("history")
            json.array(snapshot.history) { json, window in write(window, to: &json) }
            json.key("label_metrics")
            json.array(snapshot.labelMetrics) { json, day in
                json.object { json in
                    json.field("day", day.day)
                    json.field("model_version", day.modelVersion)
                    json.field("transactions", day.transactions)
                    json.field("labelled", day.labelled)
                    json.field("frauds", day.frauds)
                    json.field("average_precision", day.averagePrecision)
                    json.field("card_precision_at_100", day.cardPrecisionAt100)
                    json.key("performance")
                    write(day.performance, to: &json)
                }
            }
        }
        return json.text
    }

    /// The JSON name of a level: `unspecified`, `ok`, `warn` or `alert`.
    public static func name(of level: AlertLevel) -> String {
        switch level {
        case .unspecified: "unspecified"
        case .ok: "ok"
        case .warn: "warn"
        case .alert: "alert"
        }
    }

    /// The JSON name of an alert kind, such as `feature_drift` or `producer_gap`.
    public static func name(of kind: AlertKind) -> String {
        switch kind {
        case .unspecified: "unspecified"
        case .featureDrift: "feature_drift"
        case .scoreDrift: "score_drift"
        case .datasetDrift: "dataset_drift"
        case .flagRate: "flag_rate"
        case .fraudRate: "fraud_rate"
        case .latency: "latency"
        case .producerGap: "producer_gap"
        }
    }

    private static func isoTime(_ microseconds: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(microseconds) / 1e6)
        return ISO8601DateFormatter().string(from: date)
    }

    private static func write(
        _ model: MonitorSnapshotResponse.ModelSnapshot, in snapshot: MonitorSnapshotResponse,
        to json: inout JSONWriter
    ) {
        json.object { json in
            json.field("model_version", model.modelVersion)
            json.field("reference_known", model.referenceKnown)
            json.field("events_total", model.eventsTotal)
            // The window every number and status below describes: the last closed one (none before the first closes).
            let state = model.windowState
            json.field("window_start_unix_us", model.windowStartMicroseconds)
            json.field("window_end_unix_us", state.endMicroseconds)
            json.field("window_closed", state.closed)
            json.field("open_window_start_unix_us", state.openStartMicroseconds)
            json.field("open_window_events", state.openEvents)
            json.field("idle_windows", state.idleWindows)
            json.field("idle", state.idle)
            json.field("registered_at_unix_us", state.registeredAtMicroseconds)
            json.field("throughput_per_second", model.throughputPerSecond)
            json.key("drift")
            json.object { json in
                json.field("status", name(of: model.drift.status))
                json.field("drift_share", model.drift.driftShare)
                json.key("features")
                json.array(model.drift.features) { json, feature in write(feature, to: &json) }
                json.key("score")
                write(model.drift.score, to: &json)
            }
            json.key("window_rates")
            write(model.windowRates, to: &json)
            json.key("since_start_rates")
            write(model.sinceStartRates, to: &json)
            json.key("window_latency")
            write(model.windowLatency, to: &json)
            json.key("since_start_latency")
            write(model.sinceStartLatency, to: &json)
            json.key("label_performance")
            write(model.labelPerformance, to: &json)
            json.key("distributions")
            json.array(model.distributions) { json, distribution in write(distribution, to: &json) }
        }
    }

    /// Precision, recall and fraud rate at the threshold with their intervals (`null` where undefined or not
    /// given), and the labelled share of the scored transactions (`label_coverage`, `null` before any).
    private static func write(_ performance: MonitorSnapshotResponse.LabelPerformance, to json: inout JSONWriter) {
        json.object { json in
            json.field("threshold", performance.threshold)
            json.field("transactions", performance.transactions)
            json.field("labelled", performance.labelled)
            json.field(
                "label_coverage",
                performance.transactions > 0
                    ? min(1, Double(performance.labelled) / Double(performance.transactions)) : .nan)
            json.field("frauds", performance.frauds)
            json.field("flagged", performance.flagged)
            json.field("true_positives", performance.truePositives)
            json.field("precision", performance.precision)
            json.field("precision_low", performance.precisionLow)
            json.field("precision_high", performance.precisionHigh)
            json.field("recall", performance.recall)
            json.field("recall_low", performance.recallLow)
            json.field("recall_high", performance.recallHigh)
            json.field(
                "fraud_rate",
                performance.labelled > 0 ? Double(performance.frauds) / Double(performance.labelled) : .nan)
            json.field("fraud_rate_low", performance.fraudRateLow)
            json.field("fraud_rate_high", performance.fraudRateHigh)
            json.field("confidence", performance.confidence)
        }
    }

    /// A column's reference shares and live counts over the same bins.
    private static func write(_ distribution: MonitorSnapshotResponse.Distribution, to json: inout JSONWriter) {
        json.object { json in
            json.field("name", distribution.name)
            json.key("edges")
            json.array(distribution.edges) { json, edge in json.number(edge) }
            json.key("reference_shares")
            json.array(distribution.referenceShares) { json, share in json.number(share) }
            json.field("reference_count", distribution.referenceCount)
            json.field("reference_minimum", distribution.referenceMinimum)
            json.field("reference_maximum", distribution.referenceMaximum)
            json.key("closed_counts")
            json.array(distribution.closedCounts) { json, count in json.integer(count) }
            json.field("closed_missing", distribution.closedMissing)
            json.key("open_counts")
            json.array(distribution.openCounts) { json, count in json.integer(count) }
            json.field("open_missing", distribution.openMissing)
        }
    }

    private static func write(_ feature: MonitorSnapshotResponse.FeatureDrift, to json: inout JSONWriter) {
        json.object { json in
            json.field("name", feature.name)
            json.field("psi", feature.psi)
            json.field("js_distance", feature.jsDistance)
            json.field("ks_statistic", feature.ksStatistic)
            json.field("wasserstein_normed", feature.wassersteinNormed)
            json.field("status", name(of: feature.status))
            json.field("count", feature.count)
            json.field("missing", feature.missing)
            json.field("warn_threshold", feature.warnThreshold)
            json.field("alert_threshold", feature.alertThreshold)
            json.field("threshold_source", feature.thresholdSource)
            json.key("exact_ks")
            if let exact = feature.exactKS {
                json.object { json in
                    json.field("statistic", exact.statistic)
                    json.field("p_value", exact.pValue)
                    json.field("sample_size", exact.sampleSize)
                    json.field("reference_size", exact.referenceSize)
                }
            } else {
                json.null()
            }
        }
    }

    private static func write(_ rates: MonitorSnapshotResponse.RateStats, to json: inout JSONWriter) {
        json.object { json in
            json.field("events", rates.events)
            json.field("flagged", rates.flagged)
            json.field("flag_rate", rates.flagRate)
            json.field("flag_rate_low", rates.flagRateLow)
            json.field("flag_rate_high", rates.flagRateHigh)
            json.field("mean_score", rates.meanScore)
            json.field("base_flag_rate", rates.baseFlagRate)
            json.field("base_fraud_rate", rates.baseFraudRate)
            json.field("confidence", rates.confidence)
            json.field("status", name(of: rates.status))
            json.field("labelled", rates.labelled)
            json.field("labelled_frauds", rates.labelledFrauds)
        }
    }

    private static func write(_ latency: LatencySummary, to json: inout JSONWriter) {
        json.object { json in
            json.field("count", latency.count)
            json.field("p50_ns", latency.p50Nanoseconds)
            json.field("p90_ns", latency.p90Nanoseconds)
            json.field("p99_ns", latency.p99Nanoseconds)
            json.field("p999_ns", latency.p999Nanoseconds)
            json.field("max_ns", latency.maxNanoseconds)
            json.field("mean_ns", latency.meanNanoseconds)
        }
    }

    private static func write(_ alert: MonitorSnapshotResponse.Alert, to json: inout JSONWriter) {
        json.object { json in
            json.field("kind", name(of: alert.kind))
            json.field("feature", alert.feature)
            json.field("level", name(of: alert.level))
            json.field("reason", alert.reason)
            json.field("value", alert.value)
            json.field("threshold", alert.threshold)
            json.field("since_unix_us", alert.sinceMicroseconds)
            json.field("model_version", alert.modelVersion)
            json.field("window_start_unix_us", alert.windowStartMicroseconds)
            json.field("last_value", alert.lastValue)
        }
    }

    private static func write(_ producer: MonitorSnapshotResponse.Producer, to json: inout JSONWriter) {
        json.object { json in
            json.field("producer_id", producer.producerId)
            json.field("last_sequence", producer.lastSequence)
            json.field("events", producer.events)
            json.field("duplicates", producer.duplicates)
            json.field("missing", producer.missing)
            json.key("gaps")
            json.array(producer.gaps) { json, gap in
                json.object { json in
                    json.field("first", gap.first)
                    json.field("last", gap.last)
                }
            }
            json.field("last_seen_unix_us", producer.lastSeenMicroseconds)
            json.field("reported_dropped", producer.reportedDropped)
        }
    }

    /// A closed window, with its flag rate and that rate's confidence interval (computed by the monitor).
    private static func write(_ window: MonitorSnapshotResponse.WindowSummary, to json: inout JSONWriter) {
        json.object { json in
            json.field("start_unix_us", window.startMicroseconds)
            json.field("end_unix_us", window.endMicroseconds)
            json.field("model_version", window.modelVersion)
            json.field("events", window.events)
            json.field("flagged", window.flagged)
            json.field("flag_rate", window.events > 0 ? Double(window.flagged) / Double(window.events) : 0)
            json.field("flag_rate_low", window.flagRateLow)
            json.field("flag_rate_high", window.flagRateHigh)
            json.field("mean_score", window.meanScore)
            json.field("drift_share", window.driftShare)
            json.field("max_psi", window.maxPsi)
            json.key("latency")
            write(window.latency, to: &json)
            json.field("status", name(of: window.status))
            if !window.features.isEmpty {
                json.key("features")
                json.array(window.features) { json, feature in write(feature, to: &json) }
                json.key("score")
                write(window.score, to: &json)
            }
        }
    }
}
