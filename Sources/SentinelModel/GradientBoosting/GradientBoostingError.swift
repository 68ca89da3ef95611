/// An error from training or loading gradient-boosted trees: bad inputs, bad parameters or an inconsistent model.
///
/// ```swift
/// do { _ = try trainer.fit(features: columns, labels: labels) } catch let error as GradientBoostingError {
///     if error.code == .noPositives { print(error.message) }
/// }
/// ```
public struct GradientBoostingError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, as a closed set of cases that callers can compare.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidParameter, emptyData, mismatchedLengths, nonBinaryLabel, noPositives, noNegatives
            case invalidModel
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A parameter is outside its documented range.
        public static let invalidParameter = Code(.invalidParameter)
        /// There are no rows or no feature columns.
        public static let emptyData = Code(.emptyData)
        /// Feature columns and labels (or validation columns) disagree in length or count.
        public static let mismatchedLengths = Code(.mismatchedLengths)
        /// A label is neither 0 nor 1.
        public static let nonBinaryLabel = Code(.nonBinaryLabel)
        /// The training labels contain no 1 (fraud).
        public static let noPositives = Code(.noPositives)
        /// The training labels contain no 0 (genuine).
        public static let noNegatives = Code(.noNegatives)
        /// A decoded or assembled model is internally inconsistent.
        public static let invalidModel = Code(.invalidModel)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation naming the offending value.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A human-readable explanation naming the offending value.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"gradient boosting: <code>: <message>"`.
    public var description: String { "\(code): \(message)" }
}
