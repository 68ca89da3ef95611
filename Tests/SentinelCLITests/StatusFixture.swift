import Foundation
import SentinelLock
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization

/// A fixed monitor snapshot for the `sentinel status` tests (hand-written test input, not a measurement).
enum StatusFixture {
    static let start: Int64 = 1_764_396_000_000_000  // 2025-11-29 06:00 UTC

    static var snapshot: MonitorSnapshotResponse {
        let drift = MonitorSnapshotResponse.DriftReport(
            features: [
                MonitorSnapshotResponse.FeatureDrift(
                    name: "V1", psi: 0.012, jsDistance: 0.03, ksStatistic: 0.02, wassersteinNormed: 0.01, status: .ok,
                    count: 900),
                MonitorSnapshotResponse.FeatureDrift(
                    name: "Amount", psi: 0.312, jsDistance: 0.21, ksStatistic: 0.18, wassersteinNormed: 0.2,
                    status: .alert, count: 900),
            ],
            score: MonitorSnapshotResponse.FeatureDrift(
                name: "score", psi: 0.05, jsDistance: 0.07, ksStatistic: 0.04, wassersteinNormed: 0.03, status: .ok,
                count: 900),
            driftShare: 0.5, status: .alert)
        let rates = MonitorSnapshotResponse.RateStats(
            events: 900, flagged: 9, flagRate: 0.01, flagRateLow: 0.0053, flagRateHigh: 0.0189, meanScore: 0.01,
            baseFlagRate: 0.004, baseFraudRate: 0.0017, confidence: 0.95, status: .warn)
        let latency = LatencySummary(
            count: 900, p50Nanoseconds: 150_000, p90Nanoseconds: 220_000, p99Nanoseconds: 480_000,
            p999Nanoseconds: 1_250_000, maxNanoseconds: 2_000_000, meanNanoseconds: 170_000)
        let model = MonitorSnapshotResponse.ModelSnapshot(
            modelVersion: "gbdt-7", referenceKnown: true, eventsTotal: 12_345, windowStartMicroseconds: start,
            drift: drift, windowRates: rates, sinceStartRates: rates, windowLatency: latency,
            sinceStartLatency: latency, throughputPerSecond: 15,
            windowState: MonitorSnapshotResponse.WindowState(
                closed: true, endMicroseconds: start + 60_000_000, openStartMicroseconds: start + 60_000_000,
                openEvents: 12))
        return MonitorSnapshotResponse(
            generatedAtMicroseconds: start + 60_000_000, startedAtMicroseconds: start - 7_200_000_000,
            eventsTotal: 12_345, windowLengthMicroseconds: 60_000_000, models: [model],
            alerts: [
                MonitorSnapshotResponse.Alert(
                    kind: .featureDrift, feature: "Amount", level: .alert, reason: "PSI 0.312 ≥ 0.25",
                    value: 0.312, threshold: 0.25, sinceMicroseconds: start, modelVersion: "gbdt-7"),
                MonitorSnapshotResponse.Alert(
                    kind: .flagRate, level: .warn, reason: "flag rate above its CI", value: 0.01, threshold: 0.004,
                    modelVersion: "gbdt-7"),
            ],
            producers: [
                MonitorSnapshotResponse.Producer(
                    producerId: "api-1", lastSequence: 12_347, events: 12_345, missing: 2,
                    gaps: [SequenceRange(first: 77, last: 78)])
            ])
    }
}

/// Serves `StatusFixture.snapshot` on the Snapshot method of a TCPServer on 127.0.0.1:0 and records the requests.
final class StatusMonitor: Sendable {
    let requests = Lock<[MonitorSnapshotRequest]>([])
    let snapshot: MonitorSnapshotResponse

    init(snapshot: MonitorSnapshotResponse = StatusFixture.snapshot) {
        self.snapshot = snapshot
    }

    func run<Result: Sendable>(_ body: (UInt16) async throws -> Result) async throws -> Result {
        var router = Router()
        router.registerRaw(.monitorSnapshot) { _, request, response in
            let decoded = try MonitorSnapshotRequest(serializedBytes: request)
            self.requests.withLock { $0.append(decoded) }
            response += self.snapshot.serializedBytes()
        }
        let server = try TCPServer(host: "127.0.0.1", port: 0, router: router, loopCount: 1)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                let result = try await body(server.address.port)
                server.beginGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                server.beginGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}
