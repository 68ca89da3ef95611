import Foundation
import SentinelLock
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization
import Testing

@testable import SentinelScoring

/// A sink in sync mode whose commits the test performs: every wait is held until ``release(failing:)``.
final class GatedSink: ScoringEventSink {
    private struct State {
        var events: [ScoringEvent] = []
        var next: UInt64 = 0
        var waiters: [CheckedContinuation<ReportingError?, Never>] = []
    }

    private let state = Lock(State())

    func record(_ event: ScoringEvent) -> EventReceipt {
        state.withLock { state in
            state.events.append(event)
            state.next += 1
            return EventReceipt(sequences: state.next...state.next, queued: true)
        }
    }

    var durability: EventDurability { .sync }

    func waitUntilDurable(_ receipt: EventReceipt) async throws(ReportingError) {
        let failure = await withCheckedContinuation { continuation in
            state.withLock { $0.waiters.append(continuation) }
        }
        if let failure { throw failure }
    }

    /// Ends every wait so far: successfully, or with `error`.
    func release(failing error: ReportingError? = nil) {
        let waiters = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: error) }
    }

    func modelActivated(_ model: ModelHandle) {}
    var delivery: StatsResponse.EventDelivery { StatsResponse.EventDelivery() }
    var isMonitorReachable: Bool { true }
    var statistics: ReporterStatistics { ReporterStatistics() }

    var waiting: Int { state.withLock { $0.waiters.count } }
    var recorded: Int { state.withLock { $0.events.count } }
}

@Suite("Scoring service: --event-durability sync")
struct ScoringDurabilityTests {
    static func service(_ sink: GatedSink) async throws -> ScoringService {
        let path = try ScoringFixtures.write(ScoringFixtures.model, to: ScoringFixtures.directory())
        let service = ScoringService(store: ModelStore(configuredPath: path), sink: sink, log: CapturedLog().log)
        try await service.reload(ReloadModelRequest(), origin: "startup")
        return service
    }

    /// Score over `transport` for sample row `row`: the encoded response.
    static func score(row: Int, on transport: InMemoryTransport, timeout: Duration) async throws -> [UInt8] {
        try await transport.call(
            .scoringScore, payload: ScoreRequest(transaction: ScoringFixtures.transaction(row: row)).serializedBytes(),
            timeout: timeout)
    }

    @Test("Score and ScoreBatch answer only once the sink has made their events durable")
    func answersWaitForTheCommit() async throws {
        let sink = GatedSink()
        let service = try await Self.service(sink)
        let router = service.makeRouter()
        // Synchronous handlers could not wait: in sync mode both scoring methods are asynchronous.
        #expect(router.handleSynchronouslyRefuses(.scoringScore))
        #expect(router.handleSynchronouslyRefuses(.scoringScoreBatch))
        let transport = InMemoryTransport(router: router)
        let answered = TestCount()
        let score = Task {
            defer { answered.count.add(1, ordering: .relaxed) }
            return try await transport.call(
                .scoringScore,
                payload: ScoreRequest(transaction: ScoringFixtures.transaction(row: 1)).serializedBytes(),
                timeout: .seconds(30))
        }
        let batch = Task {
            defer { answered.count.add(1, ordering: .relaxed) }
            let transactions = (2..<7).map { ScoringFixtures.transaction(row: $0) }
            return try await transport.call(
                .scoringScoreBatch, payload: ScoreBatchRequest(transactions: transactions).serializedBytes(),
                timeout: .seconds(30))
        }
        #expect(await eventually { sink.waiting == 2 })
        #expect(sink.recorded == 6, "scored and recorded before the wait")
        #expect(answered.count.load(ordering: .relaxed) == 0, "no answer before the commit")
        sink.release()
        let response = try ScoreResponse(serializedBytes: await score.value)
        #expect(response.transactionId == "tx-1")
        let items = try ScoreBatchResponse(serializedBytes: await batch.value).items
        #expect(items.count == 5)
        #expect(service.statistics.transactions == 6)
    }

    @Test("a failed commit is UNAVAILABLE saying the event is not durable")
    func failedCommitIsUnavailable() async throws {
        let sink = GatedSink()
        let service = try await Self.service(sink)
        let transport = InMemoryTransport(router: service.makeRouter())
        let score = Task { try await Self.score(row: 1, on: transport, timeout: .seconds(30)) }
        #expect(await eventually { sink.waiting == 1 })
        sink.release(failing: ReportingError(.spoolUnavailable, "the spool is full; the events were dropped"))
        do {
            _ = try await score.value
            Issue.record("a score whose event was dropped was answered OK")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
            #expect(
                error.message
                    == "scored, but the scoring event could not be made durable (--event-durability sync): the spool "
                    + "is full; the events were dropped")
        }
    }

    @Test("a deadline passing during the wait does not undo the score: it is answered once durable (manual time)")
    func deadlineDuringTheWait() async throws {
        let sink = GatedSink()
        let service = try await Self.service(sink)
        let transport = InMemoryTransport(router: service.makeRouter(), manualClock: true)
        let score = Task { try await Self.score(row: 1, on: transport, timeout: .seconds(5)) }
        #expect(await eventually { sink.waiting == 1 })
        // Only the server's clock passes the deadline: its handler task is cancelled; the client still listens.
        transport.serverLoop.advance(by: .seconds(5))
        sink.release()
        let response = try ScoreResponse(serializedBytes: await score.value)
        #expect(response.transactionId == "tx-1", "the event is recorded and durable: the answer is the score")
    }

    @Test("a request past its deadline before its task starts is refused, and nothing is scored or recorded")
    func expiredBeforeStart() async throws {
        let sink = GatedSink()
        let service = try await Self.service(sink)
        let past = RequestContext(requestID: 1, method: .scoringScore, deadline: .now - .seconds(1))
        await #expect(throws: RPCError.self) {
            _ = try await service.scoreDurably(ScoreRequest(transaction: ScoringFixtures.transaction(row: 1)), past)
        }
        let batch = ScoreBatchRequest(transactions: [ScoringFixtures.transaction(row: 1)]).serializedBytes()
        await #expect(throws: RPCError.self) { _ = try await service.scoreBatchDurably(past, batch) }
        #expect(sink.recorded == 0)
        #expect(service.statistics.transactions == 0)
    }
}

/// A count tests share between tasks.
final class TestCount: Sendable {
    let count = Atomic(0)
}

extension Router {
    /// Whether the method is registered as asynchronous (the event loop refuses to run it synchronously).
    fileprivate func handleSynchronouslyRefuses(_ method: MethodID) -> Bool {
        var response: [UInt8] = []
        do throws(RPCError) {
            try handleSynchronously(
                RequestContext(requestID: 1, method: method, deadline: nil), .init(start: nil, count: 0),
                into: &response)
            return false
        } catch {
            return error.code == .internal
        }
    }
}
