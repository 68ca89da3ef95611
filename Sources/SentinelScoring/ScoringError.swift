public import SentinelRPC
public import SentinelWire

/// An error of the scoring service: a bad transaction, a model that cannot be loaded or swapped in, or a bad
/// configuration.
///
/// Each code maps to the RPC status the service answers with (``statusCode``).
///
/// ```swift
/// throw ScoringError(.invalidTransaction, "transaction 'tx-1': amount is negative (-3.0)", field: "amount")
/// ```
public struct ScoringError: Error, Sendable, CustomStringConvertible, RPCErrorConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidRequest
            case invalidTransaction
            case unknownModelVersion
            case modelUnavailable
            case reloadFailed
            case configuration
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The request as a whole is unusable: not the method's message, an empty or oversized batch.
        public static let invalidRequest = Code(.invalidRequest)
        /// One transaction has a bad field (feature count, NaN/±Inf, negative amount, empty id).
        public static let invalidTransaction = Code(.invalidTransaction)
        /// The client pinned a model version the service does not serve.
        public static let unknownModelVersion = Code(.unknownModelVersion)
        /// No model is loaded yet.
        public static let modelUnavailable = Code(.modelUnavailable)
        /// A model could not be loaded, validated or swapped in; the old one keeps serving.
        public static let reloadFailed = Code(.reloadFailed)
        /// The service's configuration is unusable (a flag, a file it names).
        public static let configuration = Code(.configuration)

        /// The code's name, e.g. `invalidTransaction`.
        public var description: String { value.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for people: names the transaction (id or batch index) and the field when there is one.
    public var message: String
    /// The offending field, e.g. `features[3]`; empty when the error is not about one field.
    public var field: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong.
    ///   - field: The offending field, if any.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, field: String = "", cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.cause = cause
    }

    /// The RPC status this error is answered with: INVALID_ARGUMENT for bad requests and transactions,
    /// FAILED_PRECONDITION for an unknown pinned version, a missing model or a failed reload, and INVALID_ARGUMENT
    /// for configuration errors (never sent over the wire).
    public var statusCode: StatusCode {
        switch code {
        case .unknownModelVersion, .modelUnavailable, .reloadFailed: return .failedPrecondition
        default: return .invalidArgument
        }
    }

    /// The status and the message a client gets.
    public var rpcError: RPCError { RPCError(statusCode, message) }

    /// The code and the message.
    public var description: String { "\(code): \(message)" }
}
