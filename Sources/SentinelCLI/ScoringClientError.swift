/// An error of the scoring-service verbs (`score`, `replay`, `bench`) that is not a command-line mistake: bad
/// transaction input, data that does not fit the served model, or a reply the client cannot read.
struct ScoringClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidTransaction
            case featureMismatch
            case malformedReply
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A transaction in the input is malformed (JSON syntax, unknown field, wrong type).
        static let invalidTransaction = Code(.invalidTransaction)
        /// The data's inputs do not match the model's (missing or unknown features, wrong count).
        static let featureMismatch = Code(.featureMismatch)
        /// The server's reply could not be decoded or does not match the request.
        static let malformedReply = Code(.malformedReply)

        /// The code's name.
        var description: String {
            switch value {
            case .invalidTransaction: "invalid transaction"
            case .featureMismatch: "feature mismatch"
            case .malformedReply: "malformed reply"
            }
        }
    }

    /// What kind of failure this is.
    var code: Code
    /// A human-readable explanation naming the transaction and field.
    var message: String

    /// Creates an error.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message (the CLI prints it after `error: `).
    var description: String { message }
}
