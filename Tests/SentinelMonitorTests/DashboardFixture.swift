import Foundation
import SentinelDrift
import SentinelSchema

/// Fixed snapshots for the dashboard tests: one model, a drifting Amount, twelve closed windows, two alerts.
///
/// The numbers are hand-written test inputs for rendering, not measurements.
enum DashboardFixture {
    static let start: Int64 = 1_764_396_000_000_000  // 2025-11-29 06:00 UTC
    static let window: Int64 = 60_000_000
    static let features = ["V1", "V2", "V3", "Amount", "V4", "V10", "V12", "V14", "V17", "hour_of_day"]

    /// The snapshot after `step` extra windows (the dashboard's PSI trend grows with it).
    static func snapshot(step: Int = 0) -> MonitorSnapshotResponse {
        let closed = 12 + step
        let now = start + Int64(closed) * window + 41_000_000
        var drift = MonitorSnapshotResponse.DriftReport()
        for (index, name) in features.enumerated() {
            let psi: Double
            switch name {
            case "Amount": psi = 0.18 + 0.04 * Double(step)
            case "V14": psi = 0.121
            default: psi = 0.004 + 0.003 * Double(index)
            }
            drift.features.append(
                MonitorSnapshotResponse.FeatureDrift(
                    name: name, psi: psi, jsDistance: (psi / 2).squareRoot() / 2, ksStatistic: psi / 3,
                    wassersteinNormed: psi / 1.7, status: level(psi), count: 4_812,
                    missing: name == "hour_of_day" ? 3 : 0, warnThreshold: 0.1, alertThreshold: 0.25,
                    thresholdSource: "default"))
        }
        drift.score = MonitorSnapshotResponse.FeatureDrift(
            name: "score", psi: 0.052, jsDistance: 0.081, ksStatistic: 0.044, wassersteinNormed: 0.038, status: .ok,
            count: 4_812, warnThreshold: 0.13, alertThreshold: 0.31, thresholdSource: "calibrated")
        drift.driftShare = drift.features.filter { $0.status == .alert }.count == 0 ? 0 : 0.1
        drift.status = .ok
        let rates = MonitorSnapshotResponse.RateStats(
            events: 4_812, flagged: 31, flagRate: 31.0 / 4_812, flagRateLow: 0.00454, flagRateHigh: 0.00914,
            meanScore: 0.0071, baseFlagRate: 0.0041, baseFraudRate: 0.00173, confidence: 0.95, status: .warn,
            labelled: 0, labelledFrauds: 0)
        let latency = LatencySummary(
            count: 4_812, p50Nanoseconds: 182_000, p90Nanoseconds: 260_000, p99Nanoseconds: 611_000,
            p999Nanoseconds: 1_420_000, maxNanoseconds: 2_900_000, meanNanoseconds: 201_000)
        // Ten training-quantile bins; the live Amount leans to the top bins as the step grows.
        let edges = [1.0, 2.5, 5, 9, 15, 22, 37, 60, 99]
        let distributions = (features + ["score"]).map { name in
            let lean = name == "Amount" ? 0.3 + 0.1 * Double(step) : 0
            let counts = (0..<10).map { bin in UInt64(481.2 * (1 - lean + 2 * lean * Double(bin) / 9)) }
            return MonitorSnapshotResponse.Distribution(
                name: name, edges: edges, referenceShares: [Double](repeating: 0.1, count: 10), referenceCount: 227_845,
                referenceMinimum: 0, referenceMaximum: 25_691, closedCounts: counts, openCounts: counts.map { $0 / 3 })
        }
        var model = MonitorSnapshotResponse.ModelSnapshot(
            modelVersion: "gbdt-2026-11-28", referenceKnown: true, eventsTotal: 412_388,
            windowStartMicroseconds: start + Int64(closed - 1) * window, drift: drift, windowRates: rates,
            sinceStartRates: rates, windowLatency: latency, sinceStartLatency: latency, throughputPerSecond: 117.4,
            windowState: MonitorSnapshotResponse.WindowState(
                closed: true, endMicroseconds: start + Int64(closed) * window,
                openStartMicroseconds: start + Int64(closed) * window, openEvents: 3_208,
                registeredAtMicroseconds: start - 3 * 3_600_000_000),
            distributions: distributions)
        var history: [MonitorSnapshotResponse.WindowSummary] = []
        for index in 0..<closed {
            let events = UInt64(6_900 + (index * 37) % 400)
            let flagged = UInt64(22 + (index * 7) % 13 + (index > 8 ? 9 : 0))
            history.append(
                MonitorSnapshotResponse.WindowSummary(
                    startMicroseconds: start + Int64(index) * window,
                    endMicroseconds: start + Int64(index + 1) * window, modelVersion: "gbdt-2026-11-28",
                    events: events, flagged: flagged, meanScore: 0.006, driftShare: 0, maxPsi: 0.03 * Double(index),
                    latency: LatencySummary(
                        count: events, p50Nanoseconds: UInt64(170_000 + index * 2_000),
                        p90Nanoseconds: 250_000, p99Nanoseconds: UInt64(540_000 + (index % 4) * 30_000),
                        p999Nanoseconds: UInt64(1_100_000 + (index % 5) * 90_000), maxNanoseconds: 2_500_000,
                        meanNanoseconds: 190_000),
                    status: index > 8 ? .warn : .ok,
                    flagRateLow: WilsonInterval(successes: Int(flagged), trials: Int(events)).lower,
                    flagRateHigh: WilsonInterval(successes: Int(flagged), trials: Int(events)).upper,
                    features: drift.features.map { feature in
                        var past = feature
                        past.psi = feature.name == "Amount" ? 0.02 * Double(index) : feature.psi
                        return past
                    },
                    score: drift.score))
        }
        let alerts = [
            MonitorSnapshotResponse.Alert(
                kind: .featureDrift, feature: "Amount", level: level(0.18 + 0.04 * Double(step)),
                reason: amountReason(0.18 + 0.04 * Double(step), windows: 2 + step),
                value: 0.18, threshold: 0.1,
                sinceMicroseconds: start + 10 * window, modelVersion: "gbdt-2026-11-28"),
            MonitorSnapshotResponse.Alert(
                kind: .flagRate, feature: "", level: .warn,
                reason: "flag rate 0.64 % is above the expected 0.31–0.51 % (training base rate 0.41 %) for 3 windows",
                value: 0.0064, threshold: 0.0041, sinceMicroseconds: start + 9 * window,
                modelVersion: "gbdt-2026-11-28"),
        ]
        let producer = MonitorSnapshotResponse.Producer(
            producerId: "api-1", lastSequence: 412_391, events: 412_388, duplicates: 2, missing: 3,
            gaps: [SequenceRange(first: 90_211, last: 90_212), SequenceRange(first: 300_004, last: 300_004)],
            lastSeenMicroseconds: now - 200_000, reportedDropped: 0)
        // A day fully labelled (exact figures, no interval) and one with labels still arriving (Wilson intervals).
        let labels = [
            MonitorSnapshotResponse.DailyLabelMetrics(
                day: "2026-11-27", modelVersion: "gbdt-2026-11-28", transactions: 9_120, labelled: 9_120, frauds: 71,
                averagePrecision: 0.712, cardPrecisionAt100: 0.27,
                performance: performance(transactions: 9_120, labelled: 9_120, frauds: 71, flagged: 60, hits: 52)),
            MonitorSnapshotResponse.DailyLabelMetrics(
                day: "2026-11-28", modelVersion: "gbdt-2026-11-28", transactions: 10_400, labelled: 3_100, frauds: 24,
                averagePrecision: 0.655, cardPrecisionAt100: 0.19,
                performance: performance(transactions: 10_400, labelled: 3_100, frauds: 24, flagged: 22, hits: 18)),
        ]
        model.labelPerformance = performance(
            transactions: 19_520, labelled: 12_220, frauds: 95, flagged: 82, hits: 70)
        return MonitorSnapshotResponse(
            generatedAtMicroseconds: now, startedAtMicroseconds: start - 3 * 3_600_000_000, eventsTotal: 412_388,
            windowLengthMicroseconds: window, models: [model], alerts: alerts, producers: [producer],
            history: history, labelMetrics: labels)
    }

