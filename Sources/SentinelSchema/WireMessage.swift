public import SentinelRPC

/// A Sentinel wire message: a Swift value that converts to and from its protobuf encoding.
///
/// Every message in `Protos/sentinel.proto` has a conforming value type. Decoding copies everything out of
/// protobuf-c's C structures before returning, so no C memory outlives the call. The RPC layer decodes a
/// request straight from its frame buffer with ``init(serializedBytes:)-(UnsafeRawBufferPointer)`` and appends
/// the response to its output buffer with ``serialize(into:)``.
///
/// ```swift
/// let request = HealthCheckRequest(service: "sentinel.v1.Scoring")
/// let bytes = request.serializedBytes()
/// let decoded = try HealthCheckRequest(serializedBytes: bytes)
/// assert(decoded == request)
/// ```
public protocol WireMessage: RPCMessage, Equatable {
    /// The fully qualified protobuf name, e.g. `sentinel.v1.Transaction`.
    static var protoName: String { get }

    /// Decodes a message from its protobuf encoding.
    /// - Parameter bytes: The encoded message (may be empty: every field then takes its default).
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding of this message, a string is not
    ///   UTF-8, or an enum holds an undefined number.
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws

    /// Appends the message's protobuf encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to; its existing contents are kept.
    func serialize(into buffer: inout [UInt8])

    /// The size in bytes of the message's protobuf encoding.
    var serializedSize: Int { get }
}

extension WireMessage {
    /// Decodes a message from any contiguous byte collection (`[UInt8]`, `ArraySlice<UInt8>`, `Data`, …).
    ///
    /// Collections without contiguous storage are copied once first.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding of this message.
    @inlinable
    public init(serializedBytes bytes: some Collection<UInt8>) throws {
        if let decoded = try bytes.withContiguousStorageIfAvailable({
            try Self(serializedBytes: UnsafeRawBufferPointer($0))
        }) {
            self = decoded
        } else {
            let copy = Array(bytes)
            self = try copy.withUnsafeBytes { try Self(serializedBytes: $0) }
        }
    }

    /// Returns the message's protobuf encoding in a new array.
    /// - Returns: The encoded bytes (empty for a message whose fields all hold their defaults).
    @inlinable
    public func serializedBytes() -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(into: &buffer)
        return buffer
    }
}
