import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// The scoring service a verb talks to: `--api HOST:PORT` and the optional `--token-file`, shared by `score`,
/// `replay` and `bench`.
struct APIEndpoint {
    /// The service's address.
    var address: SocketAddress
    /// Client settings (token, connect timeout).
    var configuration: TCPClient.Configuration

    /// Reads `--api` (required) and `--token-file` (env `SENTINEL_TOKEN_FILE`).
    /// - Throws: ``UsageError`` for a missing or malformed address or an unreadable token file.
    init(arguments: inout Arguments) throws {
        let target = try arguments.required("--api", environment: "SENTINEL_API")
        guard let address = SocketAddress(parsing: target) else {
            throw UsageError("invalid address '\(target)' for --api: expected \(SocketAddress.syntax)")
        }
        self.address = address
        configuration = TCPClient.Configuration()
        configuration.connectTimeout = .seconds(5)
        if let tokenPath = try arguments.option("--token-file", environment: "SENTINEL_TOKEN_FILE") {
            guard let text = try? String(contentsOfFile: tokenPath, encoding: .utf8),
                let token = AuthToken(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                throw UsageError("cannot read a token from '\(tokenPath)'")
            }
            configuration.token = token
        }
    }

    /// Asks the service which model it serves (feature order, threshold, version).
    /// - Throws: ``RPCError`` when the call fails or the reply is not a `ModelInfoResponse`.
    static func modelInfo(_ client: TCPClient) async throws -> ModelInfoResponse {
        let reply = try await client.call(
            .scoringModelInfo, payload: ModelInfoRequest().serializedBytes(), timeout: .seconds(10))
        do {
            return try ModelInfoResponse(serializedBytes: reply)
        } catch {
            throw RPCError(.internal, "malformed ModelInfoResponse from the server: \(error)")
        }
    }
}
