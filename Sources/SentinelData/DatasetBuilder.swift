/// Accumulates the rows of one file into columns, applying a `LoadPlan` and the row options.
final class DatasetBuilder {
    private let plan: LoadPlan
    private let options: LoadOptions
    private let file: String
    private let columnCount: Int
    private let featureCount: Int
    private let transactionColumn: Int?
    private let cardColumn: Int?
    private let terminalColumn: Int?
    private let dateColumn: Int?

    private let features: UnsafeMutablePointer<GrowableColumn<Double>>
    private var labels = GrowableColumn<UInt8>()
    private var transactionIDs: [String] = []
    private var cardIDs: [String] = []
    private var terminalIDs: [String] = []
    private var eventTimes = GrowableColumn<Int64>()
    private var days = GrowableColumn<Day>()
    private var rowCount = 0
    private var skipped = SkippedRows()

    /// The row being parsed; committed to the columns only once every field is valid and the row passes the filter.
    private let rowFeatures: UnsafeMutablePointer<Double>
    private var rowLabel: UInt8 = 0
    private var rowTime: Int64 = 0
    private var rowDay = Day(daysSinceEpoch: 0)

    init(plan: LoadPlan, options: LoadOptions, file: String) {
        self.plan = plan
        self.options = options
        self.file = file
        columnCount = plan.header.count
        featureCount = plan.featureNames.count
        func column(of action: LoadPlan.Action) -> Int? { plan.actions.first { $0.action == action }?.column }
        transactionColumn = column(of: .transactionID)
        cardColumn = column(of: .cardID)
        terminalColumn = column(of: .terminalID)
        dateColumn = column(of: .dateTime)
        features = .allocate(capacity: max(1, featureCount))
        for index in 0..<featureCount { (features + index).initialize(to: GrowableColumn()) }
        rowFeatures = .allocate(capacity: max(1, featureCount))
    }

    deinit {
        for index in 0..<featureCount { features[index].deallocate() }
        features.deallocate()
        labels.deallocate()
        eventTimes.deallocate()
        days.deallocate()
        rowFeatures.deallocate()
    }

    /// Reads every remaining record of `reader`.
    /// - Throws: The first malformed row's `DataError`, unless bad rows are skipped; I/O and decompression errors
    ///   always.
    func readRows(_ reader: CSVReader) throws {
        let limit = options.limit ?? Int.max
        guard limit > 0 else { return }
        while true {
            do {
                guard try reader.nextRecord() else { return }
                if try parseRow(reader) {
                    commit(reader)
                    if rowCount >= limit { return }
                }
            } catch let error as DataError where options.skipBadRows && DatasetBuilder.isRowError(error.code) {
                skipped.count += 1
                if skipped.examples.count < SkippedRows.exampleLimit { skipped.examples.append(error) }
                if error.code == .malformedQuoting { try reader.skipLine() }
            }
        }
    }

    private static func isRowError(_ code: DataError.Code) -> Bool {
        [.wrongFieldCount, .malformedQuoting, .invalidNumber, .invalidLabel, .invalidDate, .missingValue]
            .contains(code)
    }

    /// The collected columns.
    func makeDataset() -> Dataset {
        var dataset = Dataset(
            schema: plan.schema, featureNames: plan.featureNames,
            features: (0..<featureCount).map { features[$0].makeArray() }, labels: labels.makeArray(),
            transactionIDs: transactionIDs, cardIDs: cardIDs, terminalIDs: terminalIDs,
            eventTimes: eventTimes.makeArray(), days: days.makeArray(), amountFeatureIndex: plan.amountFeatureIndex,
            rowCount: rowCount)
        dataset.skippedRows = skipped
        return dataset
    }

    private func fieldError(
        _ code: DataError.Code, _ reader: CSVReader, column: Int, _ describe: (String) -> String
    ) -> DataError {
        let bytes = reader.field(column)
        var text = String(decoding: bytes.prefix(40), as: UTF8.self)
        if bytes.count > 40 { text += "…" }
        return DataError(
            code, describe(text), file: file, line: reader.line, column: plan.header[column])
    }

