/// A trained fraud model: maps one transaction's inputs, in model order, to a fraud probability.
///
/// Learners consume raw inputs (each does its own standardisation, if any) and must accept NaN as a
/// missing value. Implementations are immutable values, safe to share between threads.
public protocol BinaryClassifier: Sendable {
    /// Number of inputs a row must have.
    var featureCount: Int { get }

    /// The fraud probability, in [0, 1], for one row of `featureCount` inputs.
    /// - Precondition: `row.count == featureCount`.
    func probability(of row: UnsafeBufferPointer<Double>) -> Double
}

extension BinaryClassifier {
    /// Scores rows of a column-major table (`features[f][row]`).
    /// - Returns: One probability per row in `rows`, in order.
    public func probabilities(features: [[Double]], rows: Range<Int>) -> [Double] {
        precondition(features.count == featureCount, "expected \(featureCount) feature columns")
        var result = [Double]()
        result.reserveCapacity(rows.count)
        var row = [Double](repeating: 0, count: featureCount)
        for index in rows {
            for feature in 0..<featureCount {
                row[feature] = features[feature][index]
            }
            result.append(row.withUnsafeBufferPointer { probability(of: $0) })
        }
        return result
    }
}
