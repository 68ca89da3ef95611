// Monitor benchmarks (run through benchmarks/monitor.sh, -c release).
//
//   monitor-bench inprocess [EVENTS]
//       1. events applied per second by MonitorState.ingest (validation, sequence tracking, 30 features × 20 bins +
//          score into the window, latency, label book), batches of 500, no I/O; then the same from the encoded
//          batches, decode included: EventBatch(serializedBytes:) then ingest (the path before the in-place view),
//          and EventBatch.withView then ingest read in place (the RPC path);
//       2. the same through MonitorService.ingest with a durable state dir (log written and fsynced before each
//          acknowledgement, group commit), 8 concurrent callers;
//       3. the drift report: DriftWindows.currentReport() for 30 features × 20 bins + score, and the whole
//          Snapshot answer (MonitorState.snapshot).
//   monitor-bench produce HOST:PORT PRODUCERS EVENTS_PER_PRODUCER [BATCH] [IN_FLIGHT]
//       registers the same synthetic model and sends EventBatch over TCPClient (IngestEvents) from PRODUCERS
//       concurrent producers, each with its own connection and IN_FLIGHT batches outstanding; checks that every
//       event was acknowledged as accepted exactly once, and prints events/s.
//
// Every line of results starts with "result " followed by key=value pairs, for the script to collect.

import Foundation
import Glibc
import SentinelDrift
import SentinelLog
import SentinelMonitor
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

let featureCount = 30
let binCount = 20
let batchSize = 500
let modelVersion = "bench-v1"

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// CPU seconds used by the whole process: on a loaded machine, wall time also counts other processes' turns.
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

func microsecondsNow() -> Int64 {
    Int64(Date().timeIntervalSince1970 * 1_000_000)
}

/// The synthetic model: 30 features of three shapes, 20 quantile bins each, and a score profile.
struct Workload {
    var reference: ReferenceProfile
    /// Pre-built batches (events without sequence numbers), cycled by the senders.
    var batches: [[ScoringEvent]]

    init(batchCount: Int = 64) {
        var generator = SplitMix64(seed: 2026)
        let referenceRows = 50_000
        var columns: [[Double]] = []
        for feature in 0..<featureCount {
            columns.append(
                (0..<referenceRows).map { _ in
                    let u = generator.nextUnitInterval()
                    switch feature % 3 {
                    case 0: return u * 100
                    case 1: return -log(max(u, 1e-300)) * 10
                    default: return (u - 0.5) * (u - 0.5) * Double(feature)
                    }
                })
        }
        let profiles = columns.enumerated().map {
            FeatureProfile(name: "f\($0.offset)", values: $0.element, bins: binCount)
        }
        let scores = (0..<referenceRows).map { _ in generator.nextUnitInterval() * generator.nextUnitInterval() }
        reference = ReferenceProfile(
            features: profiles, score: FeatureProfile(name: "score", values: scores, bins: binCount),
            baseFraudRate: 0.002, baseFlagRate: 0.01)
        batches = (0..<batchCount).map { batch in
            (0..<batchSize).map { index in
                let row = (0..<featureCount).map { columns[$0][Int(generator.next() % UInt64(referenceRows))] * 1.05 }
                let score = generator.nextUnitInterval() * generator.nextUnitInterval()
                return ScoringEvent(
                    transactionId: "t\(batch * batchSize + index)", eventTimeMicroseconds: 1_530_000_000_000_000,
                    scoredAtMicroseconds: 1_530_000_000_000_000, cardId: "c\(index % 97)", terminalId: "x",
                    amount: row[0], features: row, fraudProbability: score, decision: score > 0.5 ? .flag : .pass,
                    modelVersion: modelVersion, serverLatencyNanoseconds: 200_000 + generator.next() % 800_000)
            }
        }
    }

    var registration: RegisterModelRequest {
        func wire(_ profile: FeatureProfile) -> RegisterModelRequest.FeatureProfile {
            RegisterModelRequest.FeatureProfile(
                name: profile.name, edges: profile.edges, proportions: profile.proportions,
                count: UInt64(profile.count), mean: profile.mean, standardDeviation: profile.standardDeviation,
                minimum: profile.minimum, maximum: profile.maximum, missingFraction: profile.missingFraction)
        }
        return RegisterModelRequest(
            modelVersion: modelVersion,
            reference: RegisterModelRequest.ReferenceProfile(
                features: reference.features.map(wire), score: wire(reference.score),
                baseFraudRate: reference.baseFraudRate, baseFlagRate: reference.baseFlagRate),
            threshold: 0.5, learner: "benchmark")
    }

