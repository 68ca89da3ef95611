import Foundation
import SentinelSchema

extension StatusCommand {
    /// The terminal view of a snapshot: header, then per model the drift table (Amount first, score last), flag and
    /// fraud rates against the base rates, latency quantiles; then active alerts and producers with gaps.
    static func render(_ snapshot: MonitorSnapshotResponse, monitor: String) -> String {
        lines(snapshot, monitor: monitor, featureLimit: nil).joined(separator: "\n")
    }

    /// The terminal view fitted to a window: every drift table shows its worst features first (alert, then warn,
    /// then by PSI) and as many as fit, with `+N more` for the rest; what still does not fit is cut at the last row.
    /// - Parameters:
    ///   - snapshot: The monitor's snapshot.
    ///   - monitor: The address, for the header.
    ///   - size: The window: at most `rows` lines are returned.
    /// - Returns: The lines.
    static func render(
        _ snapshot: MonitorSnapshotResponse, monitor: String, fitting size: (rows: Int, columns: Int)
    ) -> [String] {
        let featureCount = snapshot.models.map(\.drift.features.count).max() ?? 0
        var limit = featureCount
        var result = lines(snapshot, monitor: monitor, featureLimit: limit)
        while result.count > size.rows && limit > 0 {
            limit -= 1
            result = lines(snapshot, monitor: monitor, featureLimit: limit)
        }
        if result.count > size.rows {
            result = Array(result.prefix(max(0, size.rows - 1))) + ["… (\(result.count - size.rows + 1) more lines)"]
        }
        return result
    }

