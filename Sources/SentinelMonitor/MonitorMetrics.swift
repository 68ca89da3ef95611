import SentinelLock
public import SentinelMetrics
import Synchronization

/// The monitor's Prometheus series, in one ``MetricsRegistry`` rendered by the HTTP server's `/metrics`
/// (Docs/Metrics.md lists every series, its labels and its cardinality).
///
/// Counters the ingest path feeds directly (events, duplicates, batches, labels, and per model version scored and
/// flagged events, counted once per batch); everything computed from the state (drift of the last closed window,
/// alerts, the latency the API reported, producers) is refreshed by ``MonitorService`` when `/metrics` is rendered.
///
/// ```swift
/// let metrics = MonitorMetrics()
/// print(metrics.registry.renderPrometheus())
/// ```
public final class MonitorMetrics: Sendable {
    /// The registry holding every series.
    public let registry: MetricsRegistry
    let events: Counter
    let duplicates: Counter
    let batches: Counter
    let rejected: Counter
    let labels: Counter
    let producers: Gauge
    let models: Gauge
    let activeAlerts: Gauge
    let logDiskBytes: Gauge
    let logSyncs: Counter
    let windowSeconds: Gauge
    let lostRecords: Gauge
    private let perModel = Lock<[String: (scored: Counter, flagged: Counter)]>([:])

    /// Creates the series in a new registry, or in `registry`.
    /// - Parameter registry: Where to register (default: a new one).
    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        // The names are fixed and valid, so registration cannot fail.
        func counter(_ name: String, _ help: String) -> Counter {
            (try? registry.makeCounter(name: name, help: help)) ?? Counter(name: name)
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            (try? registry.makeGauge(name: name, help: help)) ?? Gauge(name: name)
        }
        events = counter("sentinel_monitor_events_total", "Scoring events accepted, each counted once.")
        duplicates = counter(
            "sentinel_monitor_duplicate_events_total", "Duplicate events acknowledged and not counted again.")
        batches = counter("sentinel_monitor_batches_total", "Event batches applied.")
        rejected = counter("sentinel_monitor_rejected_batches_total", "Event batches rejected (nothing applied).")
        labels = counter("sentinel_monitor_labels_total", "Delayed labels received.")
        producers = gauge("sentinel_monitor_producers", "Producers tracked.")
        models = gauge("sentinel_monitor_models", "Model versions tracked.")
        activeAlerts = gauge("sentinel_monitor_active_alerts", "Active alerts, all models.")
        logDiskBytes = gauge("sentinel_monitor_log_disk_bytes", "Bytes of write-ahead log and snapshots on disk.")
        logSyncs = counter("sentinel_monitor_log_syncs_total", "Write-ahead-log syncs since the process started.")
        windowSeconds = gauge("sentinel_monitor_window_seconds", "The length of one monitoring window.")
        lostRecords = gauge(
            "sentinel_monitor_recovery_lost_records",
            "Acknowledged log records found missing or damaged when the state was recovered at start.")
    }

    /// Counts a batch's new events and flagged ones per model version.
    /// - Parameter counts: Per version, new events and flagged events.
    func countScored(_ counts: [String: (scored: UInt64, flagged: UInt64)]) {
        for (version, count) in counts {
            let series = perModel.withLock { $0[version] } ?? makeModelCounters(version)
            series.scored.increment(by: Double(count.scored))
            if count.flagged > 0 { series.flagged.increment(by: Double(count.flagged)) }
        }
    }

    private func makeModelCounters(_ version: String) -> (scored: Counter, flagged: Counter) {
        let labels = ["model_version": version]
        // Fixed, valid names; the label value is any string.
        let scored =
            (try? registry.makeCounter(
                name: "sentinel_monitor_scored_total", help: "Scoring events per model version.", labels: labels))
            ?? Counter(name: "sentinel_monitor_scored_total")
        let flagged =
            (try? registry.makeCounter(
                name: "sentinel_monitor_flagged_total", help: "Flagged scoring events per model version.",
                labels: labels)) ?? Counter(name: "sentinel_monitor_flagged_total")
        perModel.withLock { $0[version] = (scored, flagged) }
        return (scored, flagged)
    }

    /// Sets the series of a gauge family to exactly `values` (series not listed disappear).
    func replace(_ name: String, _ help: String, _ labelNames: Set<String>, _ values: [([String: String], Double)]) {
        // Fixed, valid names and label names.
        try? registry.replaceGauges(name: name, help: help, labelNames: labelNames, values: values)
    }
}
