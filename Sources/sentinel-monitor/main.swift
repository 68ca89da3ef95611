// sentinel-monitor: parse the configuration, build the application, run its services.
import Foundation
import SentinelArguments
import SentinelMonitor

let usage =
    "usage: sentinel-monitor [--host H] [--port 8001] [--http-port 8501] [--state-dir DIR] [--window 60s] …\n"
    + "       sentinel-monitor backup [--state-dir DIR] DEST"
let help = """
    \(usage)

    The Sentinel monitor: ingests scoring events from sentinel-api replicas, computes drift, fraud rate and latency
    per tumbling window, keeps its state in --state-dir across restarts, and logs alert transitions as JSON lines.
    Serves Sentinel RPC (PROTOCOL.md) and stops gracefully on SIGTERM or SIGINT.

    `sentinel-monitor backup --help` describes the backup command.

    options:
    \(MonitorConfiguration.optionsHelp)
      --help                 show this help
      --version              show the version
    """

var arguments = Arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
if CommandLine.arguments.dropFirst().first == "backup" {
    var backup = Arguments(Array(CommandLine.arguments.dropFirst(2)), environment: ProcessInfo.processInfo.environment)
    if backup.flag("--help") || backup.flag("-h") {
        print(StateBackup.help)
        exit(ExitCode.success)
    }
    do {
        print(try StateBackup.command(&backup))
        exit(ExitCode.success)
    } catch let error as UsageError {
        FileHandle.standardError.write(Data("error: \(error)\n\(StateBackup.usage)\n".utf8))
        exit(ExitCode.usage)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(ExitCode.failure)
    }
}
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
    FileHandle.standardError.write(Data("error: \(error)\n\(usage)\n".utf8))
    exit(ExitCode.usage)
}
do {
    try await MonitorApplication(configuration: configuration).run()
    exit(ExitCode.success)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(ExitCode.failure)
}
