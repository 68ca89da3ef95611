import CProtobufC
import SentinelProtoC

/// The scoring service's counters since it started.
///
/// ```swift
/// var message = StatsResponse()
/// message.requests = 3
/// let decoded = try StatsResponse(serializedBytes: message.serializedBytes())
/// ```
public struct StatsResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.StatsResponse"

    /// RPC requests answered (all methods).
    public var requests: UInt64

    /// Transactions scored (a batch counts each of its transactions).
    public var transactions: UInt64

    /// Transactions flagged.
    public var flagged: UInt64

    /// Error answers by status code, one entry per code seen, in code order.
    public var errors: [StatsResponse.ErrorCount]

    /// Delivery of scoring events to the monitor.
    public var events: StatsResponse.EventDelivery

    /// Time since the service started, in microseconds.
    public var uptimeMicroseconds: UInt64

    /// The live model's version.
    public var modelVersion: String

    /// Server-side scoring latency since start.
    public var latency: LatencySummary

    /// Successful model reloads.
    public var reloads: UInt64

    /// Failed model reloads (the old model kept serving).
    public var failedReloads: UInt64

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - requests: RPC requests answered (all methods).
    ///   - transactions: Transactions scored (a batch counts each of its transactions).
    ///   - flagged: Transactions flagged.
    ///   - errors: Error answers by status code, one entry per code seen, in code order.
    ///   - events: Delivery of scoring events to the monitor.
    ///   - uptimeMicroseconds: Time since the service started, in microseconds.
    ///   - modelVersion: The live model's version.
    ///   - latency: Server-side scoring latency since start.
    ///   - reloads: Successful model reloads.
    ///   - failedReloads: Failed model reloads (the old model kept serving).
    public init(
        requests: UInt64 = 0,
        transactions: UInt64 = 0,
        flagged: UInt64 = 0,
        errors: [StatsResponse.ErrorCount] = [],
        events: StatsResponse.EventDelivery = StatsResponse.EventDelivery(),
        uptimeMicroseconds: UInt64 = 0,
        modelVersion: String = "",
        latency: LatencySummary = LatencySummary(),
        reloads: UInt64 = 0,
        failedReloads: UInt64 = 0
    ) {
        self.requests = requests
        self.transactions = transactions
        self.flagged = flagged
        self.errors = errors
        self.events = events
        self.uptimeMicroseconds = uptimeMicroseconds
        self.modelVersion = modelVersion
        self.latency = latency
        self.reloads = reloads
        self.failedReloads = failedReloads
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
        encode(into: &buffer)
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { packedSize() }
}

extension StatsResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__StatsResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__stats_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__stats_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let requests = c.requests
        let transactions = c.transactions
        let flagged = c.flagged
        let errors: [StatsResponse.ErrorCount] = try decodeMessages(c.n_errors, c.errors)
        let events: StatsResponse.EventDelivery = try decodeMessage(c.events, default: StatsResponse.EventDelivery())
        let uptimeMicroseconds = c.uptime_us
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let latency: LatencySummary = try decodeMessage(c.latency, default: LatencySummary())
        let reloads = c.reloads
        let failedReloads = c.failed_reloads
        self.init(
            requests: requests, transactions: transactions, flagged: flagged, errors: errors, events: events,
            uptimeMicroseconds: uptimeMicroseconds, modelVersion: modelVersion, latency: latency, reloads: reloads,
            failedReloads: failedReloads)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.requests = requests
        c.transactions = transactions
        c.flagged = flagged
        c.n_errors = errors.count
        c.errors = arena.messages(errors)
        c.events = arena.message(events)
        c.uptime_us = uptimeMicroseconds
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        c.latency = arena.message(latency)
        c.reloads = reloads
        c.failed_reloads = failedReloads
    }
}
