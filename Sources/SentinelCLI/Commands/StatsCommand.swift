import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel stats --api HOST:PORT`: the scoring service's counters since it started (the Stats RPC).
enum StatsCommand {
    static let command = Command(
        words: ["stats"],
        summary: "show the scoring API's counters: requests, scored and flagged, errors, latency, event delivery",
        usage: "sentinel stats --api HOST:PORT [--json] [--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.api.help(width: 22))
              --json              one JSON object: requests, transactions, flagged, errors_by_code, uptime_seconds,
                                  model_version, latency_us {count, p50, p90, p99, p999, max, mean}, reloads,
                                  failed_reloads, events {sent, acknowledged, spooled, replayed, dropped, queued,
                                  spool_bytes, last_sequence}
            """
    ) { arguments, console in
        let endpoint = try ConnectionOptions(parsing: &arguments, .api)
        let json = arguments.flag("--json")
        try arguments.finish()
        let stats = try await TCPClient.withClient(address: endpoint.address, configuration: endpoint.client) {
            client in
            let reply = try await ServiceKind.api.call(
                client, .scoringStats, payload: StatsRequest().serializedBytes(), timeout: endpoint.timeout)
            do {
                return try StatsResponse(serializedBytes: reply)
            } catch {
                throw ScoringClientError(.malformedReply, "malformed StatsResponse from the service: \(error)")
            }
        }
        let summary = StatsSummary(stats)
        if json {
            console.print(try summary.jsonText())
        } else {
            for line in summary.textLines(api: endpoint.address.description) { console.print(line) }
        }
        return ExitCode.success
    }
}

/// The `stats` report, as text or `--json`.
struct StatsSummary: Encodable {
    struct Latency: Encodable {
        var count: UInt64
        var p50: Double
        var p90: Double
        var p99: Double
        var p999: Double
        var max: Double
        var mean: Double
    }

    struct Events: Encodable {
        var sent: UInt64
        var acknowledged: UInt64
        var spooled: UInt64
        var replayed: UInt64
        var dropped: UInt64
        var queued: UInt64
        var spoolBytes: UInt64
        var lastSequence: UInt64
    }

    var requests: UInt64
    var transactions: UInt64
    var flagged: UInt64
    var errorsByCode: [String: UInt64]
    var uptimeSeconds: Double
    var modelVersion: String
    var latencyUs: Latency
    var reloads: UInt64
    var failedReloads: UInt64
    var events: Events

    init(_ stats: StatsResponse) {
        requests = stats.requests
        transactions = stats.transactions
        flagged = stats.flagged
        errorsByCode = Dictionary(
            stats.errors.map { (ScoreReplies.statusName($0.statusCode), $0.count) }, uniquingKeysWith: +)
        uptimeSeconds = Double(stats.uptimeMicroseconds) / 1e6
        modelVersion = stats.modelVersion
        let latency = stats.latency
        latencyUs = Latency(
            count: latency.count, p50: Double(latency.p50Nanoseconds) / 1000,
            p90: Double(latency.p90Nanoseconds) / 1000,
            p99: Double(latency.p99Nanoseconds) / 1000, p999: Double(latency.p999Nanoseconds) / 1000,
            max: Double(latency.maxNanoseconds) / 1000, mean: latency.meanNanoseconds / 1000)
        reloads = stats.reloads
        failedReloads = stats.failedReloads
        let delivery = stats.events
        events = Events(
            sent: delivery.sent, acknowledged: delivery.acknowledged, spooled: delivery.spooled,
            replayed: delivery.replayed, dropped: delivery.dropped, queued: delivery.queued,
            spoolBytes: delivery.spoolBytes, lastSequence: delivery.lastSequence)
    }

    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func textLines(api: String) -> [String] {
        let share = transactions > 0 ? Formatting.percent(Double(flagged) / Double(transactions)) : "–"
        let errors =
            errorsByCode.isEmpty
            ? "none" : errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var lines = [
            "scoring API \(api) · model \(modelVersion) · up \(Formatting.fixed(uptimeSeconds, 0)) s",
            "requests      \(requests)",
            "transactions  \(transactions) scored, \(flagged) flagged (\(share))",
            "errors        \(errors)",
        ]
        if latencyUs.count > 0 {
            lines.append(
                "latency µs    p50 \(Formatting.fixed(latencyUs.p50, 1))  p90 \(Formatting.fixed(latencyUs.p90, 1))  "
                    + "p99 \(Formatting.fixed(latencyUs.p99, 1))  p99.9 \(Formatting.fixed(latencyUs.p999, 1))  "
                    + "max \(Formatting.fixed(latencyUs.max, 1))  (server-side, \(latencyUs.count) requests)")
        } else {
            lines.append("latency µs    nothing scored yet")
        }
        lines.append("model reloads \(reloads) (\(failedReloads) failed)")
        lines.append(
            "events        \(events.sent) sent to the monitor, \(events.acknowledged) acknowledged, \(events.queued) "
                + "queued, \(events.spooled) spooled (\(events.spoolBytes) bytes), \(events.replayed) replayed, "
                + "\(events.dropped) dropped")
        return lines
    }
}
