import Foundation
import SentinelArguments
import SentinelLock
import SentinelLog
import SentinelMonitor
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization
import Testing

@testable import SentinelScoring

/// A receiver that holds the replies to the first `held` IngestEvents requests until all of them have arrived (with
/// `untilReleased`, until `release()` is called), then answers them last first; later requests are answered at
/// once.
final class HoldingReceiver: Sendable {
    struct State {
        /// Batches in arrival order, as their sequence numbers.
        var batches: [[UInt64]] = []
        /// The arrival index of each reply, in the order the replies were sent.
        var replyOrder: [Int] = []
        /// The most requests waiting for their reply at the same time.
        var mostWaiting = 0
        var waiting = 0
        /// While held requests are being answered: the arrival index whose turn it is.
        var turn: Int?
        var released = false
        var distinct: Set<UInt64> = []
        var duplicates = 0
    }

    let held: Int
    let untilReleased: Bool
    let state = Lock(State())

    init(held: Int, untilReleased: Bool = false) {
        self.held = held
        self.untilReleased = untilReleased
    }

    /// Lets the held requests be answered (last first) even when fewer than `held` arrived.
    func release() {
        state.withLock { state in
            state.released = true
            if state.turn == nil { state.turn = state.waiting - 1 }
        }
    }

    var router: Router {
        var router = Router()
        router.registerRawAsync(.monitorIngestEvents) { [self] _, request in
            let batch = try EventBatch(serializedBytes: request)
            let sequences = batch.events.map(\.sequence)
            let index = state.withLock { state -> Int in
                state.batches.append(sequences)
                for sequence in sequences where !state.distinct.insert(sequence).inserted { state.duplicates += 1 }
                return state.batches.count - 1
            }
            if index < held {
                state.withLock { state in
                    state.waiting += 1
                    state.mostWaiting = max(state.mostWaiting, state.waiting)
                    if state.waiting == held && !untilReleased { state.turn = held - 1 }
                }
                // Polls (cancellable) until this request's turn; the test bounds the whole run.
                while state.withLock({ $0.turn.map { $0 > index } ?? true }) {
                    try await Task.sleep(for: .milliseconds(1))
                }
                state.withLock { state in
                    state.waiting -= 1
                    state.replyOrder.append(index)
                    state.turn = index - 1
                }
            }
            return IngestAck(
                acknowledgedThrough: sequences.last ?? 0, accepted: UInt64(sequences.count)
            ).serializedBytes()
        }
        return router
    }
}

/// The real monitor service, in process, behind a TCP server.
struct InProcessMonitor {
    let service: MonitorService
    let server: TCPServer
    let task: Task<Void, any Error>

    /// Starts a server for `service`; with `hanging`, IngestEvents requests are applied (durably, as the monitor
    /// does) but never answered: a monitor that dies with those batches in flight.
    static func start(_ service: MonitorService, port: UInt16, hanging: Bool = false) throws -> InProcessMonitor {
        var router = Router()
        service.register(on: &router)
        if hanging {
            var hanging = Router()
            hanging.registerRawAsync(.monitorRegisterModel) { _, request in
                try await service.register(RegisterModelRequest(serializedBytes: request)).serializedBytes()
            }
            hanging.registerRawAsync(.monitorIngestEvents) { _, request in
                _ = try await service.ingest(EventBatch(serializedBytes: request), encoded: request)
                while true { try await Task.sleep(for: .milliseconds(5)) }
            }
            router = hanging
        }
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(200)
        let server = try TCPServer(
            host: "127.0.0.1", port: port, router: router, configuration: configuration, loopCount: 1)
        return InProcessMonitor(service: service, server: server, task: Task { try await server.run() })
    }

    static func openService() throws -> MonitorService {
        try MonitorService.open(settings: MonitorSettings(), logger: JSONLog { _ in })
    }

    func stop() async throws {
        server.beginGracefulShutdown()
        try await task.value
    }

