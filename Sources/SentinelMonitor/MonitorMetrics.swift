public import SentinelMetrics

/// The monitor's Prometheus series, in one ``MetricsRegistry`` (rendered by the HTTP server's `/metrics`).
///
/// Counters: `sentinel_monitor_events_total` (accepted events, all producers; starts from the restored state's
/// count), `sentinel_monitor_duplicate_events_total`, `sentinel_monitor_batches_total`,
/// `sentinel_monitor_rejected_batches_total`, `sentinel_monitor_labels_total`. Gauges, refreshed by the window
/// clock: `sentinel_monitor_producers`, `sentinel_monitor_models`, `sentinel_monitor_active_alerts`,
/// `sentinel_monitor_drift_share{model_version}`, `sentinel_monitor_flag_rate{model_version}` (current window),
/// `sentinel_monitor_log_disk_bytes`, `sentinel_monitor_log_syncs` (since the process started).
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
    let logSyncs: Gauge

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
        activeAlerts = gauge("sentinel_monitor_active_alerts", "Statuses at warn or alert.")
        logDiskBytes = gauge("sentinel_monitor_log_disk_bytes", "Bytes of write-ahead log and snapshots on disk.")
        logSyncs = gauge("sentinel_monitor_log_syncs", "Log syncs since the process started.")
    }

    /// Sets a per-model gauge.
    func modelGauge(_ name: String, _ help: String, version: String, value: Double) {
        (try? registry.makeGauge(name: name, help: help, labels: ["model_version": version]))?.set(value)
    }
}
