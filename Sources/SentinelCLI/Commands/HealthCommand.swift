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
            \(ConnectionOptions.Flags.api.defaultTimeout(.seconds(2)).help(width: 24, includingAddress: false))
            """
    ) { arguments, console in
        let api = try arguments.option("--api")
        let monitor = try arguments.option("--monitor")
        guard (api == nil) != (monitor == nil) else {
            throw UsageError("give exactly one of --api HOST:PORT and --monitor HOST:PORT")
        }
        let flags = (api != nil ? ConnectionOptions.Flags.api : .monitor).defaultTimeout(.seconds(2))
        guard let connection = try ConnectionOptions.parse(&arguments, flags, target: api ?? monitor) else {
            throw UsageError("give exactly one of --api HOST:PORT and --monitor HOST:PORT")
        }
        try arguments.finish()
        let name = api != nil ? "scoring service" : "monitor"
        let kind: ServiceKind = api != nil ? .api : .monitor
        let address = connection.address
        let status: Result<UInt64, RPCError>
        do {
            let reply = try await TCPClient.withClient(address: address, configuration: connection.client) { client in
                try await client.call(
                    .healthCheck, payload: HealthCheckRequest(service: kind.healthService).serializedBytes(),
                    timeout: connection.timeout)
            }
            status = Self.servingStatus(reply)
        } catch let error as RPCError {
            if let mismatch = kind.mismatch(error, address: address.description) {
                console.printError("error: \(mismatch)")
                return ExitCode.failure
            }
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
