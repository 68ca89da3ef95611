import Foundation
public import SentinelLog
public import SentinelMetrics
import SentinelModel
public import SentinelRPC
public import SentinelSchema
import SentinelWire
import Synchronization

/// The scoring service's RPC handlers, independent of any socket: Score, ScoreBatch, ModelInfo, ReloadModel, Stats
/// and Health.Check.
///
/// Score, ScoreBatch, ModelInfo, Stats and Health.Check are synchronous handlers run on the event loop (no task per
/// request): they decode straight from the request buffer, read the live model once, validate, score, and append
/// the encoded reply. ReloadModel is asynchronous: it loads the file on a thread of its own, never on a loop. With a
/// sink in ``EventDurability/sync`` mode, Score and ScoreBatch are asynchronous too: they score the same way on the
/// loop, then wait for the sink's group commit before answering (``scoreDurably(_:_:)``,
/// ``scoreBatchDurably(_:_:)``). Tests call the handlers directly with encoded bytes.
///
/// ```swift
/// let service = ScoringService(store: ModelStore(configuredPath: path))
/// _ = try await service.reload(ReloadModelRequest(), origin: "startup")
/// let server = try TCPServer(host: "127.0.0.1", port: 0, router: service.makeRouter())
/// ```
public final class ScoringService: Sendable {
    /// The documented ScoreBatch limit when none is configured.
    public static let defaultMaximumBatchSize = 10_000

    /// The live model.
    public let store: ModelStore
    /// The most transactions one ScoreBatch may carry.
    public let maximumBatchSize: Int
    let counters = ServiceCounters()
    /// The service's Prometheus series (Docs/Metrics.md); the process adds its own (`process_*`, build, RPC
    /// connections) and serves them on the HTTP port.
    public let metrics = MetricsRegistry()
    private let requestMetrics: RequestMetrics
    private let serving = Atomic<Bool>(false)
    private let shuttingDown = Atomic<Bool>(false)
    let sink: (any ScoringEventSink)?
    private let log: JSONLog
    private let logRequests: Bool

    /// Creates the service; it answers Health NOT_SERVING until a model is loaded (``reload(_:origin:)``).
    /// - Parameters:
    ///   - store: The model store (empty or loaded).
    ///   - maximumBatchSize: The ScoreBatch limit (default 10,000).
    ///   - sink: Receives every scored transaction (the reporter to the monitor); `nil` when no monitor is
    ///     configured.
    ///   - log: The JSON log.
    ///   - logRequests: Log one line per scoring request (off by default: it costs more than the score).
    public init(
        store: ModelStore,
        maximumBatchSize: Int = ScoringService.defaultMaximumBatchSize,
        sink: (any ScoringEventSink)? = nil,
        log: JSONLog = .standardOutput,
        logRequests: Bool = false
    ) {
        precondition(maximumBatchSize >= 1, "the batch limit must be at least 1")
        self.store = store
        self.maximumBatchSize = maximumBatchSize
        self.sink = sink
        self.log = log
        self.logRequests = logRequests
        requestMetrics = RequestMetrics(registry: metrics)
        serving.store(store.current != nil, ordering: .releasing)
        registerCollectors()
    }

    /// The router serving every method of this service; it counts every answer for Stats.
    public func makeRouter() -> Router {
        var router = Router()
        router.register(.healthCheck, healthCheck)
        if sink?.durability == .sync {
            router.registerAsync(.scoringScore, scoreDurably)
            router.registerRawAsync(.scoringScoreBatch, scoreBatchDurably)
        } else {
            router.register(.scoringScore, score)
            router.registerRaw(.scoringScoreBatch, scoreBatch)
        }
        router.register(.scoringModelInfo, modelInfo)
        router.register(.scoringStats, stats)
        router.registerAsync(.scoringReloadModel, reloadModel)
        let counters = self.counters
        let requestMetrics = self.requestMetrics
        router.observer = { context, status in
            counters.requests.add(1, ordering: .relaxed)
            if status != .ok {
                counters.countError(status)
                if context.method == .scoringScore { counters.countTransactionError(status) }
            }
            requestMetrics.observe(context, status)
        }
        return router
    }

    /// Whether Health.Check answers SERVING: a model is loaded and the service is not shutting down.
    public var isServing: Bool { serving.load(ordering: .acquiring) }