    /// (events counted once, duplicates, missing sequence numbers) for `producer`.
    func counts(_ producer: String) -> (events: UInt64, duplicates: UInt64, missing: UInt64) {
        guard let state = service.currentState.producers[producer] else { return (0, 0, 0) }
        return (state.events, state.duplicates, state.sequences.missing)
    }
}

@Suite("Event reporter: pipelined delivery", .serialized)
struct ReporterPipeliningTests {
    @Test("Several batches in flight, acknowledged last first: each batch sent once, nothing spooled")
    func outOfOrderAcknowledgements() async throws {
        let receiver = HoldingReceiver(held: 4)
        let port = try ReporterFixtures.freePort()
        let monitor = try RunningReceiverServer.start(receiver.router, port: port)
        var configuration = ReporterFixtures.configuration(port: port, directory: ReporterFixtures.temporaryDirectory())
        configuration.maximumInFlight = 4
        configuration.maximumRequestBytes = 1_024  // one batch per request
        configuration.pendingCapacityBytes = 8 << 20
        configuration.callTimeout = .seconds(60)  // held replies must not time out on a loaded machine
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        // Recorded before the reporter runs: 20 batches are ready at once, so the first 4 go out together.
        for index in 1...2_000 { reporter.record(ReporterFixtures.event(index)) }
        let running = RunningReporter.start(reporter)
        let delivered = await eventually { reporter.statistics.acknowledged == 2_000 }
        receiver.release()  // only matters when the test is failing: never leave a handler waiting
        #expect(delivered)
        await running.stop()
        try await monitor.stop()

        let state = receiver.state.withLock { $0 }
        #expect(state.mostWaiting == 4, "four requests were in flight at once")
        #expect(state.replyOrder == [3, 2, 1, 0], "the held requests were acknowledged last first")
        #expect(state.batches.count == 20 && state.duplicates == 0, "no batch was sent twice")
        #expect(state.batches.flatMap { $0 } == Array(1...2_000), "requests left in sequence order")
        let stats = reporter.statistics
        #expect(stats.sent == 2_000 && stats.acknowledged == 2_000)
        #expect(stats.spooled == 0 && stats.dropped == 0 && stats.queued == 0)
    }

    @Test("Monitor gone with batches in flight: every batch is sent again, the monitor counts each event once")
    func disconnectWithBatchesInFlight() async throws {
        let artifact = try ReporterFixtures.artifact()
        let service = try InProcessMonitor.openService()
        let port = try ReporterFixtures.freePort()
        var monitor = try InProcessMonitor.start(service, port: port, hanging: true)
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = ReporterFixtures.configuration(port: port, directory: directory)
        configuration.maximumInFlight = 4
        configuration.maximumRequestBytes = 1_024
        configuration.pendingCapacityBytes = 8 << 20
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        reporter.registerModel(version: "m1", artifact: artifact)
        for index in 1...1_000 { reporter.record(ReporterFixtures.event(index, featureCount: 2)) }
        let running = RunningReporter.start(reporter)
        // Four requests applied but unanswered: the monitor stops before it acknowledges them.
        #expect(await eventually { monitor.counts("test-producer").events == 400 })
        #expect(reporter.statistics.acknowledged == 0)
        try await monitor.stop()
        #expect(await eventually { reporter.statistics.lastError != nil && !reporter.statistics.monitorReachable })
        for index in 1_001...1_500 { reporter.record(ReporterFixtures.event(index, featureCount: 2)) }
        monitor = try InProcessMonitor.start(service, port: port)
        #expect(await eventually { reporter.statistics.acknowledged >= 1_500 })
        await running.stop()
        try await monitor.stop()

        let counts = monitor.counts("test-producer")
        #expect(counts.events == 1_500, "each event counted exactly once")
        #expect(counts.duplicates >= 400, "the batches applied before the disconnect were sent again")
        #expect(counts.missing == 0)
        let stats = reporter.statistics
        #expect(stats.dropped == 0 && stats.spoolEvents == 0)
        #expect(ReporterFixtures.segments(in: directory).isEmpty)
    }

