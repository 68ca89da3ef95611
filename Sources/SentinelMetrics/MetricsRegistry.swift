import SentinelLock
import Synchronization

/// The set of metrics a process exposes, rendered together in the Prometheus text format.
///
/// `make…` returns the series for a name and label values, creating it on first use; asking again with the
/// same name and labels returns the same object. All series of a name share its type, help text and label
/// names (and buckets, for a histogram); a contradicting request throws.
///
/// ```swift
/// let registry = MetricsRegistry()
/// let events = try registry.makeCounter(
///     name: "sentinel_events_total", help: "Events applied.", labels: ["producer": "api-1"])
/// events.increment(by: 512)
/// print(registry.renderPrometheus())
/// ```
public final class MetricsRegistry: Sendable {
    /// The Prometheus metric types.
    public enum MetricType: String, Sendable, Hashable {
        /// Monotonic counter.
        case counter
        /// Up-and-down value.
        case gauge
        /// Bucketed histogram.
        case histogram
        /// Quantile summary.
        case summary
    }

    enum Series: Sendable {
        case counter(Counter)
        case gauge(Gauge)
        case histogram(Histogram)
        case summary(LatencySummary)
    }

    struct Family: Sendable {
        var name: String
        var help: String
        var type: MetricType
        var labelNames: Set<String>
        var buckets: [Double]?
        var series: [[String: String]: Series]
    }

    private let families = Lock<[String: Family]>([:])
    private let collectors = Lock<[@Sendable () -> Void]>([])

    /// Creates an empty registry.
    public init() {}

    /// The counter for a name and label values.
    /// - Parameters:
    ///   - name: The metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*` (by convention ending in `_total`).
    ///   - help: One line describing the metric.
    ///   - labels: Label names and values of this series.
    /// - Returns: The counter, shared with earlier calls with the same name and labels.
    /// - Throws: ``MetricsError`` for an invalid name or label, or a conflict with an earlier registration.
    public func makeCounter(name: String, help: String, labels: [String: String] = [:]) throws(MetricsError)
        -> Counter
    {
        let series = try register(name: name, help: help, type: .counter, labels: labels, buckets: nil) {
            .counter(Counter(name: name, labels: labels))
        }
        guard case .counter(let counter) = series else { preconditionFailure("type checked at registration") }
        return counter
    }

    /// The gauge for a name and label values.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: One line describing the metric.
    ///   - labels: Label names and values of this series.
    /// - Returns: The gauge, shared with earlier calls with the same name and labels.
    /// - Throws: ``MetricsError`` for an invalid name or label, or a conflict with an earlier registration.
    public func makeGauge(name: String, help: String, labels: [String: String] = [:]) throws(MetricsError) -> Gauge {
        let series = try register(name: name, help: help, type: .gauge, labels: labels, buckets: nil) {
            .gauge(Gauge(name: name, labels: labels))
        }
        guard case .gauge(let gauge) = series else { preconditionFailure("type checked at registration") }
        return gauge
    }

    /// The histogram for a name and label values.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: One line describing the metric.
    ///   - labels: Label names and values of this series (not `le`).
    ///   - buckets: Upper bounds, strictly increasing and finite (default Prometheus's).
    /// - Returns: The histogram, shared with earlier calls with the same name and labels.
    /// - Throws: ``MetricsError`` for an invalid name, label or buckets, or a conflict with an earlier
    ///   registration.
    public func makeHistogram(
        name: String, help: String, labels: [String: String] = [:], buckets: [Double] = Histogram.defaultBuckets
    ) throws(MetricsError) -> Histogram {
        let histogram = try Histogram(name: name, labels: labels, buckets: buckets)
        let series = try register(name: name, help: help, type: .histogram, labels: labels, buckets: buckets) {
            .histogram(histogram)
        }
        guard case .histogram(let registered) = series else { preconditionFailure("type checked at registration") }
        return registered
    }

    /// The latency summary for a name and label values.
    /// - Parameters:
    ///   - name: The metric name (by convention ending in `_seconds`).
    ///   - help: One line describing the metric.
    ///   - labels: Label names and values of this series (not `quantile`).
    /// - Returns: The summary, shared with earlier calls with the same name and labels.
    /// - Throws: ``MetricsError`` for an invalid name or label, or a conflict with an earlier registration.
    public func makeSummary(name: String, help: String, labels: [String: String] = [:]) throws(MetricsError)
        -> LatencySummary
    {
        let series = try register(name: name, help: help, type: .summary, labels: labels, buckets: nil) {
            .summary(LatencySummary(name: name, labels: labels))
        }
        guard case .summary(let summary) = series else { preconditionFailure("type checked at registration") }
        return summary
    }

