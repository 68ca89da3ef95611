/// An error from the metrics registry: an invalid name or a registration that contradicts an earlier one.
///
/// ```swift
/// do { _ = try registry.makeCounter(name: "bad name", help: "…") }
/// catch let error as MetricsError where error.code == .invalidName { print(error) }
/// ```
public struct MetricsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case invalidName
            case invalidLabel
            case conflictingRegistration
            case invalidBuckets
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A metric name outside `[a-zA-Z_:][a-zA-Z0-9_:]*`.
        public static let invalidName = Code(.invalidName)
        /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*`, reserved (`__…`, `le` on a histogram, `quantile`
        /// on a summary).
        public static let invalidLabel = Code(.invalidLabel)
        /// A name registered before with another type, help text, label names or buckets.
        public static let conflictingRegistration = Code(.conflictingRegistration)
        /// Histogram buckets that are empty, unsorted, repeated or not finite.
        public static let invalidBuckets = Code(.invalidBuckets)

        /// The code's name.
        public var description: String {
            switch value {
            case .invalidName: "invalid name"
            case .invalidLabel: "invalid label"
            case .conflictingRegistration: "conflicting registration"
            case .invalidBuckets: "invalid buckets"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming the metric.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: A human-readable explanation naming the metric.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The code and the message.
    public var description: String { "\(code): \(message)" }
}
