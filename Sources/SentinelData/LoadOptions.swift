/// How to load a transaction file: which rows to keep, which columns to use, and how to treat bad rows.
///
/// ```swift
/// var options = LoadOptions()
/// options.from = Day("2018-07-25")
/// options.to = Day("2018-07-31")
/// let week = try DatasetLoader.load(path: "handbook.csv.gz", options: options)
/// ```
public struct LoadOptions: Sendable, Equatable {
    /// Keep only rows on or after this day (inclusive). Requires a file with dates. Rows outside the range are
    /// checked only for their field count and date.
    public var from: Day?
    /// Keep only rows on or before this day (inclusive). Requires a file with dates.
    public var to: Day?
    /// The model inputs, by header name and in model order; `nil` uses the schema's default inputs.
    /// Required for a header that matches no known layout.
    public var featureColumns: [String]?
    /// The label column (values `0`/`1`); `nil` uses the schema's label (`TX_FRAUD`, `Class`), if the file has it.
    /// A custom file without a named label column loads with empty `labels` (for scoring or drift).
    public var labelColumn: String?
    /// Skip malformed rows instead of failing; they are counted in `Dataset.skippedRows`.
    public var skipBadRows: Bool
    /// Stop after this many rows have been kept (after the day filter).
    public var limit: Int?

    /// Creates options; the defaults load every row of a recognised file and fail on the first malformed row.
    /// - Parameters:
    ///   - from: First day kept (inclusive).
    ///   - to: Last day kept (inclusive).
    ///   - featureColumns: Model inputs by name, in order.
    ///   - labelColumn: The label column's name.
    ///   - skipBadRows: Skip and count malformed rows instead of failing.
    ///   - limit: Maximum number of rows kept.
    public init(
        from: Day? = nil, to: Day? = nil, featureColumns: [String]? = nil, labelColumn: String? = nil,
        skipBadRows: Bool = false, limit: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.featureColumns = featureColumns
        self.labelColumn = labelColumn
        self.skipBadRows = skipBadRows
        self.limit = limit
    }
}

/// Rows left out by `LoadOptions.skipBadRows`: how many, and why the first few were rejected.
///
/// ```swift
/// let dataset = try DatasetLoader.load(path: "data.csv", options: LoadOptions(skipBadRows: true))
/// if dataset.skippedRows.count > 0 {
///     print("skipped \(dataset.skippedRows.count) rows, first: \(dataset.skippedRows.examples[0])")
/// }
/// ```
public struct SkippedRows: Sendable {
    /// How many of the first rejections are kept in `examples`.
    public static let exampleLimit = 5

    /// The number of rows skipped.
    public var count: Int
    /// The errors of the first `exampleLimit` skipped rows, each naming file, line and column.
    public var examples: [DataError]

    /// Creates a record of skipped rows.
    /// - Parameters:
    ///   - count: How many rows were skipped.
    ///   - examples: The errors of the first few.
    public init(count: Int = 0, examples: [DataError] = []) {
        self.count = count
        self.examples = examples
    }
}
