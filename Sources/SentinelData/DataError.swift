/// A failure to read or interpret a data file, located as precisely as possible (file, line, column).
///
/// The description reads like a compiler diagnostic, for example
/// `data.csv:1234: column TX_AMOUNT: 'abc' is not a number`.
///
/// ```swift
/// do {
///     _ = try DatasetLoader.load(path: "data.csv")
/// } catch let error as DataError where error.code == .invalidNumber {
///     print(error)  // data.csv:1234: column TX_AMOUNT: 'abc' is not a number
/// }
/// ```
public struct DataError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; stable across releases, unlike `message`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case cannotOpen, readFailed, corruptCompressedData, truncatedCompressedData
            case emptyFile, missingColumn, duplicateColumn, unrecognizedHeader, invalidOptions
            case wrongFieldCount, malformedQuoting, recordTooLong
            case invalidNumber, invalidLabel, invalidDate, missingValue, noDates
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The file does not exist or cannot be opened.
        public static let cannotOpen = Code(.cannotOpen)
        /// Reading the file failed part-way (an I/O error).
        public static let readFailed = Code(.readFailed)
        /// The gzip data is invalid: bad header, bad Huffman codes, bad distance, CRC-32 or length mismatch.
        public static let corruptCompressedData = Code(.corruptCompressedData)
        /// The gzip data ends before its last member is complete.
        public static let truncatedCompressedData = Code(.truncatedCompressedData)
        /// The file has no header line.
        public static let emptyFile = Code(.emptyFile)
        /// A column named in the options (or required by the schema) is not in the header.
        public static let missingColumn = Code(.missingColumn)
        /// The header names the same column twice.
        public static let duplicateColumn = Code(.duplicateColumn)
        /// The header matches no known layout and the options do not name the feature columns.
        public static let unrecognizedHeader = Code(.unrecognizedHeader)
        /// The load options contradict each other or the file (for example `from` after `to`).
        public static let invalidOptions = Code(.invalidOptions)
        /// A row has more or fewer fields than the header.
        public static let wrongFieldCount = Code(.wrongFieldCount)
        /// A quoted field is not closed, or a quote appears inside an unquoted field.
        public static let malformedQuoting = Code(.malformedQuoting)
        /// A record is longer than the reader's limit (usually an unterminated quote).
        public static let recordTooLong = Code(.recordTooLong)
        /// A numeric field is not a decimal number (`NaN` and `inf` are rejected too).
        public static let invalidNumber = Code(.invalidNumber)
        /// A label is not `0` or `1`.
        public static let invalidLabel = Code(.invalidLabel)
        /// A date-time is not `YYYY-MM-DD HH:MM:SS` or names an impossible date or time.
        public static let invalidDate = Code(.invalidDate)
        /// A label, identifier or date field is empty (only feature values may be missing).
        public static let missingValue = Code(.missingValue)
        /// A day filter was given but the file has no date column.
        public static let noDates = Code(.noDates)

        /// The code's name, for example `invalidNumber`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, without the location.
    public var message: String
    /// The file as the user named it (`<stdin>` for standard input).
    public var file: String
    /// The 1-based line where the offending record starts, when the failure concerns one record.
    public var line: Int?
    /// The header name of the offending column, when the failure concerns one field.
    public var column: String?
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: What went wrong, without the location.
    ///   - file: The file as the user named it.
    ///   - line: The 1-based line of the offending record, if any.
    ///   - column: The header name of the offending column, if any.
    ///   - cause: The underlying error, if any.
    public init(
        _ code: Code, _ message: String, file: String, line: Int? = nil, column: String? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.cause = cause
    }

    /// `file:line: column NAME: message`, leaving out the parts that are unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "column \(column): " }
        text += message
        if let cause { text += " (\(cause))" }
        return text
    }
}
