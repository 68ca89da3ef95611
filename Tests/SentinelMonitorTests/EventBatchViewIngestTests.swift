import Foundation
import SentinelDrift
import SentinelLog
import SentinelMetrics
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Testing

@testable import SentinelMonitor

/// Ingesting a batch read in place (`MonitorState.ingest(_: EventBatch.View, at:)`, the RPC path) against
/// ingesting the decoded `EventBatch`: random runs of batches must leave equal states and answer equally.
@Suite("Event batch view ingestion")
struct EventBatchViewIngestTests {
    typealias F = MonitorFixtures
    typealias Generator = SplitMix64Generator

    /// Mostly valid events with every kind of trouble mixed in: duplicates, gaps, sequence 0, an unknown version,
    /// wrong feature counts, NaN features, out-of-range or NaN probabilities, unspecified decisions, empty ids.
    static func randomEvent(_ sequence: UInt64, _ generator: inout Generator) -> ScoringEvent {
        let roll = Int.random(in: 0..<400, using: &generator)
        let version = roll < 2 ? "v9" : (roll % 3 == 0 ? "v2" : "v1")
        var featureCount = version == "v2" ? 5 : 3
        if roll == 3 { featureCount += 1 }
        let features = (0..<featureCount).map { _ -> Double in
            Int.random(in: 0..<12, using: &generator) == 0 ? .nan : Double.random(in: -3...3, using: &generator)
        }
        var probability = Double.random(in: 0...1, using: &generator)
        if roll == 4 { probability = 1.5 }
        if roll == 5 { probability = .nan }
        return ScoringEvent(
            sequence: roll == 6 ? 0 : sequence,
            transactionId: roll % 17 == 0 ? "" : "tx-\(Int.random(in: 0..<3_000, using: &generator))",
            eventTimeMicroseconds: F.t0 + Int64.random(in: -200_000_000_000...200_000_000_000, using: &generator),
            scoredAtMicroseconds: F.t0, cardId: "card-\(Int.random(in: 0..<40, using: &generator))",
            terminalId: "term", amount: 1, features: features, fraudProbability: probability,
            decision: roll == 7 ? .unspecified : (probability >= 0.75 ? .flag : .pass), modelVersion: version,
            serverLatencyNanoseconds: UInt64.random(in: 1_000...5_000_000, using: &generator))
    }

