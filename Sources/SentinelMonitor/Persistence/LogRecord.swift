/// One record of the write-ahead log: a type tag chosen by the service and opaque payload bytes.
///
/// The store frames, checksums and syncs records; what the type and payload mean (an encoded `EventBatch`, a
/// model registration, a label report) is the service's business.
///
/// ```swift
/// let record = LogRecord(type: 1, payload: batch.serializedBytes())
/// ```
public struct LogRecord: Sendable, Hashable {
    /// The service's tag for the payload's kind.
    public var type: UInt8
    /// The payload bytes.
    public var payload: [UInt8]

    /// Creates a record.
    /// - Parameters:
    ///   - type: The service's tag for the payload's kind.
    ///   - payload: The payload bytes (at most `StateStoreOptions.maximumRecordBytes`).
    public init(type: UInt8, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }
}
