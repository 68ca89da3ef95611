public import SentinelSchema

/// A change to the monitor's state as the write-ahead log stores it: the arrival time and the request.
///
/// Payload layout: the arrival time (Int64 microseconds, little-endian) then the request's protobuf bytes — the
/// RPC payload as received, so logging costs no re-encoding. `genesis` carries only the time the state began.
///
/// ```swift
/// let record = MonitorRecord.batch(time: now, bytes: payload)
/// let decoded = try MonitorRecord(type: record.type, payload: record.payload)
/// ```
public enum MonitorRecord: Sendable {
    /// The state began (first record of a new state directory).
    case genesis(time: Int64)
    /// An event batch (EventBatch bytes).
    case batch(time: Int64, batch: EventBatch)
    /// A model registration (RegisterModelRequest bytes).
    case register(time: Int64, request: RegisterModelRequest)
    /// A label report (ReportLabelsRequest bytes).
    case labels(time: Int64, request: ReportLabelsRequest)

    /// Type tags in the log.
    public enum Tag: UInt8, Sendable {
        /// ``MonitorRecord/genesis(time:)``.
        case genesis = 1
        /// ``MonitorRecord/batch(time:batch:)``.
        case batch = 2
        /// ``MonitorRecord/register(time:request:)``.
        case register = 3
        /// ``MonitorRecord/labels(time:request:)``.
        case labels = 4
    }

    /// Builds a payload: the time, then the message bytes.
    /// - Parameters:
    ///   - time: Arrival time, microseconds since the epoch.
    ///   - bytes: The request's protobuf bytes.
    public static func payload(time: Int64, bytes: some Collection<UInt8>) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(8 + bytes.count)
        withUnsafeBytes(of: time.littleEndian) { payload.append(contentsOf: $0) }
        payload.append(contentsOf: bytes)
        return payload
    }

    /// Decodes a stored record.
    /// - Parameters:
    ///   - type: The record's tag.
    ///   - payload: The record's payload.
    /// - Throws: ``MonitorError`` `.corruptState` for an unknown tag or undecodable bytes.
    public init(type: UInt8, payload: [UInt8]) throws(MonitorError) {
        guard payload.count >= 8, let tag = Tag(rawValue: type) else {
            throw MonitorError(.corruptState, "log record of type \(type) with \(payload.count) bytes is not ours")
        }
        var time: Int64 = 0
        for index in (0..<8).reversed() { time = time << 8 | Int64(payload[index]) }
        do {
            self = try payload.withUnsafeBytes { raw in
                let body = UnsafeRawBufferPointer(rebasing: raw[8...])
                switch tag {
                case .genesis: return .genesis(time: time)
                case .batch: return .batch(time: time, batch: try EventBatch(serializedBytes: body))
                case .register: return .register(time: time, request: try RegisterModelRequest(serializedBytes: body))
                case .labels: return .labels(time: time, request: try ReportLabelsRequest(serializedBytes: body))
                }
            }
        } catch {
            throw MonitorError(.corruptState, "log record of type \(tag) does not decode: \(error)")
        }
    }
}
