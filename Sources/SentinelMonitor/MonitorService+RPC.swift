public import SentinelRPC
import SentinelSchema
import SentinelWire

extension MonitorService {
    /// Registers the monitor's methods: Health.Check (sync, on the loop), and IngestEvents, RegisterModel,
    /// ReportLabels and Snapshot (async: they wait for the log's durability or compute a snapshot).
    ///
    /// Errors answer with the ``MonitorError/rpcError`` status (INVALID_ARGUMENT naming the bad event,
    /// FAILED_PRECONDITION for an unregistered model version, ALREADY_EXISTS, RESOURCE_EXHAUSTED, UNAVAILABLE when
    /// the log failed); an undecodable payload is INVALID_ARGUMENT.
    /// - Parameter router: The router to add the methods to.
    public func register(on router: inout Router) {
        router.register(.healthCheck, MonitorHealth.check)
        // Raw: the batch is read in place from the payload (no `[ScoringEvent]` with an array per event), and the
        // payload itself is the log record.
        router.registerRawAsync(.monitorIngestEvents) { [self] _, request in
            do {
                return try await ingest(encoded: request).serializedBytes()
            } catch let error as SchemaError where error.code == .tooLargeToUnpack {
                throw error.rpcError
            } catch let error as SchemaError {
                throw RPCError(.invalidArgument, "malformed \(EventBatch.protoName): \(error)")
            }
        }
        router.registerAsync(.monitorRegisterModel) { [self] (request: RegisterModelRequest, _) in
            try await register(request)
        }
        router.registerAsync(.monitorReportLabels) { [self] (request: ReportLabelsRequest, _) in
            try await reportLabels(request)
        }
        router.registerAsync(.monitorSnapshot) { [self] (request: MonitorSnapshotRequest, _) in
            snapshot(request)
        }
    }
}
