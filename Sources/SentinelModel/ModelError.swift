/// A failure in training, evaluating, saving or loading a model.
///
/// Every bad input gets one of these, with a ``Code`` callers can match and a message a person can act on.
///
/// ```swift
/// do {
///     _ = try ModelFile(decoding: bytes)
/// } catch let error as ModelError where error.code == .corrupted {
///     print("the file was damaged:", error.message)
/// }
/// ```
public struct ModelError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidArgument = "invalid argument"
            case invalidData = "invalid data"
            case noPositives = "no positives"
            case truncated = "truncated"
            case corrupted = "corrupted"
            case unsupportedFormat = "unsupported format"
            case unsupportedVersion = "unsupported version"
            case unsupportedModel = "unsupported model"
            case inconsistent = "inconsistent"
            case notConverged = "not converged"
            case io = "i/o"
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A parameter is out of range or two parameters contradict each other.
        public static let invalidArgument = Code(.invalidArgument)
        /// The data cannot be used as given: wrong sizes, NaN scores, missing columns, no rows.
        public static let invalidData = Code(.invalidData)
        /// A metric needs at least one fraud (and one genuine row) and the data has none.
        public static let noPositives = Code(.noPositives)
        /// A model file ends before its content does.
        public static let truncated = Code(.truncated)
        /// A model file's content does not match its hash, or is not valid JSON.
        public static let corrupted = Code(.corrupted)
        /// The file is not a Sentinel model file.
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// The file is a Sentinel model file of a version this build cannot read.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A model file of another library holds something Sentinel cannot import exactly: an objective, an
        /// operator, a split type.
        public static let unsupportedModel = Code(.unsupportedModel)
        /// The file's parts disagree (sizes, names, counts).
        public static let inconsistent = Code(.inconsistent)
        /// The solver did not reach its tolerance within its iteration limit.
        public static let notConverged = Code(.notConverged)
        /// Reading or writing a file failed.
        public static let io = Code(.io)

        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in one sentence.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message) (\(cause))" }
        return "\(code): \(message)"
    }
}
