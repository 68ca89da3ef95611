import Foundation
import SentinelMetrics

/// The result of one ScoreBatch request.
struct BatchOutcome: Sendable {
    var sent: Int
    var scored = 0
    var flagged = 0
    var errors: [String: Int] = [:]
    var firstErrors: [String] = []
    /// `nil` when the request failed.
    var latency: Duration?
}

/// Running totals of a replay.
struct ReplayTally {
    /// Error messages kept for stderr.
    static let exampleLimit = 5

    var sent = 0
    var scored = 0
    var flagged = 0
    var errors: [String: Int] = [:]
    var firstErrors: [String] = []
    var latency = LatencyHistogram()
    var elapsed: Duration = .zero

    var errorCount: Int { errors.values.reduce(0, +) }

    mutating func add(_ outcome: BatchOutcome) {
        sent += outcome.sent
        scored += outcome.scored
        flagged += outcome.flagged
        errors.merge(outcome.errors, uniquingKeysWith: +)
        for message in outcome.firstErrors where firstErrors.count < Self.exampleLimit {
            firstErrors.append(message)
        }
        if let latency = outcome.latency { self.latency.record(latency) }
    }
}
