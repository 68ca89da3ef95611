import SentinelRPC
import SentinelSchema
import SentinelWire

/// The monitor's Health.Check handler.
///
/// A static method in the library, not a closure in main.swift: closures written there are main-actor isolated and
/// would trap on the isolation check when run on an event loop thread.
enum MonitorHealth {
    /// The service names this process answers for ("" = the whole server).
    static let services: Set<String> = ["", "sentinel.v1.Monitor"]

    /// Decodes a `HealthCheckRequest` and answers `HealthCheckResponse{status: SERVING}` for a known service.
    /// - Throws: ``RPCError`` INVALID_ARGUMENT for a payload that is not a HealthCheckRequest, NOT_FOUND for an
    ///   unknown service name.
    static func check(_ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8]) throws {
        let decoded: HealthCheckRequest
        do {
            decoded = try HealthCheckRequest(serializedBytes: request)
        } catch {
            throw RPCError(.invalidArgument, "malformed HealthCheckRequest: \(error)")
        }
        guard services.contains(decoded.service) else {
            throw RPCError(.notFound, "unknown service '\(decoded.service)'")
        }
        HealthCheckResponse(status: .serving).serialize(into: &response)
    }
}
