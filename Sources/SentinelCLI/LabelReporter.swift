import Glibc
import SentinelData
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire

/// Reports fraud labels of a data file's rows to the monitor (ReportLabels), in batches, with running totals —
/// for `sentinel labels` and `sentinel replay --labels-after`.
///
/// Labels carry the ids replay gives the rows (``DatasetTransactions/transactionID(_:row:)``), so they meet the
/// scored transactions' events in the monitor.
///
/// ```swift
/// var reporter = try LabelReporter(dataset: dataset, path: path)
/// try await reporter.report(rows: 0..<dataset.rowCount, client: client)
/// ```
struct LabelReporter {
    /// Labels per ReportLabels request.
    static let defaultBatch = 1_000

    private let dataset: Dataset
    private let batch: Int
    /// Labels sent.
    private(set) var sent = 0
    /// Fraud labels sent.
    private(set) var frauds = 0
    /// ReportLabels requests made.
    private(set) var requests = 0
    /// The monitor's answers, summed.
    private(set) var totals = ReportLabelsResponse()

    /// Prepares to report the labels of `dataset`'s rows.
    /// - Parameters:
    ///   - dataset: The rows, loaded as replay loads them.
    ///   - path: The file, for the error.
    ///   - batch: Labels per request.
    /// - Throws: ``ScoringClientError`` when the file has no label column.
    init(dataset: Dataset, path: String, batch: Int = LabelReporter.defaultBatch) throws {
        guard dataset.labels.count == dataset.rowCount else {
            throw ScoringClientError(
                .featureMismatch, "\(path): no label column (Class or TX_FRAUD; --label COLUMN for another name)")
        }
        self.dataset = dataset
        self.batch = batch
    }

    /// Reports the labels of `rows`, `batch` at a time, labelled now.
    /// - Throws: The call's ``RPCError``, or ``WrongServiceError`` when the address is not a monitor.
    mutating func report(rows: some Collection<Int>, client: TCPClient, timeout: Duration) async throws {
        let now = Self.unixMicroseconds()
        let rows = Array(rows)
        for start in stride(from: 0, to: rows.count, by: batch) {
            let chunk = rows[start..<min(start + batch, rows.count)]
            let labels = chunk.map { row in
                ReportLabelsRequest.Label(
                    transactionId: DatasetTransactions.transactionID(dataset, row: row),
                    label: dataset.labels[row] == 1 ? .fraud : .genuine, labelledAtMicroseconds: now)
            }
            let reply = try await ServiceKind.monitor.call(
                client, .monitorReportLabels, payload: ReportLabelsRequest(labels: labels).serializedBytes(),
                timeout: timeout)
            let response: ReportLabelsResponse
            do {
                response = try ReportLabelsResponse(serializedBytes: reply)
            } catch {
                throw ScoringClientError(.malformedReply, "malformed ReportLabelsResponse from the monitor: \(error)")
            }
            requests += 1
            sent += labels.count
            frauds += labels.count(where: { $0.label == .fraud })
            totals.accepted += response.accepted
            totals.relabelled += response.relabelled
            totals.unknownTransactions += response.unknownTransactions
        }
    }

    /// One line: what was reported and what the monitor made of it.
    func summary(monitor: String) -> String {
        "labels \(sent) reported to \(monitor) (\(frauds) fraud, \(sent - frauds) genuine) in \(requests) "
            + "requests: \(totals.accepted) matched a scored transaction, \(totals.relabelled) relabelled, "
            + "\(totals.unknownTransactions) not scored yet (kept until their events arrive)"
    }

    /// Microseconds since the Unix epoch.
    static func unixMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }
}
