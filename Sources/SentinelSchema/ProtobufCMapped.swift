import CProtobufC
import SentinelProtoC

/// How a Swift message type maps onto its protobuf-c structure; the only place Sentinel calls protobuf-c.
///
/// Conforming types supply the generated `__init`, `__unpack` and `__free_unpacked` functions, a copy-out
/// initialiser and a `fill` that points a C struct at arena memory; the shared code below does the rest.
protocol ProtobufCMapped: WireMessage {
    /// The protoc-c generated struct.
    associatedtype CMessage
    /// Sets a struct to its defaults (the generated `…__init`).
    static func cInit(_ message: UnsafeMutablePointer<CMessage>)
    /// Unpacks with the default allocator (the generated `…__unpack(NULL, …)`); nil when the bytes are invalid.
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>?
    /// Frees what `cUnpack` returned (the generated `…__free_unpacked(…, NULL)`).
    static func cFree(_ message: UnsafeMutablePointer<CMessage>)
    /// Copies a C message out into Swift values; throws when a value is outside the schema.
    init(c message: UnsafePointer<CMessage>) throws
    /// Points an initialised C struct at copies of this value's fields held in `arena`.
    func fill(_ message: inout CMessage, arena: inout CArena)
}

extension ProtobufCMapped {
    /// Unpacks through the message's descriptor; protoc-c generates `…__unpack` only for top-level messages,
    /// so nested ones use this default.
    static func cUnpack(_ count: Int, _ bytes: UnsafePointer<UInt8>) -> UnsafeMutablePointer<CMessage>? {
        let message = protobuf_c_message_unpack(descriptor(), nil, count, bytes)
        return message.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CMessage.self) }
    }

    /// Frees what the default ``cUnpack(_:_:)`` returned.
    static func cFree(_ message: UnsafeMutablePointer<CMessage>) {
        protobuf_c_message_free_unpacked(
            UnsafeMutableRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self), nil)
    }

    /// The generated descriptor, read from a freshly initialised struct (the descriptor globals are `const`
    /// C objects whose address Swift cannot take directly).
    static func descriptor() -> UnsafePointer<ProtobufCMessageDescriptor> {
        withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { storage in
            cInit(storage.baseAddress!)
            return UnsafeRawPointer(storage.baseAddress!).load(as: ProtobufCMessage.self).descriptor
        }
    }

    /// Decodes through protobuf-c; C memory is freed before returning.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Self {
        // protobuf-c reads nothing for a zero length, but wants a pointer.
        var empty: UInt8 = 0
        let unpacked: UnsafeMutablePointer<CMessage>?
        if let base = bytes.baseAddress, bytes.count > 0 {
            unpacked = cUnpack(bytes.count, base.assumingMemoryBound(to: UInt8.self))
        } else {
            unpacked = withUnsafePointer(to: &empty) { cUnpack(0, $0) }
        }
        guard let message = unpacked else {
            throw SchemaError(
                .invalidMessage, "\(protoName): protobuf-c could not unpack \(bytes.count) bytes")
        }
        defer { cFree(message) }
        return try Self(c: message)
    }

    /// Runs `body` with this value packed into a C struct that lives only for the call.
    @inline(__always)
    func withCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        CArena.withArena { arena in
            let message = arena.message(self)
            return UnsafeRawPointer(message).withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) {
                body($0)
            }
        }
    }

    /// Appends the packed encoding to `buffer` (or creates it without zero-filling when empty).
    @inline(__always)
    func encode(into buffer: inout [UInt8]) {
        withCMessage { message in
            let size = protobuf_c_message_get_packed_size(message)
            if buffer.isEmpty && buffer.capacity < size {
                buffer = [UInt8](unsafeUninitializedCapacity: size) { storage, initialized in
                    initialized = protobuf_c_message_pack(message, storage.baseAddress!)
                }
                return
            }
            let start = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: size))
            buffer.withUnsafeMutableBufferPointer { storage in
                _ = protobuf_c_message_pack(message, storage.baseAddress! + start)
            }
        }
    }

    /// The packed size, computed by protobuf-c.
    @inline(__always)
    func packedSize() -> Int {
        withCMessage { protobuf_c_message_get_packed_size($0) }
    }
}

// MARK: - Copy-out helpers

/// Copies a protobuf-c string; nil (never produced by protobuf-c for proto3) reads as empty.
@inline(__always)
func decodeString(_ pointer: UnsafePointer<CChar>?, _ field: StaticString, in message: String) throws -> String {
    guard let pointer, pointer.pointee != 0 else { return "" }
    guard let string = String(validatingCString: pointer) else {
        throw SchemaError(.invalidString, "\(message).\(field): string is not valid UTF-8")
    }
    return string
}

/// Copies a protobuf-c repeated string field.
@inline(__always)
func decodeStrings(
    _ count: Int, _ pointers: UnsafePointer<UnsafeMutablePointer<CChar>?>?, _ field: StaticString, in message: String
) throws -> [String] {
    guard count > 0, let pointers else { return [] }
    var result: [String] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        result.append(try decodeString(pointers[index], field, in: message))
    }
    return result
}

/// Copies a protobuf-c repeated scalar field with one `memcpy`.
@inline(__always)
func decodeArray<T: BitwiseCopyable>(_ count: Int, _ pointer: UnsafePointer<T>?) -> [T] {
    guard count > 0, let pointer else { return [] }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// Copies a protobuf-c repeated message field.
@inline(__always)
func decodeMessages<M: ProtobufCMapped>(
    _ count: Int, _ pointers: UnsafePointer<UnsafeMutablePointer<M.CMessage>?>?
) throws -> [M] {
    guard count > 0, let pointers else { return [] }
    var result: [M] = []
    result.reserveCapacity(count)
    for index in 0..<count {
        guard let element = pointers[index] else { continue }
        result.append(try M(c: element))
    }
    return result
}

/// Copies a protobuf-c singular message field; absent reads as the type's default.
@inline(__always)
func decodeMessage<M: ProtobufCMapped>(_ pointer: UnsafePointer<M.CMessage>?, default value: @autoclosure () -> M)
    throws -> M
{
    guard let pointer else { return value() }
    return try M(c: pointer)
}

/// Maps a C enum's raw value onto a Swift enum, throwing for numbers the schema does not define.
@inline(__always)
func decodeEnum<E: RawRepresentable<Int32>>(
    _ raw: some BinaryInteger, _ field: StaticString, in message: String
) throws -> E {
    let value = Int32(truncatingIfNeeded: raw)
    guard let result = E(rawValue: value) else {
        throw SchemaError(.invalidEnumValue, "\(message).\(field): undefined enum value \(value)")
    }
    return result
}
