public import Foundation

/// Writes a service's log: one JSON object per line, `time` (RFC 3339 UTC, milliseconds), `level`, `msg`, then the
/// fields in order (`{"time":"2026-11-29T07:12:41.503Z","level":"info","msg":"listening","address":"…"}`).
///
/// Shared by `sentinel-api` and `sentinel-monitor`. Each line is handed to the sink whole, and the standard-output
/// sink writes it with one `write`, so lines from different threads never interleave. The sink is injectable so
/// tests can capture the lines.
///
/// ```swift
/// let log = JSONLog.standardOutput
/// log.info("listening", ["address": .string("127.0.0.1:8000")])
/// log.log(.warning, "alert transition", ["value": .double(0.31)])
/// let reporterLog = log.component("event-reporter")  // every line gains "component":"event-reporter"
/// ```
public struct JSONLog: Sendable {
    /// A line's severity, written as its raw value.
    public enum Level: String, Sendable, Comparable, CaseIterable {
        /// Detail for developers.
        case debug
        /// Normal operation: started, listening, stopped.
        case info
        /// Something an operator may need to act on: an alert, dropped events, a retry.
        case warning
        /// A failure: a request, a write or a start-up that did not succeed.
        case error

        private var rank: Int { Self.allCases.firstIndex(of: self)! }

        /// Whether `lhs` is less severe than `rhs`.
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// A field's value.
    public enum Value: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// A string, escaped as JSON.
        case string(String)
        /// An integer.
        case int(Int64)
        /// A number; non-finite values are written as strings (`"nan"`), which JSON cannot hold as numbers.
        case double(Double)
        /// A Boolean.
        case bool(Bool)
        /// An unsigned integer (sequence numbers, byte counts).
        case uint(UInt64)
        /// A list of strings.
        case strings([String])

        /// A string value.
        public init(stringLiteral value: String) { self = .string(value) }
        /// An integer value.
        public init(integerLiteral value: Int64) { self = .int(value) }
    }

    private let sink: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date
    private let prefix: [(String, Value)]

    /// Creates a log that hands each finished line (without the newline) to `sink`.
    /// - Parameters:
    ///   - clock: The time written in each line (default: now).
    ///   - sink: Receives each line; called from any thread.
    public init(clock: @escaping @Sendable () -> Date = { Date() }, sink: @escaping @Sendable (String) -> Void) {
        self.clock = clock
        self.sink = sink
        self.prefix = []
    }

    private init(
        clock: @escaping @Sendable () -> Date, sink: @escaping @Sendable (String) -> Void,
        prefix: [(String, Value)]
    ) {
        self.clock = clock
        self.sink = sink
        self.prefix = prefix
    }

    /// The same log, with `"component":name` written right after `msg` on every line.
    /// - Parameter name: The component, e.g. `event-reporter`.
    /// - Returns: The log for that component.
    public func component(_ name: String) -> JSONLog {
        JSONLog(clock: clock, sink: sink, prefix: prefix + [("component", .string(name))])
    }

    /// A log on standard output.
    public static let standardOutput = JSONLog { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Logs at level `info`.
    /// - Parameters:
    ///   - message: The event, e.g. `listening`.
    ///   - fields: Extra fields, in order.
    public func info(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(.info, message, fields.map { ($0.key, $0.value) })
    }

    /// Logs at level `warning`.
    /// - Parameters:
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func warning(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(.warning, message, fields.map { ($0.key, $0.value) })
    }

    /// Logs at level `error`.
    /// - Parameters:
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func error(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(.error, message, fields.map { ($0.key, $0.value) })
    }

    /// Logs at any level.
    /// - Parameters:
    ///   - level: The level.
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(level, message, fields.map { ($0.key, $0.value) })
    }

    /// Logs at any level, with fields built at run time.
    /// - Parameters:
    ///   - level: The level.
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func log(_ level: Level, _ message: String, _ fields: [(String, Value)]) {
        let time = ISO8601DateFormatter.string(
            from: clock(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":"
        JSONString.append(message, to: &line)
        for (key, value) in prefix + fields {
            line += ","
            JSONString.append(key, to: &line)
            line += ":"
            Self.render(value, to: &line)
        }
        sink(line + "}")
    }

    private static func render(_ value: Value, to line: inout String) {
        switch value {
        case .string(let text): JSONString.append(text, to: &line)
        case .int(let number): line += String(number)
        case .uint(let number): line += String(number)
        case .double(let number):
            if number.isFinite { line += "\(number)" } else { JSONString.append("\(number)", to: &line) }
        case .bool(let flag): line += flag ? "true" : "false"
        case .strings(let list):
            line += "["
            for (index, text) in list.enumerated() {
                if index > 0 { line += "," }
                JSONString.append(text, to: &line)
            }
            line += "]"
        }
    }
}