    @Test("Steady state with a monitor that keeps up: nothing touches the spool")
    func steadyStateStaysInMemory() async throws {
        let artifact = try ReporterFixtures.artifact()
        let service = try InProcessMonitor.openService()
        let port = try ReporterFixtures.freePort()
        let monitor = try InProcessMonitor.start(service, port: port)
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = EventReporter.Configuration(
            monitor: SocketAddress(host: "127.0.0.1", port: port), spoolDirectory: directory)
        configuration.producerId = "steady"
        configuration.maximumBatchDelay = .milliseconds(10)
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        reporter.registerModel(version: "m1", artifact: artifact)
        let running = RunningReporter.start(reporter)
        for round in 0..<20 {
            for index in 1...1_000 { reporter.record(ReporterFixtures.event(round * 1_000 + index, featureCount: 2)) }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(await eventually { reporter.statistics.acknowledged == 20_000 })
        await running.stop()
        try await monitor.stop()

        let stats = reporter.statistics
        #expect(stats.spooled == 0 && stats.replayed == 0 && stats.dropped == 0)
        #expect(stats.spoolBytes == 0)
        #expect(ReporterFixtures.segments(in: directory).isEmpty, "no spool segment was ever created")
        #expect(monitor.counts("steady").events == 20_000 && monitor.counts("steady").missing == 0)
    }

    @Test("Memory full while the monitor is slow: batches overflow to the spool and are replayed in order")
    func overflowSpoolsInOrder() async throws {
        let receiver = HoldingReceiver(held: 1, untilReleased: true)
        let port = try ReporterFixtures.freePort()
        let monitor = try RunningReceiverServer.start(receiver.router, port: port)
        let directory = ReporterFixtures.temporaryDirectory()
        var configuration = ReporterFixtures.configuration(port: port, directory: directory)
        configuration.maximumInFlight = 1  // the held request blocks delivery, so memory fills
        configuration.pendingCapacityBytes = 20_000  // about 3 batches of 100
        configuration.maximumRequestBytes = 1_024
        configuration.callTimeout = .seconds(60)
        let reporter = try EventReporter(configuration: configuration, log: JSONLog { _ in })
        let running = RunningReporter.start(reporter)
        for index in 1...3_000 { reporter.record(ReporterFixtures.event(index)) }
        let spilled = await eventually {
            let stats = reporter.statistics
            return stats.spooled > 0 && stats.spooled + stats.queued == 3_000
        }
        receiver.release()
        #expect(spilled)
        #expect(await eventually { reporter.statistics.acknowledged == 3_000 })
        await running.stop()
        try await monitor.stop()

        let state = receiver.state.withLock { $0 }
        #expect(state.batches.flatMap { $0 } == Array(1...3_000), "memory first, then the spool, in order")
        #expect(state.duplicates == 0)
        let stats = reporter.statistics
        #expect(stats.spooled > 0 && stats.replayed == stats.spooled)
        #expect(stats.dropped == 0 && stats.spoolEvents == 0)
        #expect(ReporterFixtures.segments(in: directory).isEmpty)
    }

    @Test(
        "The reporter's encoding (queue entries cut into a batch) is protobuf-c's, byte for byte",
        arguments: [0, 1, 126, 127, 16_383, 1 << 40])
    func encodingMatchesProtobufC(lastSequence: UInt64) throws {
        var events = [
            ReporterFixtures.event(7), ScoringEvent(), ReporterFixtures.event(10, featureCount: 0),
            ScoringEvent(
                transactionId: "tx-é", eventTimeMicroseconds: -5, scoredAtMicroseconds: 1 << 50, cardId: "",
                terminalId: String(repeating: "t", count: 300), amount: -0.0, features: (0..<30).map(Double.init),
                fraudProbability: 1, decision: .flag, modelVersion: "v", serverLatencyNanoseconds: .max),
            ReporterFixtures.event(11),
        ]
        let queue = EventQueue(capacity: 100, capacityBytes: 1 << 16, lastSequence: lastSequence)
        for event in events { queue.append(event) }
        var buffer = queue.makeSpare()
        queue.take(into: &buffer)
        #expect(buffer.count == events.count && buffer.firstSequence == lastSequence + 1)
        for index in events.indices { events[index].sequence = lastSequence + 1 + UInt64(index) }
        let prefix = EventEncoding.batchPrefix(producerId: "producer")
        let payload = buffer.batchPayload(1..<4, prefix: prefix, sentAtMicroseconds: 123, droppedTotal: 4)
        let batch = EventBatch(
            producerId: "producer", events: Array(events[1..<4]), sentAtMicroseconds: 123, droppedTotal: 4)
        #expect(payload == batch.serializedBytes())
        let whole = buffer.batchPayload(0..<5, prefix: prefix, sentAtMicroseconds: -1, droppedTotal: 0)
        #expect(
            try EventBatch(serializedBytes: whole)
                == EventBatch(producerId: "producer", events: events, sentAtMicroseconds: -1))
    }

