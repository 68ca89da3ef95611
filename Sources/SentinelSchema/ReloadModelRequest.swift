import CProtobufC
import SentinelProtoC

/// Asks the scoring service to load a model and swap it in atomically (method `sentinel.v1.Scoring/ReloadModel`).
///
/// ```swift
/// var message = ReloadModelRequest()
/// message.path = "example"
/// let decoded = try ReloadModelRequest(serializedBytes: message.serializedBytes())
/// ```
public struct ReloadModelRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ReloadModelRequest"

    /// The model file to load, as seen by the server; empty means reload the configured file.
    public var path: String

    /// When present, the reload fails unless the loaded model has this version.
    public var expectedVersion: String?

    /// Accept a model whose feature names differ from the live one's (otherwise the reload fails).
    public var allowFeatureChange: Bool

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - path: The model file to load, as seen by the server.
    ///   - expectedVersion: When present, the reload fails unless the loaded model has this version.
    ///   - allowFeatureChange: Accept a model whose feature names differ from the live one's (otherwise the reload
    ///     fails).
    public init(path: String = "", expectedVersion: String? = nil, allowFeatureChange: Bool = false) {
        self.path = path
        self.expectedVersion = expectedVersion
        self.allowFeatureChange = allowFeatureChange
    }

    /// Decodes the message from its protobuf encoding.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding of this message: malformed protobuf,
    ///   a string that is not UTF-8, or an enum number the schema does not define.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws {
        self = try Self.decode(bytes)
    }

    /// Appends the protobuf encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to.
    public func serialize(into buffer: inout [UInt8]) {
        withBorrowedCMessage { appendPacked($0, to: &buffer) }
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { withBorrowedCMessage { protobuf_c_message_get_packed_size($0) } }
}

extension ReloadModelRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ReloadModelRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__reload_model_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__reload_model_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let path = try decodeString(c.path, "path", in: Self.protoName)
        let expectedVersion: String? =
            c.expectation_case == SENTINEL__V1__RELOAD_MODEL_REQUEST__EXPECTATION_EXPECTED_VERSION
            ? try decodeString(c.expected_version, "expected_version", in: Self.protoName) : nil
        let allowFeatureChange = c.allow_feature_change != 0
        self.init(path: path, expectedVersion: expectedVersion, allowFeatureChange: allowFeatureChange)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !path.isEmpty { c.path = arena.cString(path) }
        if let expectedVersion {
            c.expectation_case = SENTINEL__V1__RELOAD_MODEL_REQUEST__EXPECTATION_EXPECTED_VERSION
            c.expected_version = arena.cString(expectedVersion)
        }
        c.allow_feature_change = allowFeatureChange ? 1 : 0
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        path.withCString { pathPointer in
            withOptionalCString(expectedVersion) { expectedVersionPointer in
                var c = CMessage()
                Self.cInit(&c)
                c.path = UnsafeMutablePointer(mutating: pathPointer)
                if let expectedVersionPointer {
                    c.expectation_case = SENTINEL__V1__RELOAD_MODEL_REQUEST__EXPECTATION_EXPECTED_VERSION
                    c.expected_version = UnsafeMutablePointer(mutating: expectedVersionPointer)
                }
                c.allow_feature_change = allowFeatureChange ? 1 : 0
                return withUnsafePointer(to: &c) {
                    body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                }
            }
        }
    }
}
