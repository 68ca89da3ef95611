import SentinelModel
import SentinelSchema

/// A ScoreBatch's transactions after validation: the valid ones' inputs copied row after row into scratch memory
/// (for one batch call into the learner), their request indices, and the problem of each invalid one.
///
/// Lives only inside one ScoreBatch call: `rows` and `indices` are scratch memory owned by that call, and
/// `transactions` point into the request being handled.
struct ValidatedBatch {
    /// The request's transactions, in order.
    let transactions: UnsafeBufferPointer<Transaction.View>
    /// The valid transactions' inputs, `validCount` rows of the model's width.
    let rows: UnsafeMutableBufferPointer<Double>
    /// The request index of each valid transaction, ascending.
    let indices: UnsafeMutableBufferPointer<Int>
    /// How many transactions are valid.
    private(set) var validCount = 0
    /// Why each invalid transaction was refused, by request index.
    private(set) var problems: [Int: ScoringError] = [:]

    init(
        transactions: UnsafeBufferPointer<Transaction.View>, rows: UnsafeMutableBufferPointer<Double>,
        indices: UnsafeMutableBufferPointer<Int>
    ) {
        self.transactions = transactions
        self.rows = rows
        self.indices = indices
    }

    /// Checks every transaction against the model's inputs; copies the valid ones' inputs into `rows`.
    mutating func validate(model: ModelHandle) {
        let width = model.learner.featureCount
        for index in transactions.indices {
            let transaction = transactions[index]
            guard TransactionValidator.isValid(transaction, featureCount: width) else {
                // The rare path: an owned copy gives the exact message the Score path gives.
                problems[index] =
                    TransactionValidator.problem(in: transaction.copy(), index: index, featureNames: model.featureNames)
                    ?? ScoringError(.invalidTransaction, "transaction \(index) is invalid")
                continue
            }
            if width > 0 {
                UnsafeMutableRawPointer(rows.baseAddress! + validCount * width).copyMemory(
                    from: transaction.features.baseAddress!, byteCount: width * MemoryLayout<Double>.stride)
            }
            indices[validCount] = index
            validCount += 1
        }
    }
}
