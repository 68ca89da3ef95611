/// A message's field tags: each generated message has one, `<Message>.FieldTag` (Generated/), whose raw value is the
/// field's one-byte tag, `field number << 3 | wire type`. Hand-written encoders name tags through it, never as
/// literal bytes, so the .proto file stays the one place field numbers are written.
package protocol ProtobufFieldTag: RawRepresentable<UInt8>, CaseIterable, Sendable {
    /// The fully qualified name of the message, e.g. `sentinel.v1.ScoringEvent`.
    static var messageProtoName: String { get }
    /// The field's name in the .proto file, e.g. `event_time_unix_us`.
    var protoFieldName: String { get }
}

extension ProtobufFieldTag {
    /// The field number.
    @inlinable
    package var fieldNumber: Int { Int(rawValue >> 3) }

    /// The wire type: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
    @inlinable
    package var wireType: UInt8 { rawValue & 7 }
}

/// Writes protobuf wire format with plain stores at a moving position, for the two hand-written outbound encoders
/// (ScoreBatch responses here, the reporter's event batches in SentinelScoring; see the SchemaConventions
/// article). The caller computes the size first and guarantees the room. Inlinable: it is called per
/// field from SentinelScoring, where a call per byte would cost more than the store (but Swift 6.3 does not inline
/// `package` declarations across modules, so from SentinelScoring each method is a call; Docs/Design.md, "Schema"). Tags are
/// the raw values of the generated `FieldTag` enums, never literals.
package struct ProtobufWriter {
    /// Where the next byte goes.
    package var position: UnsafeMutableRawPointer

    /// A writer starting at `start`.
    @inlinable
    package init(_ start: UnsafeMutableRawPointer) {
        position = start
    }

    /// The bytes a varint of `value` takes: one per started 7 bits, one for 0.
    @inlinable @inline(__always)
    package static func varintSize(_ value: UInt64) -> Int {
        (64 - (value | 1).leadingZeroBitCount + 6) / 7
    }

    /// The bytes a length-delimited field of `count` bytes takes with a one-byte tag; 0 for an empty one (proto3
    /// omits it).
    @inlinable @inline(__always)
    package static func lengthDelimitedSize(count: Int) -> Int {
        count == 0 ? 0 : 1 + varintSize(UInt64(count)) + count
    }

    /// One byte (a tag, or part of a varint).
    @inlinable @inline(__always)
    package mutating func byte(_ value: UInt8) {
        position.storeBytes(of: value, as: UInt8.self)
        position += 1
    }

    /// A base-128 varint, low groups first.
    @inlinable @inline(__always)
    package mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            byte(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        byte(UInt8(value))
    }

    /// Eight bytes, little-endian.
    @inlinable @inline(__always)
    package mutating func fixed64(_ value: UInt64) {
        position.storeBytes(of: value.littleEndian, as: UInt64.self)
        position += 8
    }

    /// A `double` field: its one-byte tag and the value's bits, little-endian.
    @inlinable @inline(__always)
    package mutating func double(_ value: Double, tag: UInt8) {
        byte(tag)
        fixed64(value.bitPattern)
    }

    /// Raw bytes, as they are.
    @inlinable @inline(__always)
    package mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let base = source.baseAddress, source.count > 0 else { return }
        position.copyMemory(from: base, byteCount: source.count)
        position += source.count
    }

    /// A string or bytes field: tag, length, bytes; nothing when empty (proto3).
    @inlinable @inline(__always)
    package mutating func lengthDelimited(_ source: UnsafeRawBufferPointer, tag: UInt8) {
        guard source.count > 0 else { return }
        byte(tag)
        varint(UInt64(source.count))
        bytes(source)
    }
}
