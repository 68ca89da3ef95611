import SentinelData
import SentinelSchema

/// Rows of a CSV data file as scoring-service transactions, with the inputs in the served model's order.
///
/// The file is loaded with `LoadOptions.featureColumns` set to the model's input names, so columns are matched by
/// name (any order) and a missing input is a `DataError` (`missingColumn`) naming it. Ids, card, terminal and
/// time come from the file when it has them; the amount is the input named `TX_AMOUNT`/`Amount`, else 0.
struct DatasetTransactions {
    /// The loaded rows.
    let dataset: Dataset
    /// Drift applied to every transaction built, if any.
    let drift: DriftSpec?

    /// Loads a data file for a model.
    /// - Parameters:
    ///   - path: The CSV file (gzip or plain).
    ///   - featureNames: The model's inputs, in order (from ModelInfo).
    ///   - from: First day kept (dated data only).
    ///   - to: Last day kept.
    ///   - limit: At most this many rows.
    ///   - drift: Drift to inject.
    /// - Throws: `DataError` from the loader (a missing input column names it).
    init(
        path: String, featureNames: [String], from: Day? = nil, to: Day? = nil, limit: Int? = nil,
        drift: DriftSpec? = nil
    ) throws {
        var options = LoadOptions()
        options.from = from
        options.to = to
        options.limit = limit
        options.featureColumns = featureNames
        dataset = try DatasetLoader.load(path: path, options: options)
        self.drift = drift
        guard dataset.featureNames == featureNames else {
            throw ScoringClientError(
                .featureMismatch,
                "\(path): inputs \(dataset.featureNames) do not match the model's \(featureNames)")
        }
    }

    /// The number of rows.
    var count: Int { dataset.rowCount }

    /// The id replay gives row `row`: the file's transaction id column when it has one, else the row's position
    /// among the rows loaded (1, 2, …, after `--from`/`--to`). `sentinel labels` uses the same rule, so labels
    /// match the replayed transactions.
    static func transactionID(_ dataset: Dataset, row: Int) -> String {
        dataset.transactionIDs.isEmpty ? String(row + 1) : dataset.transactionIDs[row]
    }

    /// Row `row` as a transaction, drift applied.
    func transaction(_ row: Int) -> Transaction {
        var features = dataset.features.map { $0[row] }
        drift?.apply(to: &features)
        var transaction = Transaction(features: features)
        transaction.id = Self.transactionID(dataset, row: row)
        if !dataset.cardIDs.isEmpty { transaction.cardId = dataset.cardIDs[row] }
        if !dataset.terminalIDs.isEmpty { transaction.terminalId = dataset.terminalIDs[row] }
        if !dataset.eventTimes.isEmpty { transaction.eventTimeMicroseconds = dataset.eventTimes[row] &* 1_000_000 }
        if let index = dataset.amountFeatureIndex { transaction.amount = features[index] }
        return transaction
    }
}
