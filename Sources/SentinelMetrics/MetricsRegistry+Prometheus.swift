extension MetricsRegistry {
    /// The content type of ``renderPrometheus()``'s output, for the `/metrics` response.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Renders every metric in the Prometheus text exposition format 0.0.4.
    ///
    /// Families are sorted by name and series by their label text, so the output is deterministic. Each
    /// family has `# HELP` and `# TYPE` lines; histograms give cumulative `_bucket{le="…"}` lines ending
    /// with `le="+Inf"`, then `_sum` and `_count`; summaries give `{quantile="…"}` lines in seconds, then
    /// `_sum` (seconds) and `_count`. The collectors (``addCollector(_:)``) run first. A family with no series
    /// (a gauge family emptied by ``replaceGauges(name:help:labelNames:values:)``) is left out.
    /// - Returns: The exposition text, ending with a newline (empty when nothing is registered).
    public func renderPrometheus() -> String {
        collect()
        var text = ""
        for family in sortedFamilies where !family.series.isEmpty {
            text += "# HELP \(family.name) \(PrometheusText.escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.type.rawValue)\n"
            let series = family.series.map { (labels: $0.key, series: $0.value) }
                .sorted { PrometheusText.labelText($0.labels) < PrometheusText.labelText($1.labels) }
            for (labels, series) in series {
                render(series, name: family.name, labels: labels, into: &text)
            }
        }
        return text
    }

    private func render(_ series: Series, name: String, labels: [String: String], into text: inout String) {
        let labelText = PrometheusText.labelText(labels)
        switch series {
        case .counter(let counter):
            text += "\(name)\(labelText) \(PrometheusText.format(counter.value))\n"
        case .gauge(let gauge):
            text += "\(name)\(labelText) \(PrometheusText.format(gauge.value))\n"
        case .histogram(let histogram):
            let snapshot = histogram.snapshot
            let cumulative = snapshot.cumulativeCounts
            for (index, bound) in histogram.buckets.enumerated() {
                let bucketLabels = PrometheusText.labelText(labels, extra: ("le", PrometheusText.format(bound)))
                text += "\(name)_bucket\(bucketLabels) \(cumulative[index])\n"
            }
            text += "\(name)_bucket\(PrometheusText.labelText(labels, extra: ("le", "+Inf"))) \(snapshot.count)\n"
            text += "\(name)_sum\(labelText) \(PrometheusText.format(snapshot.sum))\n"
            text += "\(name)_count\(labelText) \(snapshot.count)\n"
        case .summary(let summary):
            let histogram = summary.snapshot
            for quantile in LatencySummary.quantiles {
                let value = histogram.quantile(quantile).map { $0 / 1e9 } ?? .nan
                let quantileLabels = PrometheusText.labelText(
                    labels, extra: ("quantile", PrometheusText.format(quantile)))
                text += "\(name)\(quantileLabels) \(PrometheusText.format(value))\n"
            }
            text += "\(name)_sum\(labelText) \(PrometheusText.format(histogram.sum / 1e9))\n"
            text += "\(name)_count\(labelText) \(histogram.count)\n"
        }
    }
}
