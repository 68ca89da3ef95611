import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel health (--api | --monitor) HOST:PORT`: exit 0 only when the service answers SERVING.
enum HealthCommand {
    static let command = Command(
        words: ["health"],
        summary: "check a service's health; exit 0 only when it is SERVING",
        usage: "sentinel health (--api HOST:PORT | --monitor HOST:PORT) [--timeout SECONDS] [--token-file FILE]",
        details: """
              --api HOST:PORT       the scoring service
              --monitor HOST:PORT   the monitor
              --timeout SECONDS     give up after this long (default 2)
              --token-file FILE     present the shared token in FILE (env SENTINEL_TOKEN_FILE)
            """
    ) { arguments, console in
        let api = try arguments.option("--api")
        let monitor = try arguments.option("--monitor")
        let seconds = try arguments.option("--timeout", as: Double.self) ?? 2
        let tokenPath = try arguments.option("--token-file", environment: "SENTINEL_TOKEN_FILE")
        try arguments.finish()
        guard (api == nil) != (monitor == nil), let target = api ?? monitor else {
            throw UsageError("give exactly one of --api HOST:PORT and --monitor HOST:PORT")
        }
        let name = api != nil ? "scoring service" : "monitor"
        guard let address = SocketAddress(parsing: target) else {
            throw UsageError("invalid address '\(target)': expected \(SocketAddress.syntax)")
        }
        guard seconds.isFinite, seconds > 0, seconds <= 3600 else {
            throw UsageError("invalid value for --timeout: '\(seconds)' (seconds, > 0)")
        }
        var configuration = TCPClient.Configuration()
        configuration.connectTimeout = .milliseconds(Int64(seconds * 1000))
        if let tokenPath {
            guard let text = try? String(contentsOfFile: tokenPath, encoding: .utf8),
                let token = AuthToken(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else {
                throw UsageError("cannot read a token from '\(tokenPath)'")
            }
            configuration.token = token
        }
        let status: Result<UInt64, RPCError>
        do {
            let reply = try await TCPClient.withClient(address: address, configuration: configuration) { client in
                try await client.call(
                    .healthCheck, payload: HealthCheckRequest().serializedBytes(),
                    timeout: .milliseconds(Int64(seconds * 1000)))
            }
            status = Self.servingStatus(reply)
        } catch let error as RPCError {
            status = .failure(error)
        }
        switch status {
        case .success(1):
            console.print("\(name) at \(address): SERVING")
            return ExitCode.success
        case .success(let value):
            let names: [UInt64: String] = [0: "UNKNOWN", 2: "NOT_SERVING"]
            console.printError("\(name) at \(address): \(names[value] ?? "status \(value)")")
            return ExitCode.failure
        case .failure(let error):
            console.printError("error: \(name) at \(address): \(error)")
            return ExitCode.failure
        }
    }

    /// Decodes a `HealthCheckResponse` and returns its status number.
    static func servingStatus(_ bytes: [UInt8]) -> Result<UInt64, RPCError> {
        do {
            let response = try HealthCheckResponse(serializedBytes: bytes)
            return .success(UInt64(response.status.rawValue))
        } catch {
            return .failure(RPCError(.internal, "malformed HealthCheckResponse from the server: \(error)"))
        }
    }
}
