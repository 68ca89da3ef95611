public import SentinelData

/// The test transactions that remain after removing known compromised cards.
///
/// ```swift
/// let selection = try TestSelection(dataset: dataset, settings: settings)
/// print(selection.rows.count, selection.droppedRows)
/// ```
public struct TestSelection: Sendable, Equatable {
    /// Indices into the dataset of the test rows kept, in dataset order.
    public var rows: [Int]
    /// Test-window rows before the filter.
    public var testWindowRows: Int
    /// Test-window rows dropped because their card was known to be compromised.
    public var droppedRows: Int

    /// Creates a selection from stored parts.
    public init(rows: [Int], testWindowRows: Int, droppedRows: Int) {
        self.rows = rows
        self.testWindowRows = testWindowRows
        self.droppedRows = droppedRows
    }

    /// Selects the test rows of a dataset.
    ///
    /// The dataset must hold the test window and, for the known-frauds rule, the days from
    /// `settings.trainingStart` up to the last test day − delay − 1 (rows on other days are ignored).
    /// - Parameters:
    ///   - dataset: Rows with labels, card ids and days.
    ///   - settings: The protocol parameters.
    /// - Throws: ``ModelError`` `.invalidData` when the dataset lacks labels, card ids or days, or has no row
    ///   in the test window.
    public init(dataset: Dataset, settings: EvaluationSettings) throws {
        let n = dataset.rowCount
        guard dataset.labels.count == n, dataset.cardIDs.count == n, dataset.days.count == n else {
            throw ModelError(
                .invalidData,
                "evaluation needs a label, a card id and a date for every row "
                    + "(the data has \(dataset.labels.count) labels, \(dataset.cardIDs.count) card ids, "
                    + "\(dataset.days.count) dates for \(n) rows)"
            )
        }
        let lastKnownDay = settings.testTo.adding(days: -settings.delayDays - 1)
        // For every card, its earliest fraud on or after the training start: that is when it became known.
        var firstFraud: [String: Day] = [:]
        for row in 0..<n where dataset.labels[row] == 1 {
            let day = dataset.days[row]
            guard day >= settings.trainingStart, day <= lastKnownDay else { continue }
            let card = dataset.cardIDs[row]
            if let known = firstFraud[card], known <= day { continue }
            firstFraud[card] = day
        }
        var rows: [Int] = []
        var windowRows = 0
        for row in 0..<n {
            let day = dataset.days[row]
            guard day >= settings.testFrom, day <= settings.testTo else { continue }
            windowRows += 1
            if let known = firstFraud[dataset.cardIDs[row]], known <= day.adding(days: -settings.delayDays - 1) {
                continue
            }
            rows.append(row)
        }
        guard windowRows > 0 else {
            throw ModelError(
                .invalidData, "no transactions between \(settings.testFrom) and \(settings.testTo) in the data")
        }
        self.init(rows: rows, testWindowRows: windowRows, droppedRows: windowRows - rows.count)
    }
}
