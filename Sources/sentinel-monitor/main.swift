import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

// sentinel-monitor: for now, the RPC runtime with Health.Check (issue 2); the monitor's methods come with issue 5.

/// The monitor's Health.Check handler. A static method, not a closure in this file: closures written in main.swift
/// are main-actor isolated and would trap on the isolation check when run on an event loop thread.
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

let usage = "usage: sentinel-monitor [--port PORT] [--host HOST] [--token-file FILE]"
let help = """
    \(usage)

    The Sentinel monitor: ingests scoring events, computes drift, fraud rate and latency.
    Serves Sentinel RPC (PROTOCOL.md) and stops gracefully on SIGTERM or SIGINT.

    options:
      --port PORT         TCP port to listen on; 0 picks a free one (env SENTINEL_MONITOR_PORT, default 8001)
      --host HOST         address to bind (env SENTINEL_MONITOR_HOST, default 127.0.0.1)
      --token-file FILE   require clients to present the token in FILE (env SENTINEL_MONITOR_TOKEN_FILE)
      --help              show this help
      --version           show the version
    """

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func standardOutput(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data()
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}

func log(_ level: String, _ message: String, _ fields: [(String, String)] = []) {
    var line = "{\"level\":\"\(level)\",\"msg\":\(jsonString(message))"
    for (key, value) in fields { line += ",\"\(key)\":\(jsonString(value))" }
    standardOutput(line + "}")
}

var arguments = Arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
if arguments.flag("--version") {
    print("sentinel-monitor \(SentinelVersion.string)")
    exit(ExitCode.success)
}
if arguments.flag("--help") || arguments.flag("-h") {
    print(help)
    exit(ExitCode.success)
}

let host: String
let port: UInt16
var configuration = ServerConfiguration()
do {
    port = try arguments.option("--port", environment: "SENTINEL_MONITOR_PORT", as: UInt16.self) ?? 8001
    host = try arguments.option("--host", environment: "SENTINEL_MONITOR_HOST") ?? "127.0.0.1"
    if let path = try arguments.option("--token-file", environment: "SENTINEL_MONITOR_TOKEN_FILE") {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw UsageError("cannot read token file '\(path)'")
        }
        guard let token = AuthToken(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw UsageError("token file '\(path)' is empty")
        }
        configuration.authToken = token
    }
    try arguments.finish()
} catch {
    standardError("error: \(error)")
    standardError(usage)
    exit(ExitCode.usage)
}

var router = Router()
router.register(.healthCheck, MonitorHealth.check)

do {
    let server = try TCPServer(host: host, port: port, router: router, configuration: configuration)
    // Install the signal handlers before announcing the port, so a supervisor's SIGTERM always shuts down cleanly.
    let signals = UnixSignals.stream(TCPServer.shutdownSignals)
    log(
        "info", "listening",
        [
            ("address", server.address.description), ("version", SentinelVersion.string),
            ("auth", configuration.authToken == nil ? "none" : "token"),
        ])
    standardOutput("listening on \(server.address)")
    let signal = try await server.run(until: signals)
    log(
        "info", "stopped",
        [("signal", signal.map { $0 == SIGTERM ? "SIGTERM" : $0 == SIGINT ? "SIGINT" : "\($0)" } ?? "none")])
    exit(ExitCode.success)
} catch {
    log("error", "cannot serve", [("error", "\(error)")])
    standardError("error: cannot listen on \(host):\(port): \(error)")
    exit(ExitCode.failure)
}
