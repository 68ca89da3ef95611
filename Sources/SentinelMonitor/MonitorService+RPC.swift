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
        router.registerAsync(.monitorIngestEvents) { [self] _, request in
            // Read in place from the payload: no `[ScoringEvent]` with an array per event is built.
            return try await Self.answer {
                do {
                    return try await ingest(encoded: request).serializedBytes()
                } catch let error as SchemaError {
                    throw RPCError(.invalidArgument, "malformed \(EventBatch.protoName): \(error)")
                }
            }
        }
        router.registerAsync(.monitorRegisterModel) { [self] _, request in
            let registration = try Self.decode(RegisterModelRequest.self, request)
            return try await Self.answer { try await register(registration, encoded: request).serializedBytes() }
        }
        router.registerAsync(.monitorReportLabels) { [self] _, request in
            let labels = try Self.decode(ReportLabelsRequest.self, request)
            return try await Self.answer { try await reportLabels(labels, encoded: request).serializedBytes() }
        }
        router.registerAsync(.monitorSnapshot) { [self] _, request in
            let query = try Self.decode(MonitorSnapshotRequest.self, request)
            return snapshot(query).serializedBytes()
        }
    }

    private static func decode<Message: WireMessage>(_ type: Message.Type, _ bytes: [UInt8]) throws -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw RPCError(.invalidArgument, "malformed \(Message.protoName): \(error)")
        }
    }

    private static func answer(_ body: () async throws -> [UInt8]) async throws -> [UInt8] {
        do {
            return try await body()
        } catch let error as MonitorError {
            throw error.rpcError
        }
    }
}
