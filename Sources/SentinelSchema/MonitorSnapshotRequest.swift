import CProtobufC
import SentinelProtoC

/// Asks the monitor for its current view (method `sentinel.v1.Monitor/Snapshot`).
///
/// ```swift
/// var message = MonitorSnapshotRequest()
/// message.modelVersion = "v1"
/// let decoded = try MonitorSnapshotRequest(serializedBytes: message.serializedBytes())
/// ```
public struct MonitorSnapshotRequest: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.MonitorSnapshotRequest"

    /// Only this model version; absent means every tracked version.
    public var modelVersion: String?

    /// How many of the most recent closed windows to include in `history` (0: none).
    public var historyWindows: UInt32

    /// Also compute the exact two-sample KS statistic and p-value on the window's reservoir sample (slower).
    public var exactKS: Bool

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - modelVersion: Only this model version.
    ///   - historyWindows: How many of the most recent closed windows to include in `history` (0.
    ///   - exactKS: Also compute the exact two-sample KS statistic and p-value on the window's reservoir sample
    ///     (slower).
    public init(modelVersion: String? = nil, historyWindows: UInt32 = 0, exactKS: Bool = false) {
        self.modelVersion = modelVersion
        self.historyWindows = historyWindows
        self.exactKS = exactKS
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

extension MonitorSnapshotRequest: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__MonitorSnapshotRequest

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__monitor_snapshot_request__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__monitor_snapshot_request__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let modelVersion: String? =
            c.model_filter_case == SENTINEL__V1__MONITOR_SNAPSHOT_REQUEST__MODEL_FILTER_MODEL_VERSION
            ? try decodeString(c.model_version, "model_version", in: Self.protoName) : nil
        let historyWindows = c.history_windows
        let exactKS = c.exact_ks != 0
        self.init(modelVersion: modelVersion, historyWindows: historyWindows, exactKS: exactKS)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if let modelVersion {
            c.model_filter_case = SENTINEL__V1__MONITOR_SNAPSHOT_REQUEST__MODEL_FILTER_MODEL_VERSION
            c.model_version = arena.cString(modelVersion)
        }
        c.history_windows = historyWindows
        c.exact_ks = exactKS ? 1 : 0
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        withOptionalCString(modelVersion) { modelVersionPointer in
            var c = CMessage()
            Self.cInit(&c)
            if let modelVersionPointer {
                c.model_filter_case = SENTINEL__V1__MONITOR_SNAPSHOT_REQUEST__MODEL_FILTER_MODEL_VERSION
                c.model_version = UnsafeMutablePointer(mutating: modelVersionPointer)
            }
            c.history_windows = historyWindows
            c.exact_ks = exactKS ? 1 : 0
            return withUnsafePointer(to: &c) {
                body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
            }
        }
    }
}
