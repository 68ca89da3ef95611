// Drift and metrics micro-benchmarks (run through benchmarks/drift.sh, -c release).
//
// 1. Events applied per second in-process: 30 features × 20 bins + score, random values, into a
//    WindowAccumulator alone and into DriftWindows (which also fills the reservoir sample).
// 2. Time of a full window report (30 features × 20 bins + score, fraud rate) and of a window close.
// 3. Exact KS on a 2,048-row reservoir against a 2,048-value reference sample.
// 4. LatencyHistogram record rate and percentile query time.
// 5. The offline DriftReport on 30 columns (default 100,000 reference and current rows).

import Foundation
import SentinelDrift
import SentinelMetrics

let arguments = CommandLine.arguments
let rows = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let features = 30
let bins = 20
var generator = SplitMix64(seed: 2026)

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func measure(_ label: String, repetitions: Int = 5, _ body: () -> Int) -> Double {
    var best = Double.infinity
    var checksum = 0
    for _ in 0..<repetitions {
        let clock = ContinuousClock()
        let start = clock.now
        checksum &+= body()
        best = min(best, seconds(clock.now - start))
    }
    if checksum == 42 { print("(checksum)") }  // keeps the work observable
    return best
}

// Reference: 30 features with different shapes, 20 quantile bins each, and a score.
let referenceRows = 50_000
var columns: [[Double]] = []
for feature in 0..<features {
    columns.append(
        (0..<referenceRows).map { _ in
            let u = generator.nextUnitInterval()
            switch feature % 3 {
            case 0: return u * 100
            case 1: return -log(u) * 10
            default: return (u - 0.5) * (u - 0.5) * Double(feature)
            }
        })
}
let profiles = columns.enumerated().map { FeatureProfile(name: "f\($0.offset)", values: $0.element, bins: bins) }
let scores = (0..<referenceRows).map { _ in generator.nextUnitInterval() * generator.nextUnitInterval() }
let reference = ReferenceProfile(
    features: profiles, score: FeatureProfile(name: "score", values: scores, bins: bins), baseFraudRate: 0.002,
    baseFlagRate: 0.01)
print(
    "reference: \(features) features, bins per feature: \(profiles.map(\.binCount).min()!)…\(profiles.map(\.binCount).max()!)"
)

// Live events: 65,536 pre-generated rows (a little shifted), cycled.
let eventRows = 65_536
var events = [Double](repeating: 0, count: eventRows * features)
var eventScores = [Double](repeating: 0, count: eventRows)
for row in 0..<eventRows {
    for feature in 0..<features {
        events[row * features + feature] = columns[feature][Int(generator.next() % UInt64(referenceRows))] * 1.05
    }
    eventScores[row] = generator.nextUnitInterval()
}

nonisolated let applied = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 4_000_000 : 4_000_000

// Locals inside functions: top-level globals would add exclusivity checks to every access.
func applyToAccumulator(_ reference: ReferenceProfile, _ events: [Double], _ scores: [Double]) -> Int {
    let features = reference.features.count
    let eventRows = scores.count
    var window = WindowAccumulator(reference: reference)
    events.withUnsafeBufferPointer { events in
        for index in 0..<applied {
            let row = index & (eventRows - 1)
            let slice = UnsafeBufferPointer(rebasing: events[(row * features)..<(row * features + features)])
            window.record(features: slice, score: scores[row], flagged: scores[row] > 0.99)
        }
    }
    return window.events
}

func applyToWindows(_ windows: inout DriftWindows, _ events: [Double], _ scores: [Double]) -> Int {
    let features = windows.reference.features.count
    let eventRows = scores.count
    events.withUnsafeBufferPointer { events in
        for index in 0..<applied {
            let row = index & (eventRows - 1)
            let slice = UnsafeBufferPointer(rebasing: events[(row * features)..<(row * features + features)])
            windows.record(features: slice, score: scores[row], flagged: scores[row] > 0.99)
        }
    }
    return windows.current.events
}

let accumulatorTime = measure("accumulator") { applyToAccumulator(reference, events, eventScores) }
print(
    String(
        format: "events applied, WindowAccumulator: %.2f M events/s (%.0f ns/event)",
        Double(applied) / accumulatorTime / 1e6, accumulatorTime / Double(applied) * 1e9))

