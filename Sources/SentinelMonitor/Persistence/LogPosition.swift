/// A place in the write-ahead log: the number of records appended before it since the state began.
///
/// Record *n* (counting from 0) lies between positions *n* and *n* + 1. A snapshot "covering position *p*"
/// holds the effect of records 0..<*p*; recovery replays the records from *p* on.
///
/// ```swift
/// let end = try store.enqueue([record])   // the position after the record
/// try await store.waitUntilDurable(end)
/// ```
public struct LogPosition: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The number of records before this position.
    public var index: UInt64

    /// Creates a position.
    /// - Parameter index: The number of records before it.
    public init(_ index: UInt64) {
        self.index = index
    }

    /// The position before the first record.
    public static let start = LogPosition(0)

    /// Orders positions by their index.
    public static func < (lhs: LogPosition, rhs: LogPosition) -> Bool { lhs.index < rhs.index }

    /// The index in decimal.
    public var description: String { String(index) }
}