    /// Batch `number` of a producer: the pooled events with sequence numbers number·500 + 1 …
    func batch(_ number: Int, producer: String) -> EventBatch {
        var events = batches[number % batches.count]
        for index in events.indices { events[index].sequence = UInt64(number * batchSize + index + 1) }
        return EventBatch(producerId: producer, events: events, sentAtMicroseconds: microsecondsNow())
    }
}

func inProcess(events: Int) async throws {
    let workload = Workload()
    let batches = max(1, events / batchSize)
    let prepared = (0..<batches).map { workload.batch($0, producer: "p") }
    let total = batches * batchSize

    // 1. MonitorState alone.
    var best = Double.infinity
    var bestCPU = Double.infinity
    var state = MonitorState(settings: MonitorSettings(), startedAt: microsecondsNow())
    for round in 0..<3 {
        state = MonitorState(settings: MonitorSettings(), startedAt: microsecondsNow())
        _ = try state.register(workload.registration, at: microsecondsNow())
        let time = microsecondsNow()
        let clock = ContinuousClock()
        let start = clock.now
        let startCPU = processCPUSeconds()
        for batch in prepared { _ = try state.ingest(batch, at: time) }
        best = min(best, seconds(clock.now - start))
        bestCPU = min(bestCPU, processCPUSeconds() - startCPU)
        precondition(state.eventsTotal == UInt64(total), "round \(round): \(state.eventsTotal) of \(total) counted")
    }
    print(
        String(
            format: "result kind=inprocess-state events=%d seconds=%.4f rate=%.0f cpu_seconds=%.4f cpu_rate=%.0f",
            total, best, Double(total) / best, bestCPU, Double(total) / bestCPU))

    // 1b. From the encoded batches, decode included: copied out into [ScoringEvent], or read in place.
    let encoded = prepared.map { $0.serializedBytes() }
    for inPlace in [false, true] {
        var decodeBest = Double.infinity
        var decodeBestCPU = Double.infinity
        for round in 0..<3 {
            var decodeState = MonitorState(settings: MonitorSettings(), startedAt: microsecondsNow())
            _ = try decodeState.register(workload.registration, at: microsecondsNow())
            let time = microsecondsNow()
            let clock = ContinuousClock()
            let start = clock.now
            let startCPU = processCPUSeconds()
            for bytes in encoded {
                if inPlace {
                    _ = try EventBatch.withView(serializedBytes: bytes) { try decodeState.ingest($0, at: time) }
                } else {
                    _ = try decodeState.ingest(try EventBatch(serializedBytes: bytes), at: time)
                }
            }
            decodeBest = min(decodeBest, seconds(clock.now - start))
            decodeBestCPU = min(decodeBestCPU, processCPUSeconds() - startCPU)
            precondition(decodeState.eventsTotal == UInt64(total), "round \(round): events lost")
        }
        print(
            String(
                format: "result kind=inprocess-decode path=%@ events=%d seconds=%.4f rate=%.0f cpu_seconds=%.4f "
                    + "cpu_us_per_event=%.3f", inPlace ? "view" : "copied", total, decodeBest,
                Double(total) / decodeBest, decodeBestCPU, decodeBestCPU / Double(total) * 1e6))
    }

    // 2. MonitorService with a durable state dir, 8 concurrent callers.
    let directory = NSTemporaryDirectory() + "monitor-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let service = try MonitorService.open(
        settings: MonitorSettings(), stateDirectory: directory, logger: JSONLog { _ in })
    _ = try await service.register(workload.registration)
    let callers = 8
    let clock = ContinuousClock()
    let start = clock.now
    let startCPU = processCPUSeconds()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<callers {
            group.addTask {
                for number in stride(from: caller, to: batches, by: callers) {
                    let batch = prepared[number]
                    _ = try await service.ingest(batch)
                }
            }
        }
        try await group.waitForAll()
    }
    let durable = seconds(clock.now - start)
    let durableCPU = processCPUSeconds() - startCPU
    precondition(service.currentState.eventsTotal == UInt64(total), "durable path lost events")
    await service.close()
    print(
        String(
            format: "result kind=inprocess-durable events=%d seconds=%.4f rate=%.0f cpu_seconds=%.4f callers=%d",
            total, durable, Double(total) / durable, durableCPU, callers))

    // 3. The drift report on the state filled above (30 features × 20 bins + score).
    guard let tracker = state.models[modelVersion] else { fatalError("model not registered") }
    let reports = 2_000
    var reportBest = Double.infinity
    var checksum = 0
    for _ in 0..<5 {
        let start = clock.now
        for _ in 0..<reports { checksum &+= tracker.windows.currentReport().features.count }
        reportBest = min(reportBest, seconds(clock.now - start) / Double(reports))
    }
    var snapshotBest = Double.infinity
    for _ in 0..<5 {
        let start = clock.now
        for _ in 0..<200 {
            checksum &+= state.snapshot(MonitorSnapshotRequest(), at: microsecondsNow()).models.count
        }
        snapshotBest = min(snapshotBest, seconds(clock.now - start) / 200)
    }
    // 4. The dashboard's answer once the window closed: the Snapshot with every column's reference and live
    //    histograms and 60 windows of history, then that snapshot as the /api/snapshot JSON.
    _ = state.advance(to: microsecondsNow() + 120_000_000)
    var closedBest = Double.infinity
    var jsonBest = Double.infinity
    var jsonBytes = 0
    for _ in 0..<5 {
        var start = clock.now
        var snapshot = MonitorSnapshotResponse()
        for _ in 0..<200 {
            snapshot = state.snapshot(MonitorSnapshotRequest(historyWindows: 60), at: microsecondsNow())
        }
        closedBest = min(closedBest, seconds(clock.now - start) / 200)
        start = clock.now
        for _ in 0..<200 { jsonBytes = SnapshotJSON.render(snapshot).utf8.count }
        jsonBest = min(jsonBest, seconds(clock.now - start) / 200)
        precondition(snapshot.models.first?.distributions.count == featureCount + 1, "histograms missing")
    }
    print(
        String(
            format: "result kind=report features=%d bins=%d report_us=%.2f snapshot_us=%.2f checksum=%d",
            featureCount, binCount, reportBest * 1e6, snapshotBest * 1e6, checksum % 10))
    print(
        String(
            format: "result kind=dashboard features=%d bins=%d snapshot_us=%.2f json_us=%.2f json_bytes=%d",
            featureCount, binCount, closedBest * 1e6, jsonBest * 1e6, jsonBytes))
}

