import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// The ModelInfo call every verb that talks to the scoring service starts with (feature order, threshold,
/// version).
enum ModelInfoCall {
    /// Asks the service which model it serves.
    /// - Throws: ``RPCError`` when the call fails or the reply is not a `ModelInfoResponse`; ``WrongServiceError``
    ///   when the address is a monitor.
    static func fetch(_ client: TCPClient) async throws -> ModelInfoResponse {
        let reply = try await ServiceKind.api.call(
            client, .scoringModelInfo, payload: ModelInfoRequest().serializedBytes(), timeout: .seconds(10))
        do {
            return try ModelInfoResponse(serializedBytes: reply)
        } catch {
            throw RPCError(.internal, "malformed ModelInfoResponse from the server: \(error)")
        }
    }
}