    /// Marks the service as shutting down: Health.Check answers NOT_SERVING from now on.
    public func beginGracefulShutdown() {
        shuttingDown.store(true, ordering: .releasing)
        serving.store(false, ordering: .releasing)
    }

    // MARK: Handlers

    /// Health.Check: SERVING once a model is loaded, NOT_SERVING before and during shutdown.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request, NOT_FOUND for a service name other than
    ///   empty or `sentinel.v1.Scoring`.
    public func healthCheck(_ request: HealthCheckRequest, _ context: RequestContext) throws -> HealthCheckResponse {
        guard request.service.isEmpty || request.service == "sentinel.v1.Scoring" else {
            throw RPCError(.notFound, "unknown service '\(request.service)'")
        }
        return HealthCheckResponse(status: isServing ? .serving : .notServing)
    }

    /// Score: validates and scores one transaction with the live (or pinned) model.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request or a bad transaction (the message names the
    ///   transaction and the field), FAILED_PRECONDITION for a pinned version the service does not serve,
    ///   UNAVAILABLE before a model is loaded.
    public func score(_ request: ScoreRequest, _ context: RequestContext) throws -> ScoreResponse {
        try scoreRecording(request, context).response
    }

    /// Score in ``EventDurability/sync`` mode: as ``score(_:_:)``, then waits until the event is durable.
    /// - Throws: As ``score(_:_:)``; DEADLINE_EXCEEDED when the deadline passed before the task started;
    ///   UNAVAILABLE when the event cannot be made durable (the transaction was scored and counted in Stats).
    public func scoreDurably(_ request: ScoreRequest, _ context: RequestContext) async throws -> ScoreResponse {
        try checkDeadline(context)
        let (response, receipt) = try scoreRecording(request, context)
        try await waitUntilDurable(receipt)
        return response
    }

    private func scoreRecording(_ request: ScoreRequest, _ context: RequestContext) throws -> (
        response: ScoreResponse, receipt: EventReceipt
    ) {
        let started = MonotonicClock.nanoseconds()
        let model = try model(pinned: request.modelVersion)
        let transaction = request.transaction
        if let problem = TransactionValidator.problem(in: transaction, index: nil, featureNames: model.featureNames) {
            throw problem
        }
        let probability = transaction.features.withUnsafeBufferPointer { model.learner.probability(of: $0) }
        let decision: ScoreDecision = probability >= model.threshold ? .flag : .pass
        let latency = MonotonicClock.nanoseconds() &- started
        counters.transactions.add(1, ordering: .relaxed)
        if decision == .flag { counters.flagged.add(1, ordering: .relaxed) }
        counters.recordLatency(nanoseconds: latency)
        var receipt = EventReceipt.none
        if let sink {
            receipt = sink.record(
                event(
                    transaction, probability: probability, decision: decision, model: model, latency: latency,
                    scoredAt: MonotonicClock.unixMicroseconds()))
        }
        if logRequests {
            log.info(
                "score",
                [
                    "transaction": .string(transaction.id), "probability": .double(probability),
                    "decision": decision == .flag ? "flag" : "pass", "latency_ns": .int(Int64(latency)),
                ])
        }
        let response = ScoreResponse(
            transactionId: transaction.id, fraudProbability: probability, decision: decision,
            modelVersion: model.version, serverLatencyNanoseconds: latency, threshold: model.threshold)
        return (response, receipt)
    }

