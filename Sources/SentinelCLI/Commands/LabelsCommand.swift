import SentinelArguments
import SentinelData
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// `sentinel labels --monitor HOST:PORT --data FILE`: reports the fraud labels of a data file's rows to the
/// monitor, as an issuer's chargebacks would arrive, so it can show the confirmed fraud rate, precision and recall.
enum LabelsCommand {
    static let command = Command(
        words: ["labels"],
        summary: "report a data file's fraud labels to the monitor (delayed ground truth for replayed traffic)",
        usage:
            "sentinel labels --monitor HOST:PORT --data FILE [--from DAY --to DAY] [--limit N] [--delay DURATION] "
            + "[--batch B] [--label COLUMN] [--timeout SECONDS] [--token-file FILE]",
        details: """
            \(ConnectionOptions.Flags.monitor.help(width: 24))
              --data FILE           the CSV (plain or gzip) that was replayed; its Class or TX_FRAUD column holds
                                    the labels (1 fraud, 0 genuine)
              --from DAY, --to DAY  the same days as the replay (YYYY-MM-DD, inclusive), so the ids match
              --limit N             the same --limit as the replay
              --delay DURATION      wait this long before reporting, as chargebacks arrive after the
                                    transactions (e.g. 30s, 5m)
              --batch B             labels per ReportLabels request (default 1000)
              --label COLUMN        the label column, for files of an unrecognised layout

            Transaction ids are those sentinel replay gives: the file's TRANSACTION_ID column when it has one,
            else the row's position among the rows read (1, 2, …). A label whose transaction the monitor has not
            seen yet is kept until its event arrives.
            """
    ) { arguments, console in
        let connection = try ConnectionOptions(parsing: &arguments, .monitor)
        let path = try arguments.required("--data")
        let from = try Formatting.day(arguments.option("--from"), option: "--from")
        let to = try Formatting.day(arguments.option("--to"), option: "--to")
        let limit = try arguments.option("--limit", as: Int.self)
        let delay = try arguments.duration("--delay")
        let batch = try arguments.option("--batch", as: Int.self) ?? LabelReporter.defaultBatch
        let label = try arguments.option("--label")
        try arguments.finish()
        if let limit, limit < 1 { throw UsageError("invalid value for --limit: \(limit) (≥ 1)") }
        guard (1...100_000).contains(batch) else { throw UsageError("invalid value for --batch: \(batch) (1…100000)") }
        if let from, let to, from > to { throw UsageError("--from \(from) is after --to \(to)") }

        let dataset = try DatasetLoader.load(
            path: path, options: LoadOptions(from: from, to: to, labelColumn: label, limit: limit))
        var reporter = try LabelReporter(dataset: dataset, path: path, batch: batch)
        guard dataset.rowCount > 0 else {
            throw ScoringClientError(.featureMismatch, "\(path): no rows (check --from/--to)")
        }
        if let delay {
            console.printError("holding \(dataset.rowCount) labels for \(Formatting.seconds(delay))…")
            try await Task.sleep(for: delay)
        }
        let address = connection.address
        do {
            try await TCPClient.withClient(address: address, configuration: connection.client) { client in
                try await reporter.report(rows: 0..<dataset.rowCount, client: client, timeout: connection.timeout)
            }
        } catch let error as RPCError {
            throw MonitorUnreachable(address: address.description, cause: error)
        }
        console.print(reporter.summary(monitor: address.description))
        return ExitCode.success
    }
}
