/// Reads transaction files (CSV, plain or gzip-compressed, or standard input) into a `Dataset`.
///
/// The header decides the layout: the Handbook transformed and raw files, the ULB file and its
/// `Time,Amount,Class` reduction are recognised (see `DatasetSchema`); any other file is read by naming its feature
/// (and label) columns in `LoadOptions`. Gzip is detected by its magic bytes, not the file name. Input is streamed:
/// only the parsed columns are kept in memory, so a file larger than memory as text loads fine.
///
/// Every malformed row is an error naming the file, line and column, for example
/// `data.csv:1234: column TX_AMOUNT: 'abc' is not a number`, unless `LoadOptions.skipBadRows` is set. The
/// missing-value policy is on `Dataset`.
///
/// ```swift
/// let week = try DatasetLoader.load(
///     path: "../shared/data/handbook-sim-transformed-dev.csv.gz",
///     options: LoadOptions(from: Day("2018-07-25"), to: Day("2018-07-31")))
/// print(week.rowCount, week.labels.filter { $0 == 1 }.count)  // 67240 598
/// ```
public enum DatasetLoader {
    /// Loads a file, or standard input when `path` is `-`.
    /// - Parameters:
    ///   - path: A CSV file, plain or gzip-compressed, or `-`.
    ///   - options: Row filters, column choices and bad-row handling.
    /// - Returns: The rows kept, column by column.
    /// - Throws: `DataError` for I/O failures, corrupt compressed data, an unusable header or options, or a
    ///   malformed row (unless `options.skipBadRows`).
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> Dataset {
        let name = path == "-" ? "<stdin>" : path
        return try load(source: FileSource(path: path), name: name, options: options)
    }

    /// Loads CSV text (plain or gzip-compressed) held in memory.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - name: The name used in error messages.
    ///   - options: Row filters, column choices and bad-row handling.
    /// - Returns: The rows kept, column by column.
    /// - Throws: `DataError`, as `load(path:options:)`.
    public static func load(bytes: [UInt8], name: String = "<memory>", options: LoadOptions = LoadOptions())
        throws -> Dataset
    {
        try load(source: MemorySource(bytes), name: name, options: options)
    }

    /// Reads named numeric columns of any CSV file (plain, gzip or `-`), for drift comparisons.
    ///
    /// Empty fields are missing values (NaN); other columns are not looked at beyond counting fields.
    /// - Parameters:
    ///   - path: A CSV file, plain or gzip-compressed, or `-`.
    ///   - columns: Header names of the columns to read.
    /// - Returns: `result[c][row]`: the value of `columns[c]` in each row.
    /// - Throws: `DataError` when a column is missing or a value is not a number.
    public static func readColumns(path: String, columns: [String]) throws -> [[Double]] {
        let name = path == "-" ? "<stdin>" : path
        return try readColumns(source: FileSource(path: path), name: name, columns: columns)
    }

    /// Reads named numeric columns of CSV text held in memory.
    /// - Parameters:
    ///   - bytes: The file's contents, plain or gzip-compressed.
    ///   - name: The name used in error messages.
    ///   - columns: Header names of the columns to read.
    /// - Returns: `result[c][row]`: the value of `columns[c]` in each row.
    /// - Throws: `DataError` when a column is missing or a value is not a number.
    public static func readColumns(bytes: [UInt8], name: String = "<memory>", columns: [String]) throws -> [[Double]] {
        try readColumns(source: MemorySource(bytes), name: name, columns: columns)
    }

    static func load(source: any ByteSource, name: String, options: LoadOptions) throws -> Dataset {
        let reader = try openReader(source: source, name: name)
        let plan = try LoadPlan(header: try readHeader(reader), options: options, file: name)
        if let from = options.from, let to = options.to, from > to {
            throw DataError(.invalidOptions, "the day range \(from)..\(to) is empty", file: name)
        }
        if options.from != nil || options.to != nil, !plan.hasDates {
            throw DataError(
                .noDates, "a day filter was given but the file has no date column (TX_DATETIME)",
                file: name)
        }
        if let limit = options.limit, limit < 0 {
            throw DataError(.invalidOptions, "the row limit must not be negative", file: name)
        }
        let builder = DatasetBuilder(plan: plan, options: options, file: name)
        try builder.readRows(reader)
        return builder.makeDataset()
    }

    static func readColumns(source: any ByteSource, name: String, columns: [String]) throws -> [[Double]] {
        let reader = try openReader(source: source, name: name)
        let plan = try LoadPlan(header: try readHeader(reader), columns: columns, file: name)
        let builder = DatasetBuilder(plan: plan, options: LoadOptions(), file: name)
        try builder.readRows(reader)
        return builder.makeDataset().features
    }

    static func openReader(source: any ByteSource, name: String) throws -> CSVReader {
        CSVReader(source: try InputOpener.decompressingIfNeeded(source, name: name), name: name)
    }

    static func readHeader(_ reader: CSVReader) throws -> [String] {
        guard try reader.nextRecord() else {
            throw DataError(.emptyFile, "the file is empty (no header line)", file: reader.name)
        }
        return (0..<reader.fieldCount).map { reader.string($0) }
    }
}
