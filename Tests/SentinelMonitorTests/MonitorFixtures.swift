import Foundation
import SentinelDrift
import SentinelLock
import SentinelLog
import SentinelMonitor
import SentinelSchema
import Synchronization

/// Shared test data for the monitor: a small reference, events, batches, a settable clock.
enum MonitorFixtures {
    /// A 1-second window start (aligned), in microseconds.
    static let t0: Int64 = 1_700_000_000_000_000

    /// Values that fall evenly into the four reference bins of every feature.
    static let inDistribution: [Double] = [-1.5, -0.5, 0.5, 1.5]

    static func profile(_ name: String) -> RegisterModelRequest.FeatureProfile {
        RegisterModelRequest.FeatureProfile(
            name: name, edges: [-1, 0, 1], proportions: [0.25, 0.25, 0.25, 0.25], count: 1_000, mean: 0,
            standardDeviation: 1, minimum: -3, maximum: 3, missingFraction: 0)
    }

    /// A registration of `version` with three features a, b, c.
    static func registration(_ version: String = "v1", features: Int = 3) -> RegisterModelRequest {
        let score = RegisterModelRequest.FeatureProfile(
            name: "score", edges: [0.25, 0.5, 0.75], proportions: [0.25, 0.25, 0.25, 0.25], count: 1_000,
            mean: 0.5, standardDeviation: 0.29, minimum: 0, maximum: 1, missingFraction: 0)
        return RegisterModelRequest(
            modelVersion: version,
            reference: RegisterModelRequest.ReferenceProfile(
                features: (0..<features).map { profile(["a", "b", "c", "d", "e"][$0 % 5] + "\($0)") }, score: score,
                baseFraudRate: 0.01, baseFlagRate: 0.25),
            threshold: 0.75, learner: "logistic", producerId: "test")
    }

    /// An in-distribution event (or drifted: every feature at 2.5, the top bin).
    static func event(
        _ sequence: UInt64, version: String = "v1", drifted: Bool = false, features: Int = 3,
        transaction: String? = nil, card: String = "card", eventTime: Int64 = t0, score: Double? = nil
    ) -> ScoringEvent {
        let value = drifted ? 2.5 : inDistribution[Int(sequence % 4)]
        let probability = score ?? [0.1, 0.3, 0.6, 0.9][Int(sequence % 4)]
        return ScoringEvent(
            sequence: sequence, transactionId: transaction ?? "tx-\(sequence)", eventTimeMicroseconds: eventTime,
            scoredAtMicroseconds: eventTime, cardId: card, terminalId: "term", amount: 10,
            features: [Double](repeating: value, count: features), fraudProbability: probability,
            decision: probability >= 0.75 ? .flag : .pass, modelVersion: version,
            serverLatencyNanoseconds: 50_000 + sequence % 100 * 1_000)
    }

    /// A batch of events with the given sequence numbers.
    static func batch(
        _ producer: String, _ sequences: some Sequence<UInt64>, version: String = "v1", drifted: Bool = false
    ) -> EventBatch {
        EventBatch(
            producerId: producer, events: sequences.map { event($0, version: version, drifted: drifted) },
            sentAtMicroseconds: t0, droppedTotal: 0)
    }

    /// Settings with 1-second windows, small evidence minimum and the given history.
    static func settings(history: Int = 60, minimumCount: Int = 10) -> MonitorSettings {
        var settings = MonitorSettings()
        settings.windows.windowMilliseconds = 1_000
        settings.windows.historyCount = history
        settings.windows.thresholds.minimumCount = minimumCount
        return settings
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now: Lock<Int64>

    init(_ start: Int64 = MonitorFixtures.t0) {
        now = Lock(start)
    }

    var time: Int64 { now.withLock { $0 } }

    func advance(microseconds: Int64) {
        now.withLock { $0 += microseconds }
    }

    var function: @Sendable () -> Int64 { { self.time } }
}

/// Collects log lines.
final class LogLines: Sendable {
    private let lines = Lock<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: JSONLog {
        JSONLog { line in self.lines.withLock { $0.append(line) } }
    }

    func matching(_ text: String) -> [String] { all.filter { $0.contains(text) } }
}
