public import SentinelRPC
import SentinelWire

/// An error from the monitor's service logic: a request it refuses, or state it cannot restore.
///
/// Each code maps to the wire status the RPC layer answers with (``rpcError``).
///
/// ```swift
/// do { _ = try state.ingest(batch, at: now) }
/// catch let error as MonitorError where error.code == .unknownModel { print(error) }
/// ```
public struct MonitorError: Error, Sendable, Equatable, CustomStringConvertible, RPCErrorConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidEvent
            case unknownModel
            case conflictingReference
            case invalidRequest
            case invalidConfiguration
            case corruptState
            case capacity
            case storage
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// An event or batch is badly shaped (feature count, sequence 0, score outside [0, 1], no decision…).
        public static let invalidEvent = Code(.invalidEvent)
        /// Events name a model version whose reference was never registered.
        public static let unknownModel = Code(.unknownModel)
        /// A model version was registered again with a different reference.
        public static let conflictingReference = Code(.conflictingReference)
        /// A request other than an event batch is malformed (bad label, bad profile, undecodable bytes).
        public static let invalidRequest = Code(.invalidRequest)
        /// A setting is out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A snapshot or log record of the monitor's state cannot be decoded.
        public static let corruptState = Code(.corruptState)
        /// A bound was reached (model versions or producers tracked at once).
        public static let capacity = Code(.capacity)
        /// The durable store failed; nothing was acknowledged.
        public static let storage = Code(.storage)

        /// The code's name.
        public var description: String {
            switch value {
            case .invalidEvent: "invalid event"
            case .unknownModel: "unknown model"
            case .conflictingReference: "conflicting reference"
            case .invalidRequest: "invalid request"
            case .invalidConfiguration: "invalid configuration"
            case .corruptState: "corrupt state"
            case .capacity: "capacity reached"
            case .storage: "storage failure"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, for people.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }

    /// The wire status for this error: INVALID_ARGUMENT for bad events and requests, FAILED_PRECONDITION for an
    /// unregistered model, ALREADY_EXISTS for a conflicting registration,
    /// RESOURCE_EXHAUSTED at a capacity bound, UNAVAILABLE for storage failures.
    public var rpcError: RPCError {
        let status: StatusCode =
            switch code {
            case .invalidEvent, .invalidRequest, .invalidConfiguration: .invalidArgument
            case .unknownModel: .failedPrecondition
            case .conflictingReference: .alreadyExists
            case .storage: .unavailable
            case .capacity: .resourceExhausted
            default: .internal
            }
        return RPCError(status, message)
    }
}
