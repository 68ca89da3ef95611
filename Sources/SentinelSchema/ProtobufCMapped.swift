import CProtobufC
import SentinelProtoC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a Swift message type maps onto its protobuf-c structure; the only place Sentinel calls protobuf-c.
///
/// Conforming types supply the generated `__init` and `__unpack` functions, a copy-out initialiser and a `fill`
/// that points a C struct at arena memory; the shared code below does the rest.
///
/// Both directions use a ``CArena``, so no C memory outlives the call that made it: packing builds the C struct
/// and the packed bytes in the arena; unpacking passes protobuf-c an allocator that takes its memory from the
/// arena (instead of `malloc` per string, array and sub-message) and frees nothing itself, and the arena
/// releases everything when the copy-out is done. `…__free_unpacked` is therefore never needed.
protocol ProtobufCMapped: WireMessage {
    /// The protoc-c generated struct.
    associatedtype CMessage
    /// Sets a struct to its defaults (the generated `…__init`).
    static func cInit(_ message: UnsafeMutablePointer<CMessage>)
    /// Unpacks with `allocator` (the generated `…__unpack`); nil when the bytes are invalid.
    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>?
    /// Copies a C message out into Swift values; throws when a value is outside the schema.
    init(c message: UnsafePointer<CMessage>) throws
    /// Points an initialised C struct at copies of this value's fields held in `arena`.
    func fill(_ message: inout CMessage, arena: inout CArena)
}

extension ProtobufCMapped {
    /// Unpacks through the message's descriptor; protoc-c generates `…__unpack` only for top-level messages,
    /// so nested ones use this default.
    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        let message = protobuf_c_message_unpack(descriptor(), allocator, count, bytes)
        return message.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CMessage.self) }
    }

    /// The generated descriptor, read from a freshly initialised struct (the descriptor globals are `const`
    /// C objects whose address Swift cannot take directly).
    static func descriptor() -> UnsafePointer<ProtobufCMessageDescriptor> {
        withUnsafeTemporaryAllocation(of: CMessage.self, capacity: 1) { storage in
            cInit(storage.baseAddress!)
            return UnsafeRawPointer(storage.baseAddress!).load(as: ProtobufCMessage.self).descriptor
        }
    }

    /// Decodes through protobuf-c into arena memory, copies out, and releases the arena before returning.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Self {
        try withUnpacked(bytes) { message, _ in try Self(c: message) }
    }

    /// Unpacks `bytes` with protobuf-c into arena memory and runs `body` with the message and the arena (for
    /// allocations that must live as long as the message); everything is released when `body` returns.
    /// - Throws: ``SchemaError`` `.invalidMessage` when protobuf-c refuses the bytes; what `body` throws.
    @inline(__always)
    static func withUnpacked<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<CMessage>, UnsafeMutablePointer<CArena>) throws -> R
    ) throws -> R {
        try CArena.withArena { arena in
            let budget = unpackBudget(forMessageOf: bytes.count)
            arena.unpackBudget = budget
            return try withUnsafeMutablePointer(to: &arena) { arenaPointer in
                var allocator = ProtobufCAllocator(
                    alloc: { data, size in
                        data!.assumingMemoryBound(to: CArena.self).pointee.allocateBytes(size)
                    },
                    // Everything is released with the arena; protobuf-c's frees (on a parse error) are no-ops.
                    free: { _, _ in },
                    allocator_data: UnsafeMutableRawPointer(arenaPointer))
                // protobuf-c reads nothing for a zero length, but wants a pointer.
                let base = bytes.count > 0 ? bytes.baseAddress! : UnsafeRawPointer(arenaPointer)
                guard
                    let message = cUnpack(&allocator, bytes.count, base.assumingMemoryBound(to: UInt8.self))
                else {
                    if arenaPointer.pointee.exceededBudget {
                        throw SchemaError(
                            .tooLargeToUnpack,
                            "\(protoName): unpacking \(bytes.count) bytes needs more than \(budget) bytes of memory "
                                + "(the limit is 8 × the message size + 1 MiB): too many items for their size")
                    }
                    throw SchemaError(
                        .invalidMessage, "\(protoName): protobuf-c could not unpack \(bytes.count) bytes")
                }
                return try body(message, arenaPointer)
            }
        }
    }

    /// The most memory unpacking a message of `size` bytes may take: 8 × its size + 1 MiB. Ordinary messages need
    /// 1–6 × (a 30-feature transaction about 1.2 ×); the limit stops a message of millions of empty items from costing
    /// hundreds of MiB before any count can be checked (PROTOCOL.md §8).
    @inline(__always)
    static func unpackBudget(forMessageOf size: Int) -> Int {
        min(size, Int.max / 16) * 8 + (1 << 20)
    }

    /// Appends the packed encoding to `buffer`.
    ///
    /// The C struct and the packed bytes both live in the arena (on the stack for small messages); the bytes are
    /// then appended with one `memcpy`, which is cheaper than growing the array with zeros and packing in place.
    @inline(__always)
    func encode(into buffer: inout [UInt8]) {
        CArena.withArena { arena in
            let message = UnsafeRawPointer(arena.message(self)).assumingMemoryBound(to: ProtobufCMessage.self)
            let size = protobuf_c_message_get_packed_size(message)
            let bytes = arena.allocate(UInt8.self, count: size)
            let packed = protobuf_c_message_pack(message, bytes)
            buffer.append(contentsOf: UnsafeBufferPointer(start: bytes, count: packed))
        }
    }

    /// The packed size, computed by protobuf-c.
    @inline(__always)
    func packedSize() -> Int {
        CArena.withArena { arena in
            let message = UnsafeRawPointer(arena.message(self)).assumingMemoryBound(to: ProtobufCMessage.self)
            return protobuf_c_message_get_packed_size(message)
        }
    }
}

