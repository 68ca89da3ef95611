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
/// log.log("warn", "alert transition", ["value": .double(0.31)])
/// ```
public struct JSONLog: Sendable {
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
        /// A list of strings.
        case strings([String])

        /// A string value.
        public init(stringLiteral value: String) { self = .string(value) }
        /// An integer value.
        public init(integerLiteral value: Int64) { self = .int(value) }
    }

    private let sink: @Sendable (String) -> Void
    private let clock: @Sendable () -> Date

    /// Creates a log that hands each finished line (without the newline) to `sink`.
    /// - Parameters:
    ///   - clock: The time written in each line (default: now).
    ///   - sink: Receives each line; called from any thread.
    public init(clock: @escaping @Sendable () -> Date = { Date() }, sink: @escaping @Sendable (String) -> Void) {
        self.clock = clock
        self.sink = sink
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
        log("info", message, fields: Array(fields))
    }

    /// Logs at level `warning`.
    /// - Parameters:
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func warning(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log("warning", message, fields: Array(fields))
    }

    /// Logs at level `error`.
    /// - Parameters:
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func error(_ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log("error", message, fields: Array(fields))
    }

    /// Logs at any level.
    /// - Parameters:
    ///   - level: The level, e.g. `info`, `warn`, `error`.
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func log(_ level: String, _ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(level, message, fields: Array(fields))
    }

    /// Logs at any level, with fields built at run time.
    /// - Parameters:
    ///   - level: The level, e.g. `info`, `warn`, `error`.
    ///   - message: The event.
    ///   - fields: Extra fields, in order.
    public func log(_ level: String, _ message: String, fields: [(key: String, value: Value)]) {
        let time = ISO8601DateFormatter.string(
            from: clock(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var line = "{\"time\":\(Self.quote(time)),\"level\":\(Self.quote(level)),\"msg\":\(Self.quote(message))"
        for (key, value) in fields {
            line += ",\(Self.quote(key)):\(Self.render(value))"
        }
        sink(line + "}")
    }

    private static func render(_ value: Value) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? "\(number)" : quote("\(number)")
        case .bool(let flag): return flag ? "true" : "false"
        case .strings(let list): return "[" + list.map(quote).joined(separator: ",") + "]"
        }
    }

    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    /// - Parameter text: Any string.
    /// - Returns: The literal, quotes included.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out +=
                    "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count)
                    + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
