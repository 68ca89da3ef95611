/// A failure of the event reporter that concerns the reporter as a whole (its spool directory or state file),
/// as opposed to one event.
///
/// Delivery failures (monitor unreachable, slow or refusing a batch) are never thrown: the reporter spools and
/// retries, and shows the last one in ``ReporterStatistics/lastError``.
///
/// ```swift
/// do {
///     _ = try EventReporter(configuration: configuration)
/// } catch let error as ReportingError where error.code == .spoolInUse {
///     print(error)  // spool directory /var/spool/sentinel is in use by another reporter
/// }
/// ```
public struct ReportingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidConfiguration
            case spoolUnavailable
            case spoolInUse
            case stateCorrupt
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A configuration value is out of range (for example a batch size of 0).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The spool directory or one of its files cannot be created, read or written.
        public static let spoolUnavailable = Code(.spoolUnavailable)
        /// Another reporter (process) holds the spool directory's lock.
        public static let spoolInUse = Code(.spoolInUse)
        /// The reporter's state file exists but cannot be parsed; continuing could reuse sequence numbers.
        public static let stateCorrupt = Code(.stateCorrupt)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// Details for people: which file or value, and why.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Details for people.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message, or the code's name when the message is empty.
    public var description: String { message.isEmpty ? code.description : "\(code): \(message)" }
}
