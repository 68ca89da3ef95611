public import SentinelData

extension Learner {
    /// Scores chosen rows of a dataset through the learner's batch path.
    /// - Parameters:
    ///   - dataset: The data; its inputs must be in the model's order.
    ///   - rows: Row indices to score, in any order.
    /// - Returns: One probability per index in `rows`.
    /// - Throws: ``ModelError`` `.invalidData` when the dataset's input count differs from the model's.
    public func scores(dataset: Dataset, rows: [Int]) throws -> [Double] {
        guard dataset.features.count == featureCount else {
            throw ModelError(
                .invalidData, "the model takes \(featureCount) inputs; the data has \(dataset.features.count)")
        }
        let columns = dataset.features.map { column in rows.map { column[$0] } }
        return scores(features: columns, rows: 0..<rows.count)
    }
}
