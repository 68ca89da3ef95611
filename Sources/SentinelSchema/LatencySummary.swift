import CProtobufC
import SentinelProtoC

/// Latency quantiles from a log-linear histogram (≤ 1 % relative error).
///
/// ```swift
/// var message = LatencySummary()
/// message.count = 3
/// let decoded = try LatencySummary(serializedBytes: message.serializedBytes())
/// ```
public struct LatencySummary: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.LatencySummary"

    /// Number of observations.
    public var count: UInt64

    /// Median, in nanoseconds.
    public var p50Nanoseconds: UInt64

    /// 90th percentile, in nanoseconds.
    public var p90Nanoseconds: UInt64

    /// 99th percentile, in nanoseconds.
    public var p99Nanoseconds: UInt64

    /// 99.9th percentile, in nanoseconds.
    public var p999Nanoseconds: UInt64

    /// Largest observation, in nanoseconds.
    public var maxNanoseconds: UInt64

    /// Mean, in nanoseconds.
    public var meanNanoseconds: Double

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - count: Number of observations.
    ///   - p50Nanoseconds: Median, in nanoseconds.
    ///   - p90Nanoseconds: 90th percentile, in nanoseconds.
    ///   - p99Nanoseconds: 99th percentile, in nanoseconds.
    ///   - p999Nanoseconds: 99.9th percentile, in nanoseconds.
    ///   - maxNanoseconds: Largest observation, in nanoseconds.
    ///   - meanNanoseconds: Mean, in nanoseconds.
    public init(
        count: UInt64 = 0,
        p50Nanoseconds: UInt64 = 0,
        p90Nanoseconds: UInt64 = 0,
        p99Nanoseconds: UInt64 = 0,
        p999Nanoseconds: UInt64 = 0,
        maxNanoseconds: UInt64 = 0,
        meanNanoseconds: Double = 0
    ) {
        self.count = count
        self.p50Nanoseconds = p50Nanoseconds
        self.p90Nanoseconds = p90Nanoseconds
        self.p99Nanoseconds = p99Nanoseconds
        self.p999Nanoseconds = p999Nanoseconds
        self.maxNanoseconds = maxNanoseconds
        self.meanNanoseconds = meanNanoseconds
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

extension LatencySummary: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__LatencySummary

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__latency_summary__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__latency_summary__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let count = c.count
        let p50Nanoseconds = c.p50_ns
        let p90Nanoseconds = c.p90_ns
        let p99Nanoseconds = c.p99_ns
        let p999Nanoseconds = c.p999_ns
        let maxNanoseconds = c.max_ns
        let meanNanoseconds = c.mean_ns
        self.init(
            count: count, p50Nanoseconds: p50Nanoseconds, p90Nanoseconds: p90Nanoseconds,
            p99Nanoseconds: p99Nanoseconds, p999Nanoseconds: p999Nanoseconds, maxNanoseconds: maxNanoseconds,
            meanNanoseconds: meanNanoseconds)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.count = count
        c.p50_ns = p50Nanoseconds
        c.p90_ns = p90Nanoseconds
        c.p99_ns = p99Nanoseconds
        c.p999_ns = p999Nanoseconds
        c.max_ns = maxNanoseconds
        c.mean_ns = meanNanoseconds
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        var c = CMessage()
        Self.cInit(&c)
        c.count = count
        c.p50_ns = p50Nanoseconds
        c.p90_ns = p90Nanoseconds
        c.p99_ns = p99Nanoseconds
        c.p999_ns = p999Nanoseconds
        c.max_ns = maxNanoseconds
        c.mean_ns = meanNanoseconds
        return withUnsafePointer(to: &c) { body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self)) }
    }
}