    /// Parses the current record into the row scratch space.
    /// - Returns: Whether the row passes the day filter.
    private func parseRow(_ reader: CSVReader) throws -> Bool {
        guard reader.fieldCount == columnCount else {
            throw DataError(
                .wrongFieldCount,
                "expected \(columnCount) fields (as in the header), found \(reader.fieldCount)", file: file,
                line: reader.line)
        }
        if let dateColumn, options.from != nil || options.to != nil {
            // Filter first: rows outside the day range are only checked for field count and date-time.
            let field = reader.field(dateColumn)
            if let parsed = NumberParser.parseDateTime(field.baseAddress!, count: field.count) {
                if let from = options.from, parsed.day < from { return false }
                if let to = options.to, parsed.day > to { return false }
            }
        }
        for (column, action) in plan.actions {
            let field = reader.field(column)
            switch action {
            case .feature(let index):
                if field.isEmpty {
                    rowFeatures[index] = .nan
                } else if let value = NumberParser.parseDouble(field.baseAddress!, count: field.count) {
                    rowFeatures[index] = value
                } else {
                    throw fieldError(.invalidNumber, reader, column: column) { "'\($0)' is not a number" }
                }
            case .label:
                if field.count == 1, field[0] == UInt8(ascii: "0") || field[0] == UInt8(ascii: "1") {
                    rowLabel = field[0] &- UInt8(ascii: "0")
                } else if field.isEmpty {
                    throw fieldError(.missingValue, reader, column: column) { _ in "the label is empty" }
                } else if let value = NumberParser.parseDouble(field.baseAddress!, count: field.count),
                    value == 0 || value == 1
                {
                    rowLabel = value == 1 ? 1 : 0
                } else {
                    throw fieldError(.invalidLabel, reader, column: column) { "label '\($0)' is not 0 or 1" }
                }
            case .transactionID, .cardID, .terminalID:
                if field.isEmpty {
                    throw fieldError(.missingValue, reader, column: column) { _ in "the identifier is empty" }
                }
            case .dateTime:
                if let parsed = NumberParser.parseDateTime(field.baseAddress!, count: field.count) {
                    rowTime = parsed.seconds
                    rowDay = parsed.day
                } else if field.isEmpty {
                    throw fieldError(.missingValue, reader, column: column) { _ in "the date-time is empty" }
                } else {
                    throw fieldError(.invalidDate, reader, column: column) {
                        "'\($0)' is not a valid date-time (YYYY-MM-DD HH:MM:SS)"
                    }
                }
            case .relativeTime:
                guard !field.isEmpty else {
                    throw fieldError(.missingValue, reader, column: column) { _ in "the time is empty" }
                }
                guard let value = NumberParser.parseDouble(field.baseAddress!, count: field.count),
                    value >= 0, value < 9.0e15, value.rounded(.towardZero) == value
                else {
                    throw fieldError(.invalidNumber, reader, column: column) {
                        "'\($0)' is not a whole, non-negative number of seconds"
                    }
                }
                rowTime = Int64(value)
            }
        }
        if let from = options.from, rowDay < from { return false }
        if let to = options.to, rowDay > to { return false }
        return true
    }

    private func commit(_ reader: CSVReader) {
        for index in 0..<featureCount { features[index].append(rowFeatures[index]) }
        for (_, action) in plan.actions {
            switch action {
            case .label: labels.append(rowLabel)
            case .dateTime:
                eventTimes.append(rowTime)
                days.append(rowDay)
            case .relativeTime: eventTimes.append(rowTime)
            default: break
            }
        }
        if let transactionColumn { transactionIDs.append(reader.string(transactionColumn)) }
        if let cardColumn { cardIDs.append(reader.string(cardColumn)) }
        if let terminalColumn { terminalIDs.append(reader.string(terminalColumn)) }
        rowCount += 1
    }
}
