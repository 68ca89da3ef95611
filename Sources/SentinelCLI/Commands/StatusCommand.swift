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
        guard redrawInPlace else {
            return try await poll(address: address, connection: connection, payload: payload, watch: watch) {
                snapshot, shown in
                if json {
                    console.print(SnapshotJSON.render(snapshot))
                } else {
                    let block = render(snapshot, monitor: address.description)
                    console.print(shown > 1 ? "\n" + block : block)
                }
                return count.map { shown < $0 } ?? true
            } failed: { error in
                console.printError("error: monitor at \(address): \(error)")
            } wait: {
                try await Task.sleep(for: .seconds(interval ?? 2))
            }
        }
        // A terminal: the alternate screen, redrawn in place to fit; Ctrl-C (or SIGTERM) restores the terminal and
        // exits 130, as a shell reports a command stopped by SIGINT.
        let signals = UnixSignals.stream([SIGINT, SIGTERM])
        console.writeOutput(TerminalScreen.enter)
        defer { console.writeOutput(TerminalScreen.leave) }
        return try await withThrowingTaskGroup(of: Int32.self) { group in
            group.addTask {
                for await _ in signals { return ExitCode.interrupted }
                return ExitCode.interrupted
            }
            group.addTask {
                try await poll(address: address, connection: connection, payload: payload, watch: true) {
                    snapshot, shown in
                    let size = TerminalScreen.size()
                    let lines = render(snapshot, monitor: address.description, fitting: size)
                    console.writeOutput(TerminalScreen.frame(lines, columns: size.columns))
                    return count.map { shown < $0 } ?? true
                } failed: { error in
                    let size = TerminalScreen.size()
                    let lines = ["monitor \(address): \(error)", "retrying every \(interval ?? 2) s; Ctrl-C to stop"]
                    console.writeOutput(TerminalScreen.frame(lines, columns: size.columns))
                } wait: {
                    try await Task.sleep(for: .seconds(interval ?? 2))
                }
            }
            let status = try await group.next() ?? ExitCode.success
            group.cancelAll()
            return status
        }
    }

    /// Fetches snapshots and hands each to `show` until it returns `false` (or once without `watch`); a failed
    /// fetch is reported and, when watching, retried after `wait` (a restarting monitor comes back).
    private static func poll(
        address: SocketAddress, connection: ConnectionOptions, payload: [UInt8], watch: Bool,
        show: (MonitorSnapshotResponse, Int) -> Bool, failed: (any Error) -> Void, wait: () async throws -> Void
    ) async throws -> Int32 {
        try await TCPClient.withClient(address: address, configuration: connection.client) { client in
            var shown = 0
            while true {
                let snapshot: MonitorSnapshotResponse
                do {
                    let reply = try await ServiceKind.monitor.call(
                        client, .monitorSnapshot, payload: payload, timeout: connection.timeout)
                    snapshot = try MonitorSnapshotResponse(serializedBytes: reply)
                } catch let error as WrongServiceError {
                    // Not a monitor: watching will not change that.
                    throw error
                } catch {
                    guard watch else { throw MonitorUnreachable(address: address.description, cause: error) }
                    failed(error)
                    try await wait()
                    continue
                }
                shown += 1
                guard watch, show(snapshot, shown) else {
                    if !watch { _ = show(snapshot, shown) }
                    return ExitCode.success
                }
                try await wait()
            }
        }
    }
}

/// The monitor could not be asked for a snapshot: `monitor at HOST:PORT: <cause>`.
struct MonitorUnreachable: Error, CustomStringConvertible {
    /// The address given.
    var address: String
    /// Why the call failed.
    var cause: any Error

    var description: String { "monitor at \(address): \(cause)" }
}