    /// Adds a function run before every rendering, to bring series up to date from state kept elsewhere (process
    /// statistics, a component's own counters): the hot paths keep their cheap counters, and a scrape pays for the
    /// copy.
    /// - Parameter collect: Updates series of this registry; it runs on the rendering thread and must not render.
    public func addCollector(_ collect: @escaping @Sendable () -> Void) {
        collectors.withLock { $0.append(collect) }
    }

    /// Runs every collector.
    func collect() {
        for collect in collectors.withLock({ $0 }) { collect() }
    }

    /// Replaces every series of a gauge family with `values`: series not listed disappear. For families whose
    /// label sets come and go (active alerts, the drift of the served models' features).
    /// - Parameters:
    ///   - name: The metric name.
    ///   - help: One line describing the metric.
    ///   - labelNames: The family's label names (every entry of `values` has exactly these).
    ///   - values: Label values and value of each series.
    /// - Throws: ``MetricsError`` for an invalid name or label, or a conflict with an earlier registration.
    public func replaceGauges(
        name: String, help: String, labelNames: Set<String>, values: [([String: String], Double)]
    ) throws(MetricsError) {
        for (labels, _) in values {
            try Self.validate(name: name, labels: labels, type: .gauge)
            guard Set(labels.keys) == labelNames else {
                throw MetricsError(.conflictingRegistration, "\(name) has labels \(labelNames.sorted())")
            }
        }
        try Self.validate(
            name: name, labels: Dictionary(uniqueKeysWithValues: labelNames.map { ($0, "") }), type: .gauge)
        try families.withLock { (families: inout [String: Family]) throws(MetricsError) in
            var family =
                families[name]
                ?? Family(name: name, help: help, type: .gauge, labelNames: labelNames, buckets: nil, series: [:])
            guard family.type == .gauge, family.help == help, family.labelNames == labelNames else {
                throw MetricsError(
                    .conflictingRegistration, "\(name) is already a \(family.type) with other help or labels")
            }
            var series: [[String: String]: Series] = [:]
            for (labels, value) in values {
                let gauge: Gauge
                if case .gauge(let existing) = family.series[labels] {
                    gauge = existing
                } else {
                    gauge = Gauge(name: name, labels: labels)
                }
                gauge.set(value)
                series[labels] = .gauge(gauge)
            }
            family.series = series
            families[name] = family
        }
    }

    private func register(
        name: String, help: String, type: MetricType, labels: [String: String], buckets: [Double]?,
        make: () -> Series
    ) throws(MetricsError) -> Series {
        try Self.validate(name: name, labels: labels, type: type)
        return try families.withLock { (families: inout [String: Family]) throws(MetricsError) -> Series in
            var family =
                families[name]
                ?? Family(
                    name: name, help: help, type: type, labelNames: Set(labels.keys), buckets: buckets, series: [:])
            guard family.type == type, family.help == help else {
                throw MetricsError(
                    .conflictingRegistration,
                    "\(name) is already a \(family.type) with help \"\(family.help)\"")
            }
            guard family.labelNames == Set(labels.keys) else {
                throw MetricsError(
                    .conflictingRegistration,
                    "\(name) has labels \(family.labelNames.sorted()), got \(labels.keys.sorted())")
            }
            guard family.buckets == buckets else {
                throw MetricsError(.conflictingRegistration, "\(name) has other buckets")
            }
            if let existing = family.series[labels] { return existing }
            let series = make()
            family.series[labels] = series
            families[name] = family
            return series
        }
    }

    static func validate(name: String, labels: [String: String], type: MetricType) throws(MetricsError) {
        guard isValidName(name, allowColon: true) else {
            throw MetricsError(.invalidName, "\"\(name)\" is not a valid metric name")
        }
        for label in labels.keys {
            guard isValidName(label, allowColon: false), !label.hasPrefix("__") else {
                throw MetricsError(.invalidLabel, "\"\(label)\" is not a valid label name for \(name)")
            }
            if (type == .histogram && label == "le") || (type == .summary && label == "quantile") {
                throw MetricsError(.invalidLabel, "label \"\(label)\" is reserved for a \(type)")
            }
        }
    }

    private static func isValidName(_ name: String, allowColon: Bool) -> Bool {
        guard let first = name.utf8.first else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
                || (allowColon && byte == 0x3A)
        }
        guard isLetter(first) else { return false }
        return name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// A copy of the families, sorted by name, for rendering.
    var sortedFamilies: [Family] {
        families.withLock { $0.values.sorted { $0.name < $1.name } }
    }
}