func produce(address: SocketAddress, producers: Int, eventsPerProducer: Int, batch: Int, inFlight: Int) async throws {
    precondition(batch == batchSize, "batches are pre-built with \(batchSize) events")
    let workload = Workload()
    let registration = workload.registration.serializedBytes()
    try await TCPClient.withClient(address: address) { client in
        _ = try await client.call(.monitorRegisterModel, payload: registration, timeout: .seconds(30))
    }
    let batches = max(1, eventsPerProducer / batchSize)
    let run = UUID().uuidString.prefix(8)
    let clock = ContinuousClock()
    let start = clock.now
    let startCPU = processCPUSeconds()
    let accepted = try await withThrowingTaskGroup(of: UInt64.self) { group in
        for producer in 0..<producers {
            group.addTask {
                let id = "bench-\(run)-\(producer)"
                return try await TCPClient.withClient(address: address) { client in
                    try await withThrowingTaskGroup(of: UInt64.self) { calls in
                        var accepted: UInt64 = 0
                        var next = 0
                        func send(_ number: Int) {
                            let payload = workload.batch(number, producer: id).serializedBytes()
                            calls.addTask {
                                let reply = try await client.call(
                                    .monitorIngestEvents, payload: payload, timeout: .seconds(60))
                                return try IngestAck(serializedBytes: reply).accepted
                            }
                        }
                        while next < min(inFlight, batches) {
                            send(next)
                            next += 1
                        }
                        while let count = try await calls.next() {
                            accepted += count
                            if next < batches {
                                send(next)
                                next += 1
                            }
                        }
                        return accepted
                    }
                }
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = seconds(clock.now - start)
    let producerCPU = processCPUSeconds() - startCPU
    let total = producers * batches * batchSize
    guard accepted == UInt64(total) else {
        print("error: \(accepted) events accepted of \(total) sent")
        exit(1)
    }
    print(
        String(
            format:
                "result kind=e2e producers=%d events=%d seconds=%.4f rate=%.0f producer_cpu_seconds=%.4f batch=%d "
                + "in_flight=%d", producers, total, elapsed, Double(total) / elapsed, producerCPU, batchSize, inFlight))
}

let arguments = CommandLine.arguments
switch arguments.dropFirst().first {
case "inprocess":
    try await inProcess(events: arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000)
case "produce" where arguments.count >= 5:
    guard let address = SocketAddress(parsing: arguments[2]), let producers = Int(arguments[3]),
        let events = Int(arguments[4])
    else {
        print("error: bad arguments: \(arguments.dropFirst().joined(separator: " "))")
        exit(64)
    }
    let batch = arguments.count > 5 ? Int(arguments[5]) ?? batchSize : batchSize
    let inFlight = arguments.count > 6 ? Int(arguments[6]) ?? 4 : 4
    try await produce(
        address: address, producers: producers, eventsPerProducer: events, batch: batch, inFlight: inFlight)
default:
    print("usage: monitor-bench inprocess [EVENTS] | produce HOST:PORT PRODUCERS EVENTS_PER_PRODUCER [500] [IN_FLIGHT]")
    exit(64)
}
