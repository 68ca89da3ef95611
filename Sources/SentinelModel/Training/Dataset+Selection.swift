public import SentinelData

extension Dataset {
    /// The indices of the rows whose day lies in a window.
    /// - Parameters:
    ///   - from: First day (inclusive), or nil for no lower bound.
    ///   - to: Last day (inclusive), or nil for no upper bound.
    /// - Returns: Row indices in dataset order; all rows when both bounds are nil.
    /// - Throws: ``ModelError`` `.invalidData` when a bound is given but the data carries no dates.
    public func rowIndices(from: Day?, to: Day?) throws -> [Int] {
        if from == nil, to == nil { return Array(0..<rowCount) }
        guard days.count == rowCount else {
            throw ModelError(.invalidData, "the data has no dates, so it cannot be filtered by day")
        }
        return (0..<rowCount).filter { row in
            let day = days[row]
            return (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
        }
    }

    /// A dataset holding only the given rows, in the given order.
    /// - Parameter rows: Row indices, each in `0..<rowCount`.
    public func selecting(rows: [Int]) -> Dataset {
        func pick<T>(_ column: [T]) -> [T] { column.isEmpty ? [] : rows.map { column[$0] } }
        return Dataset(
            schema: schema,
            featureNames: featureNames,
            features: features.map(pick),
            labels: pick(labels),
            transactionIDs: pick(transactionIDs),
            cardIDs: pick(cardIDs),
            terminalIDs: pick(terminalIDs),
            eventTimes: pick(eventTimes),
            days: pick(days),
            amountFeatureIndex: amountFeatureIndex,
            rowCount: rows.count
        )
    }
}
