import SentinelLock
import SentinelMetrics
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization

/// Counts every answered request of the scoring service in `sentinel_api_requests_total{method,code}` and
/// `sentinel_api_request_duration_seconds{method,code}`: the router's observer.
///
/// The two series of a method and status are created on first use and cached, so a request costs one lock and two
/// atomic updates.
///
/// ```swift
/// let requests = RequestMetrics(registry: registry)
/// router.observer = { context, status in requests.observe(context, status) }
/// ```
final class RequestMetrics: Sendable {
    private let registry: MetricsRegistry
    private let series = Lock<[UInt32: (Counter, Histogram)]>([:])

    init(registry: MetricsRegistry) {
        self.registry = registry
    }

    /// Counts one answered request and records its duration, from its frame read until now.
    /// - Parameters:
    ///   - context: The call.
    ///   - status: The status sent.
    func observe(_ context: RequestContext, _ status: StatusCode) {
        let elapsed = ContinuousClock.now - context.receivedAt
        let key = UInt32(context.method.rawValue) << 16 | UInt32(status.rawValue)
        let (counter, histogram) =
            series.withLock { $0[key] } ?? makeSeries(key: key, method: context.method, status: status)
        counter.increment()
        let (seconds, attoseconds) = elapsed.components
        histogram.observe(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    private func makeSeries(key: UInt32, method: MethodID, status: StatusCode) -> (Counter, Histogram) {
        let known = MethodID.known.first { $0.id == method }
        let labels = [
            "method": known.map { String($0.fullName.split(separator: "/").last!) } ?? "unknown", "code": status.name,
        ]
        // Fixed, valid names and labels: registration cannot fail.
        let counter =
            (try? registry.makeCounter(
                name: "sentinel_api_requests_total", help: "RPC requests answered, by method and status.",
                labels: labels)) ?? Counter(name: "sentinel_api_requests_total")
        let histogram =
            (try? registry.makeHistogram(
                name: "sentinel_api_request_duration_seconds",
                help: "Server-side time from the request frame read to the answer queued, by method and status.",
                labels: labels, buckets: Histogram.requestDurationBuckets))
            ?? (try! Histogram(name: "sentinel_api_request_duration_seconds"))
        series.withLock { $0[key] = (counter, histogram) }
        return (counter, histogram)
    }
}

extension ScoringService {
    /// Registers the collectors that copy the service's counters into ``metrics`` at every scrape: transactions by
    /// decision, transaction errors, model loads, the served model, readiness and, with a monitor configured, the
    /// event reporter's delivery counters (Docs/Metrics.md lists them).
    func registerCollectors() {
        let registry = metrics
        // The names are fixed and valid, so registration cannot fail.
        func counter(_ name: String, _ help: String, _ labels: [String: String] = [:]) -> Counter {
            (try? registry.makeCounter(name: name, help: help, labels: labels)) ?? Counter(name: name)
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            (try? registry.makeGauge(name: name, help: help)) ?? Gauge(name: name)
        }
        let scoredHelp = "Transactions scored, by decision."
        let flagged = counter("sentinel_api_transactions_scored_total", scoredHelp, ["decision": "flag"])
        let passed = counter("sentinel_api_transactions_scored_total", scoredHelp, ["decision": "pass"])
        let loadsHelp = "Model loads and reloads, by result."
        let loaded = counter("sentinel_api_model_loads_total", loadsHelp, ["result": "success"])
        let failed = counter("sentinel_api_model_loads_total", loadsHelp, ["result": "failure"])
        let serving = gauge("sentinel_api_serving", "1 when a model is loaded and the service is not draining.")
        let transactionErrors = "Transactions refused (a whole Score, or one batch item), by status."
        registry.addCollector { [weak self, registry, counters, store] in
            let flaggedCount = counters.flagged.load(ordering: .relaxed)
            flagged.advance(to: Double(flaggedCount))
            passed.advance(to: Double(counters.transactions.load(ordering: .relaxed) &- flaggedCount))
            loaded.advance(to: Double(counters.loads.load(ordering: .relaxed)))
            failed.advance(to: Double(counters.failedLoads.load(ordering: .relaxed)))
            for (code, count) in counters.transactionErrorCounts {
                (try? registry.makeCounter(
                    name: "sentinel_api_transaction_errors_total", help: transactionErrors,
                    labels: ["code": code.name]))?
                    .advance(to: Double(count))
            }
            serving.set(self?.isServing == true ? 1 : 0)
            let model = store.current
            try? registry.replaceGauges(
                name: "sentinel_model_info", help: "Always 1, for the model being served.",
                labelNames: ["version", "algorithm"],
                values: model.map { [(["version": $0.version, "algorithm": $0.learnerKind], 1)] } ?? [])
        }
        if let sink { registerDeliveryCollector(sink, counter: counter, gauge: gauge) }
    }

    /// The event reporter's series: registered only when a monitor is configured, so an API without one has no
    /// delivery series to alert on.
    private func registerDeliveryCollector(
        _ sink: any ScoringEventSink, counter: (String, String, [String: String]) -> Counter,
        gauge: (String, String) -> Gauge
    ) {
        let sent = counter(
            "sentinel_api_events_sent_total", "Scoring events sent to the monitor, resends included.", [:])
        let acknowledged = counter(
            "sentinel_api_events_acknowledged_total", "Events the monitor acknowledged as durably applied.", [:])
        let spooled = counter("sentinel_api_events_spooled_total", "Events written to the disk spool.", [:])
        let replayed = counter(
            "sentinel_api_events_replayed_total", "Events read back from the spool and acknowledged.", [:])
        let dropped = counter(
            "sentinel_api_events_dropped_total", "Events lost: spool full, queue full, or refused by the monitor.",
            [:])
        let resent = counter(
            "sentinel_api_events_resent_total",
            "Acknowledged events sent again from the retention because the monitor reported them missing.", [:])
        let unrecoverable = counter(
            "sentinel_api_events_unrecoverable_total",
            "Events the monitor reported missing that are no longer retained and cannot be resent.", [:])
        let retained = gauge(
            "sentinel_api_retention_bytes", "Bytes of acknowledged event batches retained in memory for resends.")
        let queued = gauge("sentinel_api_events_queued", "Events in memory waiting to be sent or acknowledged.")
        let spoolBytes = gauge("sentinel_api_spool_bytes", "Bytes of the event spool on disk.")
        let reachable = gauge("sentinel_api_monitor_reachable", "1 when the last call to the monitor succeeded.")
        metrics.addCollector {
            let delivery = sink.delivery
            sent.advance(to: Double(delivery.sent))
            acknowledged.advance(to: Double(delivery.acknowledged))
            spooled.advance(to: Double(delivery.spooled))
            replayed.advance(to: Double(delivery.replayed))
            dropped.advance(to: Double(delivery.dropped))
            queued.set(Double(delivery.queued))
            spoolBytes.set(Double(delivery.spoolBytes))
            let statistics = sink.statistics
            resent.advance(to: Double(statistics.resent))
            unrecoverable.advance(to: Double(statistics.unrecoverable))
            retained.set(Double(statistics.retainedBytes))
            reachable.set(sink.isMonitorReachable ? 1 : 0)
        }
    }
}
