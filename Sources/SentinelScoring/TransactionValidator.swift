public import SentinelSchema

/// The service's rules for one transaction, checked before scoring.
///
/// A transaction is scored only when its id is non-empty and free of U+0000, its amount is finite and
/// non-negative, and it has exactly the model's number of features, each finite (a missing value is refused rather
/// than imputed: the caller must send what the model was trained on). The first broken rule is reported, with a
/// message naming the transaction — its id, and its batch index inside a batch — and the field.
///
/// ```swift
/// if let problem = TransactionValidator.problem(in: transaction, index: nil, featureNames: model.featureNames) {
///     throw problem
/// }
/// ```
public enum TransactionValidator {
    /// The first rule `transaction` breaks, or `nil` when it may be scored.
    /// - Parameters:
    ///   - transaction: The transaction.
    ///   - index: Its position in a batch, or `nil` for a single Score request.
    ///   - featureNames: The model's inputs, in order (their count is the required feature count).
    /// - Returns: A ``ScoringError`` `.invalidTransaction` with the field set, or `nil`.
    public static func problem(in transaction: Transaction, index: Int?, featureNames: [String]) -> ScoringError? {
        let name = label(transaction, index: index)
        if transaction.id.isEmpty {
            return ScoringError(.invalidTransaction, "\(name): id is empty", field: "id")
        }
        if transaction.id.utf8.contains(0) {
            return ScoringError(.invalidTransaction, "\(name): id contains U+0000", field: "id")
        }
        let amount = transaction.amount
        if !amount.isFinite {
            return ScoringError(.invalidTransaction, "\(name): amount is \(describe(amount))", field: "amount")
        }
        if amount < 0 {
            return ScoringError(.invalidTransaction, "\(name): amount is negative (\(amount))", field: "amount")
        }
        let features = transaction.features
        if features.count != featureNames.count {
            return ScoringError(
                .invalidTransaction,
                "\(name): expected \(featureNames.count) features (\(featureNames.first ?? "")…"
                    + "\(featureNames.last ?? "")), got \(features.count)",
                field: "features")
        }
        for position in features.indices where !features[position].isFinite {
            return ScoringError(
                .invalidTransaction,
                "\(name): features[\(position)] (\(featureNames[position])) is \(describe(features[position]))",
                field: "features[\(position)]")
        }
        return nil
    }

    /// Whether a transaction read in place breaks none of the rules (the check of
    /// ``problem(in:index:featureNames:)``, without building a message); call that one, on a copy, for the problem.
    /// - Parameters:
    ///   - transaction: The transaction, read in place (its id cannot hold U+0000: protobuf-c strings end there).
    ///   - featureCount: The model's number of inputs.
    /// - Returns: `true` when it may be scored.
    @inline(__always)
    public static func isValid(_ transaction: Transaction.View, featureCount: Int) -> Bool {
        guard !transaction.id.isEmpty, transaction.amount.isFinite, transaction.amount >= 0,
            transaction.features.count == featureCount
        else { return false }
        var finite = true
        for value in transaction.features { finite = finite && value.isFinite }
        return finite
    }

    /// `transaction 'tx-1'`, or `transaction 3 ('tx-1')` inside a batch, or `transaction 3` when the id is empty.
    static func label(_ transaction: Transaction, index: Int?) -> String {
        let id = transaction.id.isEmpty ? nil : transaction.id.replacingNulls()
        switch (index, id) {
        case (let index?, let id?): return "transaction \(index) ('\(id)')"
        case (let index?, nil): return "transaction \(index)"
        case (nil, let id?): return "transaction '\(id)'"
        case (nil, nil): return "transaction"
        }
    }

    private static func describe(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return "\(value)"
    }
}

extension String {
    /// The string with U+0000 shown as `\0`, so it can be quoted in a message.
    fileprivate func replacingNulls() -> String {
        utf8.contains(0) ? String(unicodeScalars.map { $0 == "\0" ? "\\0" : String($0) }.joined()) : self
    }
}
