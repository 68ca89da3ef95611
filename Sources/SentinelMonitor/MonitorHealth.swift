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

    /// Answers SERVING for a known service.
    /// - Throws: ``RPCError`` NOT_FOUND for an unknown service name.
    @Sendable
    static func check(_ request: HealthCheckRequest, _ context: RequestContext) throws -> HealthCheckResponse {
        guard services.contains(request.service) else {
            throw RPCError(.notFound, "unknown service '\(request.service)'")
        }
        return HealthCheckResponse(status: .serving)
    }
}