    /// The view's lines; `featureLimit` (fitted mode) orders drift tables worst first and caps their rows.
    private static func lines(
        _ snapshot: MonitorSnapshotResponse, monitor: String, featureLimit: Int?
    ) -> [String] {
        var lines: [String] = []
        let uptime = Double(max(0, snapshot.generatedAtMicroseconds - snapshot.startedAtMicroseconds)) / 1e6
        lines.append(
            "monitor \(monitor) · \(time(snapshot.generatedAtMicroseconds, full: true)) · up \(duration(uptime)) · "
                + "\(grouped(snapshot.eventsTotal)) events · \(duration(Double(snapshot.windowLengthMicroseconds) / 1e6)) windows"
        )
        if snapshot.models.isEmpty { lines.append("no model has reported events yet") }
        for model in snapshot.models {
            lines.append("")
            lines += render(model, in: snapshot, featureLimit: featureLimit)
        }
        lines.append("")
        let active = snapshot.alerts.filter { $0.level == .warn || $0.level == .alert }
        if active.isEmpty {
            lines.append("ALERTS  none active")
        } else {
            lines.append("ALERTS  \(active.count) active")
            for alert in active {
                let subject = alert.feature.isEmpty ? kindName(alert.kind) : "\(kindName(alert.kind)): \(alert.feature)"
                var line = "  \(SnapshotJSON.name(of: alert.level).uppercased().padding(5))  \(subject.padding(26))"
                line += "  \(alert.reason)"
                if alert.sinceMicroseconds > 0 { line += " · since \(time(alert.sinceMicroseconds, full: false))" }
                if !alert.modelVersion.isEmpty && snapshot.models.count > 1 { line += " · \(alert.modelVersion)" }
                lines.append(line)
            }
        }
        let gapped = snapshot.producers.filter { $0.missing > 0 }
        if !gapped.isEmpty {
            lines.append("")
            lines.append("PRODUCERS WITH GAPS")
            for producer in gapped {
                let gaps = producer.gaps.suffix(3).map {
                    $0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)"
                }
                lines.append(
                    "  \(producer.producerId): \(grouped(producer.missing)) missing of \(grouped(producer.lastSequence))"
                        + (gaps.isEmpty ? "" : " (recent gaps \(gaps.joined(separator: ", ")))"))
            }
        }
        return lines
    }

    private static func render(
        _ model: MonitorSnapshotResponse.ModelSnapshot, in snapshot: MonitorSnapshotResponse, featureLimit: Int?
    ) -> [String] {
        // Every number and status below is from the last closed window; the open one only says how far it got.
        let state = model.windowState
        let open =
            "in progress since \(time(state.openStartMicroseconds, full: false)), \(grouped(state.openEvents)) events"
        let window =
            state.closed
            ? "window \(time(model.windowStartMicroseconds, full: false).dropLast(4))–"
                + "\(time(state.endMicroseconds, full: false)) (last closed) · \(grouped(model.windowRates.events)) "
                + "events in it"
            : "no window closed yet"
        var lines = [
            "MODEL \(model.modelVersion)\(state.idle ? " (idle: no events for \(state.idleWindows) windows)" : "") · "
                + "\(String(format: "%.1f", model.throughputPerSecond)) events/s · \(window) · \(open) · "
                + "\(grouped(model.eventsTotal)) in all"
        ]
        if model.referenceKnown {
            let share = String(format: "%.0f%%", model.drift.driftShare * 100)
            lines.append(
                "DRIFT vs reference: dataset \(SnapshotJSON.name(of: model.drift.status)), \(share) of inputs at alert "
                    + "(alert from 50% at alert, warn from 30% at warn or above)")
            lines.append(
                "  " + "feature".padding(16) + ["PSI", "JS", "KS", "W"].map { $0.leftPadding(8) }.joined()
                    + "  status  PSI warn/alert")
            var features = model.drift.features
            var hidden = 0
            if let featureLimit {
                features.sort { a, b in
                    severity(a.status) != severity(b.status) ? severity(a.status) > severity(b.status) : a.psi > b.psi
                }
                hidden = max(0, features.count - featureLimit)
                features = Array(features.prefix(featureLimit))
            } else if let index = features.firstIndex(where: { $0.name == "Amount" }) {
                features.insert(features.remove(at: index), at: 0)
            }
            func row(_ feature: MonitorSnapshotResponse.FeatureDrift) -> String {
                let values = [feature.psi, feature.jsDistance, feature.ksStatistic, feature.wassersteinNormed]
                let row =
                    "  " + feature.name.padding(16) + values.map { String(format: "%.3f", $0).leftPadding(8) }.joined()
                    + "  " + SnapshotJSON.name(of: feature.status)
                // A monitor that sends no thresholds (an older one) leaves the column out.
                guard feature.alertThreshold > 0 else { return row }
                let source = feature.thresholdSource == "default" ? "" : " (\(feature.thresholdSource))"
                return row.padding(row.count + 6 - SnapshotJSON.name(of: feature.status).count)
                    + String(format: "  %.3f/%.3f", feature.warnThreshold, feature.alertThreshold) + source
            }
            for feature in features { lines.append(row(feature)) }
            if hidden > 0 { lines.append("  +\(hidden) more with less drift") }
            lines.append(row(model.drift.score))
        } else {
            lines.append("DRIFT   not computed: the model's reference profile is not registered")
        }
        let rates = model.windowRates
        let confidence = String(format: "%.0f%%", rates.confidence * 100)
        lines.append(
            "FLAG RATE  \(percent(rates.flagRate)) (\(confidence) CI \(percent(rates.flagRateLow))–"
                + "\(percent(rates.flagRateHigh))) vs base \(percent(rates.baseFlagRate)) · "
                + "\(grouped(rates.flagged)) of \(grouped(rates.events)) flagged · \(SnapshotJSON.name(of: rates.status))"
        )
        let since = model.sinceStartRates
        if since.labelled > 0 {
            let fraudRate = Double(since.labelledFrauds) / Double(since.labelled)
            lines.append(
                "FRAUD      \(percent(fraudRate)) of \(grouped(since.labelled)) labelled events vs base "
                    + percent(since.baseFraudRate))
        } else {
            lines.append("FRAUD      no labels yet (base fraud rate \(percent(since.baseFraudRate)))")
        }
        lines.append(labelLine(model.labelPerformance))
        let latency = model.windowLatency
        if latency.count > 0 {
            lines.append(
                "LATENCY    p50 \(ms(latency.p50Nanoseconds)) · p90 \(ms(latency.p90Nanoseconds)) · "
                    + "p99 \(ms(latency.p99Nanoseconds)) · p99.9 \(ms(latency.p999Nanoseconds)) · "
                    + "max \(ms(latency.maxNanoseconds)) per transaction (\(grouped(latency.count)) events; the API's "
                    + "time from a request's start to its scores, shared over a batch's transactions)")
        } else {
            lines.append("LATENCY    no events in this window")
        }
        return lines
    }

    /// Precision and recall at the threshold over the labelled transactions the monitor keeps, with the Wilson
    /// interval of each while labels are partial; `–` where undefined.
    static func labelLine(_ performance: MonitorSnapshotResponse.LabelPerformance) -> String {
        guard performance.labelled > 0 else { return "LABELLED   none yet: precision and recall need labels" }
        let confidence = String(format: "%.0f%%", performance.confidence * 100)
        func figure(_ value: Double, _ low: Double, _ high: Double) -> String {
            guard value.isFinite else { return "–" }
            let text = String(format: "%.3f", value)
            return low.isFinite && high.isFinite
                ? text + String(format: " (%.3f–%.3f)", low, high) : text
        }
        let partial = performance.labelled < performance.transactions
        let coverage =
            performance.transactions > 0
            ? percent(min(1, Double(performance.labelled) / Double(performance.transactions))) : "–"
        return
            "LABELLED   precision \(figure(performance.precision, performance.precisionLow, performance.precisionHigh))"
            + " · recall \(figure(performance.recall, performance.recallLow, performance.recallHigh)) at threshold "
            + String(format: "%.3f", performance.threshold) + " · \(grouped(performance.labelled)) of "
            + "\(grouped(performance.transactions)) scored labelled (\(coverage))"
            + (partial ? "; \(confidence) Wilson intervals from the labelled counts" : "")
    }

    /// Alert above warn above everything else.
    private static func severity(_ level: AlertLevel) -> Int {
        switch level {
        case .alert: 2
        case .warn: 1
        default: 0
        }
    }

    private static func kindName(_ kind: AlertKind) -> String {
        SnapshotJSON.name(of: kind).replacingOccurrences(of: "_", with: " ")
    }

    private static func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    private static func ms(_ nanoseconds: UInt64) -> String { Formatting.latency(nanoseconds: nanoseconds) }

    private static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    private static func time(_ microseconds: Int64, full: Bool) -> String {
        let text = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(microseconds) / 1e6))
        // 2025-11-29T06:12:41Z → "2025-11-29 06:12:41 UTC" or "06:12:41 UTC".
        let clock = text.dropFirst(11).prefix(8)
        return full ? "\(text.prefix(10)) \(clock) UTC" : "\(clock) UTC"
    }

    private static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (days, hours, minutes, rest) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return rest == 0 ? "\(minutes) min" : "\(minutes)m \(rest)s" }
        return "\(rest) s"
    }
}

extension String {
    /// The text padded with spaces on the right to `width` characters (never truncated).
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The text padded with spaces on the left to `width` characters (never truncated).
    fileprivate func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