    static func randomBatch(_ generator: inout Generator, next: inout [String: UInt64]) -> EventBatch {
        let producer = ["p1", "p2", "p3", ""][
            Int.random(in: 0..<(Int.random(in: 0..<50, using: &generator) == 0 ? 4 : 3), using: &generator)]
        var sequence = next[producer, default: 1]
        // Resends and jumps: duplicates and gaps.
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: sequence = max(1, sequence - UInt64.random(in: 1...40, using: &generator))
        case 1: sequence += UInt64.random(in: 1...30, using: &generator)
        default: break
        }
        let count = Int.random(in: 0..<10, using: &generator) == 0 ? 0 : Int.random(in: 1...60, using: &generator)
        var events: [ScoringEvent] = []
        for _ in 0..<count {
            events.append(randomEvent(sequence, &generator))
            sequence += Int.random(in: 0..<20, using: &generator) == 0 ? 2 : 1
        }
        next[producer] = max(next[producer, default: 1], sequence)
        return EventBatch(
            producerId: producer, events: events, sentAtMicroseconds: F.t0,
            droppedTotal: UInt64.random(in: 0...5, using: &generator))
    }

    /// Everything observable about a state, NaN-safe (encodings and descriptions).
    static func observable(_ state: MonitorState, at time: Int64) -> [String] {
        var parts = [
            "\(state.eventsTotal) \(state.duplicatesTotal) \(state.batchesTotal) \(state.labelsTotal)",
            "\(state.producers.sorted { $0.key < $1.key }.map { "\($0.value)" })",
            "\(state.labels.count) \(state.labels.pendingCount) \(state.labels.dailyMetrics())",
            "\(state.alerts.sorted { $0.key < $1.key }.map { "\($0.value)" })",
            "\(state.snapshot(MonitorSnapshotRequest(), at: time).serializedBytes())",
        ]
        for (version, model) in state.models.sorted(by: { $0.key < $1.key }) {
            parts.append(
                "\(version) \(model.eventsTotal) \(model.windows.current) \(model.windows.sinceStart) "
                    + "\(model.windows.history) \(model.windowLatency) \(model.closedLatency) "
                    + "\(model.latencyHistory) \(model.baselineSample.map { $0.map { $0.map(\.bitPattern) } } ?? [])"
                    + " \(state.labels.labelCounts(modelVersion: version))")
        }
        return parts
    }

    @Test("random runs leave equal states and answers on both paths", arguments: 0..<6)
    func randomRuns(seed: UInt64) throws {
        var generator = Generator(state: 77 + seed)
        let settings = {
            var settings = F.settings(history: 8, minimumCount: 20)
            settings.labelCapacity = 500
            settings.pendingLabelCapacity = 50
            settings.producerCapacity = 2 + Int(seed % 2)
            settings.sequenceRangeCapacity = 4
            return settings
        }()
        var old = MonitorState(settings: settings, startedAt: F.t0)
        var new = old
        for version in ["v1", "v2"] {
            let registration = F.registration(version, features: version == "v1" ? 3 : 5)
            _ = try old.register(registration, at: F.t0)
            _ = try new.register(registration, at: F.t0)
        }
        var time = F.t0
        var next: [String: UInt64] = [:]
        var outcomes = (accepted: 0, rejected: 0)
        for round in 0..<150 {
            time += Int64.random(in: 0...300_000, using: &generator)
            if round % 25 == 24 {
                let labels = ReportLabelsRequest(
                    labels: (0..<30).map { _ in
                        ReportLabelsRequest.Label(
                            transactionId: "tx-\(Int.random(in: 0..<3_000, using: &generator))",
                            label: Bool.random(using: &generator) ? .fraud : .genuine)
                    })
                #expect(try old.reportLabels(labels, at: time) == new.reportLabels(labels, at: time))
            }
            let bytes = Self.randomBatch(&generator, next: &next).serializedBytes()
            let oldResult = Result { () throws(MonitorError) in
                try old.ingest(try! EventBatch(serializedBytes: bytes), at: time)
            }
            let newResult = try EventBatch.withView(serializedBytes: bytes) { batch in
                Result { () throws(MonitorError) in try new.ingest(batch, at: time) }
            }
            switch (oldResult, newResult) {
            case (.success(let a), .success(let b)):
                #expect(a.ack == b.ack, "round \(round)")
                #expect("\(a.transitions)" == "\(b.transitions)", "round \(round)")
                outcomes.accepted += 1
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "round \(round)")
                outcomes.rejected += 1
            default:
                Issue.record("round \(round): \(oldResult) vs \(newResult)")
            }
            if round % 30 == 29 || round == 149 {
                #expect(Self.observable(old, at: time) == Self.observable(new, at: time), "round \(round)")
            }
        }
        // The run must have exercised both outcomes to mean anything.
        #expect(outcomes.accepted > 20 && outcomes.rejected > 5, "\(outcomes)")
        #expect(new.eventsTotal > 1_000 && new.duplicatesTotal > 0)
    }

    @Test("validate(_:) of a batch view throws what validate(_:) of the decoded one throws")
    func validateAlike() throws {
        var state = MonitorState(settings: F.settings(), startedAt: F.t0)
        _ = try state.register(F.registration(), at: F.t0)
        var batches = [F.batch("p1", 1...3), F.batch("", 1...3), F.batch("p1", 1...3, version: "nope")]
        var wrongShape = F.batch("p1", 1...3)
        wrongShape.events[1].features.append(0)
        batches.append(wrongShape)
        for batch in batches {
            let bytes = batch.serializedBytes()
            let old = Result { () throws(MonitorError) in try state.validate(batch) }
            let new = try EventBatch.withView(serializedBytes: bytes) { view in
                Result { () throws(MonitorError) in try state.validate(view) }
            }
            #expect("\(old)" == "\(new)")
        }
    }

    @Test("MonitorService.ingest(encoded:) answers and persists as ingest(_:) does")
    func serviceEncoded() async throws {
        let directories = (0..<2).map { _ in NSTemporaryDirectory() + "view-ingest-\(UUID().uuidString)" }
        defer { for directory in directories { try? FileManager.default.removeItem(atPath: directory) } }
        var acks: [[IngestAck]] = []
        var reopened: [[String]] = []
        for (path, directory) in directories.enumerated() {
            let clock = TestClock()
            let service = try MonitorService.open(
                settings: F.settings(), stateDirectory: directory, logger: JSONLog { _ in }, clock: clock.function)
            _ = try await service.register(F.registration())
            var answers: [IngestAck] = []
            for range in [1...40, 30...70, 90...100] as [ClosedRange<UInt64>] {
                let batch = F.batch("p1", range)
                answers.append(
                    path == 0
                        ? try await service.ingest(batch) : try await service.ingest(encoded: batch.serializedBytes()))
                clock.advance(microseconds: 400_000)
            }
            // A rejected batch counts as rejected on both paths; undecodable bytes are a SchemaError, not counted.
            let bad = F.batch("p1", 101...101, version: "unknown")
            await #expect(throws: MonitorError.self) {
                if path == 0 {
                    _ = try await service.ingest(bad)
                } else {
                    _ = try await service.ingest(encoded: bad.serializedBytes())
                }
            }
            if path == 1 {
                await #expect(throws: SchemaError.self) { _ = try await service.ingest(encoded: [0xFF]) }
            }
            #expect(service.metrics.rejected.value == 1)
            acks.append(answers)
            await service.close()
            let again = try MonitorService.open(
                settings: F.settings(), stateDirectory: directory, logger: JSONLog { _ in }, clock: clock.function)
            reopened.append(Self.observable(again.currentState, at: clock.time))
            await again.close()
        }
        #expect(acks[0] == acks[1])
        #expect(reopened[0] == reopened[1])
        #expect(acks[1].map(\.accepted) == [40, 30, 11])
    }

    @Test("IngestEvents over RPC: a malformed payload is INVALID_ARGUMENT naming EventBatch, and changes nothing")
    func rpcMalformed() async throws {
        let service = try MonitorService.open(settings: F.settings(), logger: JSONLog { _ in })
        var router = Router()
        service.register(on: &router)
        _ = try await service.register(F.registration())
        let transport = InMemoryTransport(router: router)
        do {
            _ = try await transport.call(.monitorIngestEvents, payload: [0x0A, 0x01, 0xFF], timeout: .seconds(10))
            Issue.record("a producer id that is not UTF-8 was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("malformed sentinel.v1.EventBatch"), "\(error.message)")
        }
        #expect(service.metrics.rejected.value == 0)
        #expect(service.currentState.batchesTotal == 0)
        let reply = try await transport.call(
            .monitorIngestEvents, payload: F.batch("p1", 1...10).serializedBytes(), timeout: .seconds(10))
        #expect(try IngestAck(serializedBytes: reply).accepted == 10)
        do {
            _ = try await transport.call(
                .monitorIngestEvents, payload: F.batch("p1", 11...12, version: "v7").serializedBytes(),
                timeout: .seconds(10))
            Issue.record("an unregistered version was accepted")
        } catch {
            #expect(error.code == .failedPrecondition)
        }
        #expect(service.metrics.rejected.value == 1)
        #expect(service.currentState.eventsTotal == 10)
    }

    @Test("IngestEvents and RegisterModel of a million empty items are RESOURCE_EXHAUSTED before they cost memory")
    func rpcTooLargeToUnpack() async throws {
        let service = try MonitorService.open(settings: F.settings(), logger: JSONLog { _ in })
        var router = Router()
        service.register(on: &router)
        let transport = InMemoryTransport(router: router)
        let emptyEvents = [UInt8]((0..<1_000_000).flatMap { _ in [UInt8(2 << 3 | 2), 0] })
        do {
            _ = try await transport.call(.monitorIngestEvents, payload: emptyEvents, timeout: .seconds(10))
            Issue.record("a million empty events were unpacked")
        } catch {
            #expect(error.code == .resourceExhausted)
            #expect(error.message.contains("sentinel.v1.EventBatch: unpacking 2000000 bytes"), "\(error.message)")
        }
        // RegisterModelRequest.reference holding a million empty feature profiles.
        let profiles = [UInt8]((0..<1_000_000).flatMap { _ in [UInt8(1 << 3 | 2), 0] })
        var register: [UInt8] = [2 << 3 | 2]
        var length = profiles.count
        while length >= 0x80 {
            register.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        register.append(UInt8(length))
        do {
            _ = try await transport.call(.monitorRegisterModel, payload: register + profiles, timeout: .seconds(10))
            Issue.record("a million empty profiles were unpacked")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
        #expect(service.currentState.models.isEmpty)
    }
}
