public import SentinelRPC
import SentinelWire

/// An error raised while converting between Swift values and protobuf wire bytes.
///
/// Decoding throws it when the bytes are not a valid encoding of the expected message, when a string
/// is not valid UTF-8, or when an enum field holds a number this schema does not define.
///
/// ```swift
/// do {
///     let request = try ScoreRequest(serializedBytes: payload)
/// } catch let error as SchemaError where error.code == .invalidMessage {
///     // answer INVALID_ARGUMENT
/// }
/// ```
public struct SchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of schema failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case invalidMessage
            case invalidEnumValue
            case invalidString
            case tooLargeToUnpack
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// The bytes are not a protobuf encoding of the expected message (protobuf-c rejected them).
        public static let invalidMessage = Code(.invalidMessage)
        /// An enum field holds a number the schema does not define.
        public static let invalidEnumValue = Code(.invalidEnumValue)
        /// A string field is not valid UTF-8.
        public static let invalidString = Code(.invalidString)
        /// Unpacking would take more memory than the message's size allows (many tiny items); RESOURCE_EXHAUSTED.
        public static let tooLargeToUnpack = Code(.tooLargeToUnpack)

        /// The code's name, e.g. `invalidMessage`.
        public var description: String {
            switch value {
            case .invalidMessage: "invalidMessage"
            case .invalidEnumValue: "invalidEnumValue"
            case .invalidString: "invalidString"
            case .tooLargeToUnpack: "tooLargeToUnpack"
            }
        }
    }

    /// What went wrong, for programs.
    public var code: Code
    /// What went wrong, for people: names the message and, where known, the field.
    public var message: String

    /// Creates a schema error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A human-readable explanation naming the message and field.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and message, e.g. `invalidMessage: sentinel.v1.Transaction: protobuf-c could not unpack 12 bytes`.
    public var description: String { "\(code): \(message)" }
}

extension SchemaError: RPCErrorConvertible {
    /// RESOURCE_EXHAUSTED for a message too costly to unpack, INVALID_ARGUMENT for the rest.
    public var rpcError: RPCError {
        code == .tooLargeToUnpack ? RPCError(.resourceExhausted, message) : RPCError(.invalidArgument, description)
    }
}
