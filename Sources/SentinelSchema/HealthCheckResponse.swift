import CProtobufC
import SentinelProtoC

/// Says whether a server, or one of its services, is serving (gRPC health-checking semantics).
///
/// ```swift
/// let response = HealthCheckResponse(status: .serving)
/// ```
public struct HealthCheckResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.HealthCheckResponse"

    /// A service's serving state, numbered as in gRPC's `grpc.health.v1`.
    public enum ServingStatus: Int32, Sendable, Hashable, CaseIterable {
        /// The state is not known (the default on the wire).
        case unknown = 0
        /// The service accepts requests.
        case serving = 1
        /// The service is up but does not accept requests (starting, reloading, draining).
        case notServing = 2
    }

    /// The serving state.
    public var status: ServingStatus

    /// Creates a health check response.
    /// - Parameter status: The serving state (default ``ServingStatus/unknown``).
    public init(status: ServingStatus = .unknown) {
        self.status = status
    }

    /// Decodes a health check response from its protobuf encoding.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding or the status is undefined.
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

extension HealthCheckResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__HealthCheckResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__health_check_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__health_check_response__unpack(allocator, count, bytes)
    }

    init(c message: UnsafePointer<CMessage>) throws {
        status = try decodeEnum(message.pointee.status.rawValue, "status", in: Self.protoName)
    }

    func fill(_ message: inout CMessage, arena: inout CArena) {
        message.status = .init(rawValue: numericCast(status.rawValue))
    }
}