    /// Label performance at the threshold 0.41, with Wilson intervals while labels are partial (as the monitor
    /// computes them).
    static func performance(
        transactions: UInt64, labelled: UInt64, frauds: UInt64, flagged: UInt64, hits: UInt64
    ) -> MonitorSnapshotResponse.LabelPerformance {
        let partial = labelled < transactions
        func interval(_ successes: UInt64, _ trials: UInt64) -> (Double, Double) {
            guard partial else { return (.nan, .nan) }
            let wilson = WilsonInterval(successes: Int(successes), trials: Int(trials))
            return (wilson.lower, wilson.upper)
        }
        let precision = interval(hits, flagged)
        let recall = interval(hits, frauds)
        let fraudRate = interval(frauds, labelled)
        return MonitorSnapshotResponse.LabelPerformance(
            threshold: 0.41, transactions: transactions, labelled: labelled, frauds: frauds, flagged: flagged,
            truePositives: hits, precision: Double(hits) / Double(flagged), precisionLow: precision.0,
            precisionHigh: precision.1, recall: Double(hits) / Double(frauds), recallLow: recall.0,
            recallHigh: recall.1, fraudRateLow: fraudRate.0, fraudRateHigh: fraudRate.1, confidence: 0.95)
    }

    /// The monitor's wording of the Amount alert at a PSI.
    static func amountReason(_ psi: Double, windows: Int) -> String {
        let line = psi >= 0.25 ? "alert threshold 0.25" : "warn threshold 0.1"
        return "PSI of Amount is \(String(format: "%.3f", psi)), at or above the \(line), for \(windows) windows"
    }

    static func level(_ psi: Double) -> AlertLevel {
        psi >= 0.25 ? .alert : psi >= 0.1 ? .warn : .ok
    }
}
