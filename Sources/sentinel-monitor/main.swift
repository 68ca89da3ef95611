// sentinel-monitor: parse the configuration, open the state, serve. All logic lives in SentinelMonitor.
import Foundation
import SentinelArguments
import SentinelLog
import SentinelMonitor
import SentinelPosix
import SentinelRPC

let usage = "usage: sentinel-monitor [--host H] [--port 8001] [--http-port 8501] [--state-dir DIR] [--window 60s] …"
let help = """
    \(usage)

    The Sentinel monitor: ingests scoring events from sentinel-api replicas, computes drift, fraud rate and latency
    per tumbling window, keeps its state in --state-dir across restarts, and logs alert transitions as JSON lines.
    Serves Sentinel RPC (PROTOCOL.md) and stops gracefully on SIGTERM or SIGINT.

    options:
    \(MonitorConfiguration.optionsHelp)
      --help                 show this help
      --version              show the version
    """

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
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

let configuration: MonitorConfiguration
do {
    configuration = try MonitorConfiguration(parsing: &arguments)
    try arguments.finish()
} catch {
    standardError("error: \(error)")
    standardError(usage)
    exit(ExitCode.usage)
}

let logger = JSONLog.standardOutput
do {
    let server = try MonitorServer(configuration: configuration, logger: logger)
    // Install the signal handlers before announcing the port, so a supervisor's SIGTERM always shuts down cleanly.
    let signals = UnixSignals.stream(TCPServer.shutdownSignals)
    logger.log(
        "info", "listening",
        [
            "address": .string(server.address.description),
            "dashboard": .string("http://\(server.httpAddress)/"), "version": .string(SentinelVersion.string),
            "auth": .string(configuration.server.authToken == nil ? "none" : "token"),
            "state_dir": .string(configuration.stateDirectory ?? "none"),
            "window_ms": .int(configuration.windowMilliseconds),
        ])
    // Standard output carries JSON lines only; the human lines go to standard error.
    standardError("listening on \(server.address)")
    standardError("dashboard on http://\(server.httpAddress)/")
    let signal = try await server.run(until: signals)
    logger.log(
        "info", "stopped",
        ["signal": .string(signal.map { $0 == SIGTERM ? "SIGTERM" : $0 == SIGINT ? "SIGINT" : "\($0)" } ?? "none")])
    exit(ExitCode.success)
} catch {
    logger.log("error", "cannot serve", ["error": .string("\(error)")])
    let address = SocketAddress(host: configuration.host, port: configuration.port)
    standardError("error: cannot start on \(address): \(error)")
    exit(ExitCode.failure)
}
