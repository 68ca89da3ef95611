/// An error from the drift statistics: bad input to a drift computation or report.
///
/// ```swift
/// do { _ = try DriftReport(columns: ["a"], reference: [[]], current: [[1]]) }
/// catch let error as DriftError where error.code == .emptySample { print(error) }
/// ```
public struct DriftError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case emptySample
            case shapeMismatch
            case invalidOption
            case unknownColumn
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A sample (a column, after removing missing values) has no values.
        public static let emptySample = Code(.emptySample)
        /// Column names and value arrays, or the two sides, don't line up.
        public static let shapeMismatch = Code(.shapeMismatch)
        /// An option is out of range (bins, thresholds, window length…).
        public static let invalidOption = Code(.invalidOption)
        /// A requested column does not exist.
        public static let unknownColumn = Code(.unknownColumn)

        /// The code's name.
        public var description: String {
            switch value {
            case .emptySample: "empty sample"
            case .shapeMismatch: "shape mismatch"
            case .invalidOption: "invalid option"
            case .unknownColumn: "unknown column"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming the offending input.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: A human-readable explanation naming the offending input.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "\(code): \(message)" }
}
