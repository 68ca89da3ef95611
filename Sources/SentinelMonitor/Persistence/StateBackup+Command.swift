public import SentinelArguments

extension StateBackup {
    /// The usage line of `sentinel-monitor backup`.
    public static let usage = "usage: sentinel-monitor backup [--state-dir DIR] DEST"

    /// The `--help` text of `sentinel-monitor backup`.
    public static let help = """
        \(usage)

        Copies the monitor's state directory to DEST (a new or empty directory) while the monitor runs or while it
        is stopped: the newest valid snapshot and the write-ahead log after it, up to the last position the monitor
        synced. To restore: stop the monitor, replace the state directory with a copy of DEST, start the monitor;
        producers resend what they retained of the events acknowledged after the backup.

        options:
          --state-dir DIR        the monitor's state directory (env SENTINEL_MONITOR_STATE_DIR; required)
          --help                 show this help
        """

    /// Runs `sentinel-monitor backup`: parses its arguments and copies.
    /// - Parameter arguments: The arguments after `backup`.
    /// - Returns: One line saying what was copied.
    /// - Throws: `UsageError` for a missing state directory or destination or an unknown flag; ``PersistenceError``
    ///   when the copy fails.
    public static func command(_ arguments: inout Arguments) throws -> String {
        let source = try arguments.required("--state-dir", environment: "SENTINEL_MONITOR_STATE_DIR")
        guard let destination = arguments.positional() else { throw UsageError("the destination DEST is missing") }
        try arguments.finish()
        let result = try copy(from: source, to: destination)
        let state = result.whileRunning ? "running; cut at its synced log position" : "stopped"
        return "backup of \(source) (monitor \(state)) to \(destination): position \(result.position), "
            + "snapshot \(result.snapshot ?? "none"), \(result.files.count) files, \(result.bytes) bytes"
    }
}
