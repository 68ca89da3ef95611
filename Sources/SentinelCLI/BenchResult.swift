import Foundation
import SentinelMetrics

/// The figures `sentinel bench` prints.
struct BenchResult: Encodable {
    var requestsPerSecond: Double
    var transactionsPerSecond: Double
    var p50Us: Double
    var p90Us: Double
    var p99Us: Double
    var p999Us: Double
    var maxUs: Double
    var meanUs: Double
    var requests: Int
    var transactions: Int
    var errors: Int
    var errorsByCode: [String: Int]
    var connections: Int
    var batch: Int
    var loops: Int
    var seconds: Double

    init(report: LoadGenerator.Report, connections: Int, batch: Int, loops: Int) {
        let seconds = max(report.seconds, 1e-9)
        self.seconds = report.seconds
        requestsPerSecond = Double(report.requests) / seconds
        transactionsPerSecond = Double(report.transactions) / seconds
        let microseconds = { (q: Double) in (report.latency.quantile(q) ?? 0) / 1000 }
        p50Us = microseconds(0.5)
        p90Us = microseconds(0.9)
        p99Us = microseconds(0.99)
        p999Us = microseconds(0.999)
        maxUs = Double(report.latency.count == 0 ? 0 : report.latency.maximum) / 1000
        meanUs = (report.latency.mean ?? 0) / 1000
        requests = report.requests
        transactions = report.transactions
        errors = report.errorCount
        errorsByCode = report.errors
        self.connections = connections
        self.batch = batch
        self.loops = min(loops, connections)
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func textLines() -> [String] {
        let latency = [("p50", p50Us), ("p90", p90Us), ("p99", p99Us), ("p99.9", p999Us), ("max", maxUs)]
            .map { "\($0.0) \(Formatting.fixed($0.1, 1))" }.joined(separator: "  ")
        var lines = [
            "requests/s        \(Formatting.fixed(requestsPerSecond, 0))  (\(requests) requests)",
            "transactions/s    \(Formatting.fixed(transactionsPerSecond, 0))  (\(transactions) transactions)",
            "latency µs        \(latency)  mean \(Formatting.fixed(meanUs, 1))",
            "errors            \(errors)",
        ]
        for (code, count) in errorsByCode.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(code): \(count)")
        }
        return lines
    }
}
