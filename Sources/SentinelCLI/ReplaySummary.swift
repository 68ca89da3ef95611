import Foundation
import SentinelMetrics

/// The `replay` summary, as text or `--json`.
struct ReplaySummary: Encodable {
    struct Latency: Encodable {
        var p50: Double
        var p90: Double
        var p99: Double
        var p999: Double
        var max: Double
    }

    var sent: Int
    var scored: Int
    var flagged: Int
    var errors: Int
    var errorsByCode: [String: Int]
    var latencyUs: Latency
    var requests: Int
    var seconds: Double
    var transactionsPerSecond: Double
    var modelVersion: String
    var drift: String?

    init(tally: ReplayTally, modelVersion: String, drift: String?) {
        sent = tally.sent
        scored = tally.scored
        flagged = tally.flagged
        errors = tally.errorCount
        errorsByCode = tally.errors
        let micro = { (q: Double) in (tally.latency.quantile(q) ?? 0) / 1000 }
        latencyUs = Latency(
            p50: micro(0.5), p90: micro(0.9), p99: micro(0.99), p999: micro(0.999),
            max: tally.latency.count == 0 ? 0 : Double(tally.latency.maximum) / 1000)
        requests = Int(tally.latency.count)
        let (whole, attoseconds) = tally.elapsed.components
        seconds = Double(whole) + Double(attoseconds) * 1e-18
        transactionsPerSecond = seconds > 0 ? Double(sent) / seconds : 0
        self.modelVersion = modelVersion
        self.drift = drift
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func textLines() -> [String] {
        let share = sent > 0 ? Formatting.percent(Double(flagged) / Double(max(scored, 1))) : "n/a"
        var lines = [
            "sent \(sent)  scored \(scored)  flagged \(flagged) (\(share) of scored)  errors \(errors)"
        ]
        for (code, count) in errorsByCode.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(code): \(count)")
        }
        lines.append(
            "latency per request µs: p50 \(Formatting.fixed(latencyUs.p50, 1))  p90 \(Formatting.fixed(latencyUs.p90, 1))"
                + "  p99 \(Formatting.fixed(latencyUs.p99, 1))  p99.9 \(Formatting.fixed(latencyUs.p999, 1))"
                + "  max \(Formatting.fixed(latencyUs.max, 1))  (\(requests) requests)")
        lines.append(
            "elapsed \(Formatting.fixed(seconds, 2)) s  (\(Formatting.fixed(transactionsPerSecond, 0)) transactions/s)")
        return lines
    }
}