    /// ScoreBatch: validates and scores each transaction with one model; a bad transaction gets an item error
    /// (INVALID_ARGUMENT, naming its index, id and field) and does not stop the others.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request, an empty batch or one over
    ///   ``maximumBatchSize``; FAILED_PRECONDITION for an unknown pinned version; UNAVAILABLE before a model is
    ///   loaded.
    public func scoreBatch(_ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8])
        throws
    {
        _ = try scoreBatchRecording(context, request, &response)
    }

    /// ScoreBatch in ``EventDurability/sync`` mode: as ``scoreBatch(_:_:_:)``, then waits until the batch's events
    /// are durable.
    /// - Returns: The encoded response.
    /// - Throws: As ``scoreBatch(_:_:_:)``; DEADLINE_EXCEEDED when the deadline passed before the task started;
    ///   UNAVAILABLE when the events cannot be made durable (the transactions were scored and counted in Stats).
    public func scoreBatchDurably(_ context: RequestContext, _ request: [UInt8]) async throws -> [UInt8] {
        try checkDeadline(context)
        var response: [UInt8] = []
        let receipt = try request.withUnsafeBytes { try scoreBatchRecording(context, $0, &response) }
        try await waitUntilDurable(receipt)
        return response
    }

    private func scoreBatchRecording(
        _ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8]
    ) throws -> EventReceipt {
        let started = MonotonicClock.nanoseconds()
        // The limit is checked on the wire bytes first, so an oversized batch costs no unpacking.
        if let count = ScoreBatchRequest.transactionCount(serializedBytes: request), count > maximumBatchSize {
            throw RPCError(
                .invalidArgument, "batch of \(count) transactions is over the limit of \(maximumBatchSize)")
        }
        // Read in place: the transactions stay in protobuf-c's unpacked memory, no Swift strings or arrays
        // per transaction; only the error path copies one out, to build its message.
        do {
            return try ScoreBatchRequest.withView(serializedBytes: request) {
                try scoreBatch($0, context: context, started: started, &response)
            }
        } catch let error as RPCError {
            throw error
        } catch let error as SchemaError where error.code == .tooLargeToUnpack {
            throw error.rpcError
        } catch {
            throw RPCError(.invalidArgument, "malformed \(ScoreBatchRequest.protoName): \(error)")
        }
    }

    /// Rows scored between two deadline checks: about half a millisecond of the GBDT's batch path.
    static let deadlineCheckRows = 1_024

    private func scoreBatch(
        _ decoded: ScoreBatchRequest.View, context: RequestContext, started: UInt64, _ response: inout [UInt8]
    ) throws -> EventReceipt {
        let transactions = decoded.transactions
        guard !transactions.isEmpty else {
            throw RPCError(.invalidArgument, "empty batch: ScoreBatch needs at least one transaction")
        }
        guard transactions.count <= maximumBatchSize else {
            throw RPCError(
                .invalidArgument,
                "batch of \(transactions.count) transactions is over the limit of \(maximumBatchSize)")
        }
        // One model for the whole batch, even if a reload swaps the live one meanwhile.
        let model = try model(pinned: decoded.modelVersion)
        let width = model.learner.featureCount
        // Scratch for the batch (the stack for ordinary batches): the valid transactions' inputs row after row
        // (scored in one call: the learner's batch path gives the same bits as scoring each row alone), their
        // indices, and their probabilities.
        // Set when the deadline passes between chunks: nothing is answered, counted or reported for the batch.
        var expiredAfter: Int?
        var receipt = EventReceipt.none
        withScratch(of: Double.self, capacity: max(1, transactions.count * width)) { rows in
            withScratch(of: Int.self, capacity: transactions.count) { valid in
                withScratch(of: Double.self, capacity: transactions.count) { scores in
                    var batch = ValidatedBatch(transactions: transactions, rows: rows, indices: valid)
                    batch.validate(model: model)
                    let scored = UnsafeMutableBufferPointer(rebasing: scores[..<batch.validCount])
                    // In chunks, with the deadline checked between them (the learner's batch path gives the same
                    // bits for any split).
                    var done = 0
                    while done < batch.validCount {
                        if context.isPastDeadline {
                            expiredAfter = done
                            return
                        }
                        let count = min(Self.deadlineCheckRows, batch.validCount - done)
                        model.learner.probabilities(
                            rowMajor: UnsafeBufferPointer(rebasing: rows[(done * width)..<((done + count) * width)]),
                            count: count, into: UnsafeMutableBufferPointer(rebasing: scored[done..<(done + count)]))
                        done += count
                    }
                    if context.isPastDeadline {
                        expiredAfter = done
                        return
                    }
                    let flagged = UInt64(scored.count { $0 >= model.threshold })
                    let latency = MonotonicClock.nanoseconds() &- started
                    encodeResponse(
                        batch, scores: UnsafeBufferPointer(scored), model: model, latency: latency, &response)
                    counters.transactions.add(UInt64(batch.validCount), ordering: .relaxed)
                    counters.flagged.add(flagged, ordering: .relaxed)
                    if !batch.problems.isEmpty {
                        counters.countError(.invalidArgument, times: UInt64(batch.problems.count))
                        counters.countTransactionError(.invalidArgument, times: UInt64(batch.problems.count))
                    }
                    counters.recordLatency(nanoseconds: latency)
                    receipt = reportEvents(
                        batch, scores: UnsafeBufferPointer(scored), model: model, latency: latency)
                    if logRequests {
                        log.info(
                            "score_batch",
                            [
                                "transactions": .int(Int64(transactions.count)),
                                "errors": .int(Int64(batch.problems.count)), "flagged": .int(Int64(flagged)),
                                "latency_ns": .int(Int64(latency)),
                            ])
                    }
                }
            }
        }
        if let expiredAfter {
            throw RPCError(
                .deadlineExceeded,
                "deadline exceeded after scoring \(expiredAfter) of \(transactions.count) transactions; nothing was "
                    + "answered or reported for the batch")
        }
        return receipt
    }

    /// The response: one item per transaction in request order, a score for the valid ones and the validation
    /// error for the others.
    private func encodeResponse(
        _ batch: ValidatedBatch, scores: UnsafeBufferPointer<Double>, model: ModelHandle, latency: UInt64,
        _ response: inout [UInt8]
    ) {
        let transactions = batch.transactions
        var items: [ScoreBatchResponse.Item.View] = []
        items.reserveCapacity(transactions.count)
        var position = 0
        for index in transactions.indices {
            if position < batch.validCount, batch.indices[position] == index {
                let probability = scores[position]
                items.append(
                    .score(
                        transactionId: transactions[index].id, fraudProbability: probability,
                        decision: probability >= model.threshold ? .flag : .pass))
                position += 1
            } else if let problem = batch.problems[index] {
                items.append(
                    .error(
                        ScoreBatchResponse.ItemError(
                            statusCode: UInt32(problem.statusCode.rawValue), message: problem.message,
                            field: problem.field)))
            }
        }
        ScoreBatchResponse.encode(
            items: items, modelVersion: model.version, threshold: model.threshold, serverLatencyNanoseconds: latency,
            into: &response)
    }

    /// Hands the scored transactions to the sink with one hand-off, read straight from the request's memory.
    ///
    /// Each event carries its share of the batch's latency (latency / scored transactions, at least 1 ns): the
    /// whole request's latency on every event would inflate the monitor's per-transaction quantiles by the batch
    /// size. The response keeps the request's latency, which is what the client waited.
    private func reportEvents(
        _ batch: ValidatedBatch, scores: UnsafeBufferPointer<Double>, model: ModelHandle, latency: UInt64
    ) -> EventReceipt {
        guard let sink, batch.validCount > 0 else { return .none }
        let scoredAt = MonotonicClock.unixMicroseconds()
        let share = max(1, latency / UInt64(batch.validCount))
        return withScratch(of: ScoredTransactionView.self, capacity: batch.validCount) { events in
            for position in 0..<batch.validCount {
                let probability = scores[position]
                events.initializeElement(
                    at: position,
                    to: ScoredTransactionView(
                        transaction: batch.transactions[batch.indices[position]], scoredAtMicroseconds: scoredAt,
                        fraudProbability: probability, decision: probability >= model.threshold ? .flag : .pass,
                        serverLatencyNanoseconds: share))
            }
            return sink.record(
                batch: UnsafeBufferPointer(rebasing: events[..<batch.validCount]), modelVersion: model.version)
        }
    }

    /// ModelInfo: the live model's version, learner, feature names, threshold, training window and metrics.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request, UNAVAILABLE before a model is loaded.
    public func modelInfo(_ request: ModelInfoRequest, _ context: RequestContext) throws -> ModelInfoResponse {
        try model(pinned: nil).info
    }

    /// Stats: counters since start, latency quantiles, and the reporter's delivery counters.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request.
    public func stats(_ request: StatsRequest, _ context: RequestContext) -> StatsResponse {
        statistics
    }

    /// ReloadModel: loads, validates and swaps in a model (see ``ModelStore/reload(_:)``).
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a malformed request, FAILED_PRECONDITION with the reason when the
    ///   reload fails (the old model keeps serving).
    public func reloadModel(_ request: ReloadModelRequest, _ context: RequestContext) async throws
        -> ReloadModelResponse
    {
        try await reload(request, origin: "rpc")
    }

    // MARK: Operations

    /// Loads and swaps in a model off the event loops, logs the outcome, counts it, tells the sink, and marks the
    /// service SERVING after the first success.
    /// - Parameters:
    ///   - request: Path (empty: the configured one), expected version, feature-change permission.
    ///   - origin: Who asked (`startup`, `rpc`, `SIGHUP`), for the log.
    /// - Returns: The reload response.
    /// - Throws: ``ScoringError`` `.reloadFailed` with the reason; the old model keeps serving.
    @discardableResult
    public func reload(_ request: ReloadModelRequest, origin: String) async throws -> ReloadModelResponse {
        let store = self.store
        let sink = self.sink
        // Cancellation (the deadline, a CANCEL, a closed connection) stops the reload unless it reached its commit
        // point; past it, the reload completes and is answered as done.
        let commit = ReloadCommit()
        let result = await withTaskCancellationHandler {
            await onOwnThread(named: "model-reload") {
                try store.reload(request, commit: commit) { sink?.modelActivated($0) }
            }
        } onCancel: {
            commit.cancel()
        }
        if case .failure(let error) = result, error is CancellationError {
            log.info(
                "model reload cancelled", ["origin": .string(origin), "serving": .string(store.current?.version ?? "")])
            throw error
        }
        switch result {
        case .success(let (response, model)):
            counters.reloads.add(origin == "startup" ? 0 : 1, ordering: .relaxed)
            counters.loads.add(1, ordering: .relaxed)
            log.info(
                origin == "startup" ? "model loaded" : "model reloaded",
                [
                    "origin": .string(origin), "version": .string(model.version), "learner": .string(model.learnerKind),
                    "features": .int(Int64(model.featureNames.count)), "feature_names": .strings(model.featureNames),
                    "threshold": .double(model.threshold), "old_version": .string(response.oldVersion),
                    "source": .string(model.source), "detail": .string(response.message),
                ])
            if !shuttingDown.load(ordering: .acquiring) { serving.store(true, ordering: .releasing) }
            return response
        case .failure(let error):
            if origin != "startup" { counters.failedReloads.add(1, ordering: .relaxed) }
            counters.failedLoads.add(1, ordering: .relaxed)
            let failure =
                error as? ScoringError ?? ScoringError(.reloadFailed, "reload failed: \(error)", cause: error)
            log.error(
                origin == "startup" ? "model load failed" : "model reload failed",
                [
                    "origin": .string(origin), "reason": .string(failure.message),
                    "serving": .string(store.current?.version ?? ""),
                ])
            throw failure
        }
    }

    /// The Stats response now.
    public var statistics: StatsResponse {
        StatsResponse(
            requests: counters.requests.load(ordering: .relaxed),
            transactions: counters.transactions.load(ordering: .relaxed),
            flagged: counters.flagged.load(ordering: .relaxed),
            errors: counters.errorCounts,
            events: sink?.delivery ?? StatsResponse.EventDelivery(),
            uptimeMicroseconds: (MonotonicClock.nanoseconds() &- counters.startedAt) / 1000,
            modelVersion: store.current?.version ?? "",
            latency: counters.latencySummary,
            reloads: counters.reloads.load(ordering: .relaxed),
            failedReloads: counters.failedReloads.load(ordering: .relaxed))
    }

    // MARK: Helpers

    /// Refuses a request whose deadline passed before its task started: nothing is scored or reported.
    private func checkDeadline(_ context: RequestContext) throws(RPCError) {
        if context.isPastDeadline {
            throw RPCError(.deadlineExceeded, "deadline exceeded before the request was handled")
        }
    }

    /// Waits for the sink to make a request's events durable (sync mode).
    private func waitUntilDurable(_ receipt: EventReceipt) async throws(RPCError) {
        guard let sink else { return }
        do {
            try await sink.waitUntilDurable(receipt)
        } catch {
            throw RPCError(
                .unavailable,
                "scored, but the scoring event could not be made durable (--event-durability sync): \(error.message)")
        }
    }

    /// The live model, or the pinned version if it is the live one.
    private func model(pinned: String?) throws -> ModelHandle {
        guard let model = store.current else {
            throw RPCError(.unavailable, "no model loaded yet")
        }
        if let pinned, pinned != model.version {
            throw RPCError(
                .failedPrecondition, "model version '\(pinned)' is not served (serving \(model.version))")
        }
        return model
    }

    private func event(
        _ transaction: Transaction, probability: Double, decision: ScoreDecision, model: ModelHandle, latency: UInt64,
        scoredAt: Int64
    ) -> ScoringEvent {
        ScoringEvent(
            transactionId: transaction.id, eventTimeMicroseconds: transaction.eventTimeMicroseconds,
            scoredAtMicroseconds: scoredAt, cardId: transaction.cardId, terminalId: transaction.terminalId,
            amount: transaction.amount, features: transaction.features, fraudProbability: probability,
            decision: decision, modelVersion: model.version, serverLatencyNanoseconds: latency)
    }
}
