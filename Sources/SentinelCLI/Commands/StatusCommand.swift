import Foundation
import SentinelArguments
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel status --monitor HOST:PORT`: the monitor's drift, fraud rate, latency and alerts in the terminal (or
/// as the dashboard's JSON), once or redrawn every few seconds.
enum StatusCommand {
    static let command = Command(
        words: ["status"],
        summary: "show the monitor's drift, fraud rate, latency and alerts (once, or --watch)",
        usage:
            "sentinel status --monitor HOST:PORT [--json] [--watch [--interval SECONDS] [--count N]] "
            + "[--model VERSION] [--history N] [--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.monitor.help(width: 24))
              --json                print the snapshot as JSON, the same document as the dashboard's /api/snapshot
              --watch               redraw until Ctrl-C (in place on a terminal, as repeated blocks otherwise)
              --interval SECONDS    seconds between redraws with --watch (default 2)
              --count N             with --watch, stop after N snapshots
              --model VERSION       only this model version (default: every tracked version)
              --history N           closed windows to include in --json's history (default 30)
            """
    ) { arguments, console in
        let connection = try ConnectionOptions(parsing: &arguments, .monitor)
        let json = arguments.flag("--json")
        let watch = arguments.flag("--watch")
        let interval = try arguments.option("--interval", as: Double.self)
        let count = try arguments.option("--count", as: Int.self)
        let model = try arguments.option("--model")
        let history = try arguments.option("--history", as: UInt32.self) ?? 30
        try arguments.finish()
        let address = connection.address
        if !watch && (interval != nil || count != nil) {
            throw UsageError("--interval and --count apply only with --watch")
        }
        if let interval, !(interval.isFinite && interval >= 0.1 && interval <= 86_400) {
            throw UsageError("invalid value for --interval: '\(interval)' (seconds, 0.1 to 86400)")
        }
        if let count, count < 1 { throw UsageError("invalid value for --count: '\(count)' (at least 1)") }
        let configuration = connection.client
        var request = MonitorSnapshotRequest()
        request.modelVersion = model
        request.historyWindows = json ? history : 0
        let payload = request.serializedBytes()
        let timeout = connection.timeout
        let redrawInPlace = watch && !json && isatty(STDOUT_FILENO) == 1 && console.environment["TERM"] != "dumb"
        return try await TCPClient.withClient(address: address, configuration: configuration) { client in
            var shown = 0
            while true {
                let snapshot: MonitorSnapshotResponse
                do {
                    let reply = try await ServiceKind.monitor.call(
                        client, .monitorSnapshot, payload: payload, timeout: timeout)
                    snapshot = try MonitorSnapshotResponse(serializedBytes: reply)
                } catch let error as WrongServiceError {
                    // Not a monitor: watching will not change that.
                    console.printError("error: \(error)")
                    return ExitCode.failure
                } catch {
                    console.printError("error: monitor at \(address): \(error)")
                    guard watch else { return ExitCode.failure }
                    // A monitor that is restarting comes back; keep watching.
                    try await Task.sleep(for: .seconds(interval ?? 2))
                    continue
                }
                shown += 1
                if json {
                    console.print(SnapshotJSON.render(snapshot))
                } else {
                    let block = render(snapshot, monitor: address.description)
                    if redrawInPlace {
                        console.writeOutput("\u{1B}[H\u{1B}[2J" + block + "\n")
                    } else {
                        console.print(shown > 1 ? "\n" + block : block)
                    }
                }
                guard watch, count.map({ shown < $0 }) ?? true else { return ExitCode.success }
                try await Task.sleep(for: .seconds(interval ?? 2))
            }
        }
    }
}