// MARK: - Packing helpers

extension CArena {
    /// Builds one C message for `value` and returns a pointer to it, or nil when its encoding is empty.
    ///
    /// For a sub-message field without presence (not `optional` in the schema): absent and empty decode to the same
    /// value, so leaving it out saves its bytes on the wire and a struct per level on the reader's side. Writing it
    /// made a re-encoded message larger than the one decoded, and could take it past the reader's unpack budget.
    mutating func messageUnlessEmpty<M: ProtobufCMapped>(_ value: M) -> UnsafeMutablePointer<M.CMessage>? {
        let element = message(value)
        let size = UnsafeRawPointer(element).withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) {
            protobuf_c_message_get_packed_size($0)
        }
        return size == 0 ? nil : element
    }
}

/// Packs `message` into stack memory (heap for large messages) and appends the bytes to `buffer`.
@inline(__always)
func appendPacked(_ message: UnsafePointer<ProtobufCMessage>, to buffer: inout [UInt8]) {
    let size = protobuf_c_message_get_packed_size(message)
    guard size > 0 else { return }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { storage in
        let packed = protobuf_c_message_pack(message, storage.baseAddress!)
        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: storage[..<packed]))
    }
}

/// Runs `body` with a C string for `string`, or with nil when it is nil (for `oneof` presence wrappers).
@inline(__always)
func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}

// MARK: - Copy-out helpers

/// Copies a protobuf-c string; nil (never produced by protobuf-c for proto3) reads as empty.
@inline(__always)
func decodeString(_ pointer: UnsafePointer<CChar>?, _ field: StaticString, in message: String) throws -> String {
    guard let pointer else { return "" }
    try checkWhole(pointer, length: strlen(pointer), field, in: message)
    guard pointer.pointee != 0 else { return "" }
    guard let string = String(validatingCString: pointer) else {
        throw SchemaError(.invalidString, "\(message).\(field): string is not valid UTF-8")
    }
    return string
}

/// The address of the empty string protobuf-c points absent string fields at (not an arena allocation).
let protobufCEmptyString: UInt = {
    var message = Sentinel__V1__HealthCheckRequest()
    sentinel__v1__health_check_request__init(&message)
    return UInt(bitPattern: message.service)
}()

/// Throws when a string protobuf-c unpacked was cut short by a U+0000 inside it.
///
/// protobuf-c stores strings NUL-terminated, so `evil\0id` would read as `evil`. It allocates `wire length + 1`
/// bytes for each string through the arena, which records every allocation's size (``CArena/allocateBytes(_:)``):
/// a string is whole when its C length is one less than that size. The schema forbids U+0000 in strings.
/// - Parameters:
///   - pointer: A string field of a message unpacked by ``ProtobufCMapped/withUnpacked(_:_:)``.
///   - length: Its C length (up to the first NUL).
@inline(__always)
func checkWhole(_ pointer: UnsafePointer<CChar>, length: Int, _ field: StaticString, in message: String) throws {
    guard UInt(bitPattern: pointer) != protobufCEmptyString,
        CArena.allocationSize(of: UnsafeRawPointer(pointer)) != length + 1
    else {
        return
    }
    throw SchemaError(.invalidString, "\(message).\(field): string contains U+0000")
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
        // protobuf-c never leaves a hole in a repeated message field; refuse one rather than drop it.
        guard let element = pointers[index] else {
            throw SchemaError(.invalidMessage, "\(M.protoName): repeated element \(index) is missing")
        }
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