    @Test(
        "--report-inflight, --report-memory-mb and the retention flags (and their environment variables) reach the reporter"
    )
    func flags() throws {
        var defaults = Arguments(["--model", "m"])
        let plain = try ScoringConfiguration(parsing: &defaults)
        #expect(plain.reportInFlight == 8 && plain.reportMemoryMegabytes == 64)
        let directory = ReporterFixtures.temporaryDirectory()
        var arguments = Arguments(
            ["--model", "m", "--report-inflight", "3", "--monitor", "127.0.0.1:9", "--spool-dir", directory],
            environment: [
                "SENTINEL_REPORT_MEMORY_MB": "16", "SENTINEL_REPORT_INFLIGHT": "5", "SENTINEL_REPORT_RETENTION": "90s",
                "SENTINEL_REPORT_RETENTION_MB": "2",
            ])
        let configured = try ScoringConfiguration(parsing: &arguments)
        #expect(configured.reportInFlight == 3, "the flag wins over the environment")
        #expect(configured.reportMemoryMegabytes == 16)
        let reporter = try #require(try ScoringApplication.makeReporter(configured))
        #expect(reporter.configuration.maximumInFlight == 3)
        #expect(reporter.configuration.pendingCapacityBytes == 16 << 20)
        #expect(reporter.configuration.retentionBytes == 2 << 20)
        #expect(reporter.configuration.retentionDuration == .seconds(90))
        for bad in [["--report-inflight", "0"], ["--report-inflight", "257"], ["--report-memory-mb", "-1"]] {
            var parsed = Arguments(["--model", "m"] + bad)
            #expect(throws: UsageError.self) { try ScoringConfiguration(parsing: &parsed) }
        }
    }

    @Test("A full hand-off buffer (in bytes) drops the rest of the round, keeping the taken sequences consecutive")
    func queueByteBound() {
        let queue = EventQueue(capacity: 1_000, capacityBytes: 1_000, lastSequence: 0)
        for index in 1...30 { queue.append(ReporterFixtures.event(index)) }
        var buffer = queue.makeSpare()
        queue.take(into: &buffer)
        let counters = queue.counters
        #expect(buffer.count > 0 && buffer.count < 30)
        #expect(counters.overflowed == UInt64(30 - buffer.count) && counters.lastSequence == 30)
        #expect(buffer.ends.last ?? 0 <= 1_000)
        queue.append(ReporterFixtures.event(31))
        var next = queue.makeSpare()
        queue.take(into: &next)
        #expect(next.count == 1 && next.firstSequence == 31, "room again after the swap; 31 is the next number")
    }
}

/// A TCP server for a router, on a fixed port.
struct RunningReceiverServer {
    let server: TCPServer
    let task: Task<Void, any Error>

    static func start(_ router: Router, port: UInt16) throws -> RunningReceiverServer {
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .milliseconds(500)
        let server = try TCPServer(
            host: "127.0.0.1", port: port, router: router, configuration: configuration, loopCount: 1)
        return RunningReceiverServer(server: server, task: Task { try await server.run() })
    }

    func stop() async throws {
        server.beginGracefulShutdown()
        try await task.value
    }
}
