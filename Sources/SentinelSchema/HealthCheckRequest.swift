import CProtobufC
import SentinelProtoC

/// Asks whether a server, or one of its services, is serving (gRPC health-checking semantics).
///
/// ```swift
/// let request = HealthCheckRequest()  // the whole server
/// let scoring = HealthCheckRequest(service: "sentinel.v1.Scoring")
/// ```
public struct HealthCheckRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.HealthCheckRequest"

    /// The service to check, e.g. `sentinel.v1.Scoring`; empty means the whole server.
    public var service: String

    /// Creates a health check request.
    /// - Parameter service: The service to check; empty (the default) means the whole server.
    public init(service: String = "") {
        self.service = service
    }

    /// Decodes a health check request from its protobuf encoding.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws {
        self = try Self.decode(bytes)
    }

    /// Appends the protobuf encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to.
    public func serialize(into buffer: inout [UInt8]) {
        encode(into: &buffer)
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { packedSize() }
}

extension HealthCheckRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__HealthCheckRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__health_check_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__health_check_request__unpack(allocator, count, bytes)
    }

    init(c message: UnsafePointer<CMessage>) throws {
        service = try decodeString(message.pointee.service, "service", in: Self.protoName)
    }

    func fill(_ message: inout CMessage, arena: inout CArena) {
        message.service = arena.cString(service)
    }
}
