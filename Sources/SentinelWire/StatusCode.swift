/// The outcome of a call, numbered exactly as gRPC's status codes 0–16.
///
/// A response with ``ok`` carries the method's reply in its payload; any other code carries a UTF-8 message.
///
/// ```swift
/// if header.code == StatusCode.ok.rawValue { ... }
/// print(StatusCode.deadlineExceeded)  // DEADLINE_EXCEEDED
/// ```
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number on the wire (bytes 12–13 of a RESPONSE or GOAWAY header).
    public var rawValue: UInt16

    /// Creates a status from its wire number; numbers above 16 are kept and print as `CODE(n)`.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 0: success.
    public static let ok = StatusCode(rawValue: 0)
    /// 1: the call was cancelled, typically by the caller.
    public static let cancelled = StatusCode(rawValue: 1)
    /// 2: an error with no better code.
    public static let unknown = StatusCode(rawValue: 2)
    /// 3: the request is malformed (for example, its payload is not a valid message).
    public static let invalidArgument = StatusCode(rawValue: 3)
    /// 4: the deadline passed before the work finished.
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    /// 5: a requested entity does not exist.
    public static let notFound = StatusCode(rawValue: 5)
    /// 6: the entity to create already exists.
    public static let alreadyExists = StatusCode(rawValue: 6)
    /// 7: the caller may not do this.
    public static let permissionDenied = StatusCode(rawValue: 7)
    /// 8: a limit was hit (frame size, requests in flight, connections).
    public static let resourceExhausted = StatusCode(rawValue: 8)
    /// 9: the system is not in a state the operation needs.
    public static let failedPrecondition = StatusCode(rawValue: 9)
    /// 10: the operation was aborted, typically by a concurrency conflict.
    public static let aborted = StatusCode(rawValue: 10)
    /// 11: a value is outside its valid range.
    public static let outOfRange = StatusCode(rawValue: 11)
    /// 12: the method is not implemented by this server.
    public static let unimplemented = StatusCode(rawValue: 12)
    /// 13: a server bug; the message does not reveal internals.
    public static let `internal` = StatusCode(rawValue: 13)
    /// 14: the service is not available now (shutting down, not connected); safe to retry.
    public static let unavailable = StatusCode(rawValue: 14)
    /// 15: unrecoverable data loss.
    public static let dataLoss = StatusCode(rawValue: 15)
    /// 16: the caller did not present valid credentials.
    public static let unauthenticated = StatusCode(rawValue: 16)

    /// gRPC's names, indexed by number.
    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    /// Every defined code, 0 through 16.
    public static let allDefined: [StatusCode] = (0...16).map { StatusCode(rawValue: UInt16($0)) }

    /// gRPC's name, such as `DEADLINE_EXCEEDED`.
    public var name: String {
        Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "CODE(\(rawValue))"
    }

    /// Same as ``name``.
    public var description: String { name }
}