var windows = try! DriftWindows(reference: reference, startingAt: 0)
let windowsTime = measure("windows") {
    var fresh = try! DriftWindows(reference: reference, startingAt: 0)
    let count = applyToWindows(&fresh, events, eventScores)
    windows = fresh
    return count
}
print(
    String(
        format: "events applied, DriftWindows (with reservoir): %.2f M events/s (%.0f ns/event)",
        Double(applied) / windowsTime / 1e6, windowsTime / Double(applied) * 1e9))

let reports = 2_000
let reportTime = measure("report") {
    var sum = 0
    for _ in 0..<reports { sum &+= windows.currentReport().features.count }
    return sum
}
print(
    String(
        format: "full window report (30 features × 20 bins + score, fraud rate): %.1f µs",
        reportTime / Double(reports) * 1e6))

let window = windows.current
let statisticsTime = measure("statistics") {
    var sum = 0
    for _ in 0..<reports {
        for column in 0..<features {
            if let drift = window.statistics(column: column, profile: profiles[column]), drift.psi > 0 { sum &+= 1 }
        }
    }
    return sum
}
print(
    String(
        format: "drift statistics only (30 × PSI, JS, KS, Wasserstein): %.1f µs", statisticsTime / Double(reports) * 1e6
    ))

var closing = windows
let closeTime = measure("close", repetitions: 1) {
    var changes = 0
    for step in 1...200 {
        closing.record(features: Array(events[0..<features]), score: 0.5, flagged: false)
        changes &+= closing.advance(to: Int64(step) * 60_000).count
    }
    return changes
}
print(String(format: "window close (statistics, statuses, ring push): %.1f µs", closeTime / 200 * 1e6))

let referenceSample = Array(columns[0].prefix(2_048))
let ksTime = measure("ks") {
    var sum = 0
    for _ in 0..<20 {
        if let test = try? windows.exactKS(column: 0, reference: referenceSample), test.pValue < 2 { sum &+= 1 }
    }
    return sum
}
print(String(format: "exact KS, 2,048 reservoir rows vs 2,048 reference values: %.2f ms", ksTime / 20 * 1e3))

// Latency histogram.
let latencies = (0..<1_048_576).map { _ in UInt64(exp2(10 + generator.nextUnitInterval() * 20)) }
let recorded = 20_000_000
var latency = LatencyHistogram()
let latencyTime = measure("latency") {
    latency.reset()
    latencies.withUnsafeBufferPointer { values in
        for index in 0..<recorded { latency.record(nanoseconds: values[index & (values.count - 1)]) }
    }
    return Int(latency.count)
}
print(
    String(
        format: "LatencyHistogram.record: %.1f M values/s (%.1f ns/value)",
        Double(recorded) / latencyTime / 1e6, latencyTime / Double(recorded) * 1e9))
let percentileTime = measure("percentiles") {
    var sum = 0
    for _ in 0..<1_000 { if let p = latency.percentiles, p.p99 > 0 { sum &+= 1 } }
    return sum
}
print(String(format: "LatencyHistogram.percentiles (4 quantiles): %.1f µs", percentileTime / 1_000 * 1e6))
let summary = LatencySummary(name: "latency_seconds")
let summaryTime = measure("summary", repetitions: 3) {
    for index in 0..<2_000_000 { summary.record(nanoseconds: latencies[index & (latencies.count - 1)]) }
    return 0
}
print(String(format: "LatencySummary.record (Mutex, uncontended): %.1f M values/s", 2_000_000 / summaryTime / 1e6))

// Offline report.
let offlineReference = columns.map { Array($0.prefix(min(rows, referenceRows))) }
let offlineCurrent = (0..<features).map { feature in
    (0..<rows).map { index in events[(index & (eventRows - 1)) * features + feature] }
}
let offlineTime = measure("offline", repetitions: 3) {
    let report = try! DriftReport(
        columns: profiles.map(\.name), reference: offlineReference, current: offlineCurrent)
    return report.columns.count
}
print(
    String(
        format: "offline DriftReport, 30 columns, %d reference × %d current rows (exact KS statistic): %.1f ms",
        offlineReference[0].count, rows, offlineTime * 1e3))
