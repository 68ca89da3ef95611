/// An error from the monitor's durable state: the state directory, the write-ahead log or a snapshot.
///
/// ```swift
/// do { try await store.append([record]) }
/// catch let error as PersistenceError where error.code == .storeFailed { /* stop acknowledging */ }
/// ```
public struct PersistenceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case io
            case locked
            case recordTooLarge
            case invalidPosition
            case storeFailed
            case closed
            case replayFailed
            case invalidOption
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A system call on the state directory failed (the cause is a `SystemError`).
        public static let io = Code(.io)
        /// Another process holds the state directory's lock.
        public static let locked = Code(.locked)
        /// A record's payload exceeds `StateStoreOptions.maximumRecordBytes`.
        public static let recordTooLarge = Code(.recordTooLarge)
        /// A position beyond the last enqueued record was passed.
        public static let invalidPosition = Code(.invalidPosition)
        /// An earlier write or sync failed; nothing written since can be trusted as durable, so the store refuses
        /// every further write (fail-stop, as PostgreSQL does after a failed fsync).
        public static let storeFailed = Code(.storeFailed)
        /// The store was closed.
        public static let closed = Code(.closed)
        /// The service's restore or replay closure threw during recovery.
        public static let replayFailed = Code(.replayFailed)
        /// An option is out of range.
        public static let invalidOption = Code(.invalidOption)

        /// The code's name.
        public var description: String {
            switch value {
            case .io: "i/o error"
            case .locked: "state directory locked"
            case .recordTooLarge: "record too large"
            case .invalidPosition: "invalid position"
            case .storeFailed: "store failed"
            case .closed: "store closed"
            case .replayFailed: "replay failed"
            case .invalidOption: "invalid option"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming the file or value involved.
    public var message: String
    /// The underlying error, such as a `SystemError` from `fdatasync`.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: A human-readable explanation naming the file or value involved.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The code, the message and the cause.
    public var description: String {
        if let cause { return "\(code): \(message) (\(cause))" }
        return "\(code): \(message)"
    }
}
