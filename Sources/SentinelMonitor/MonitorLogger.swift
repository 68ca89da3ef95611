import Foundation

/// Writes the monitor's JSON log lines (one object per line: `level`, `msg`, then the fields in order).
///
/// The sink is injectable so tests can capture the lines.
///
/// ```swift
/// let logger = MonitorLogger.standardOutput
/// logger.log("info", "listening", ["address": .string("127.0.0.1:8001")])
/// ```
public struct MonitorLogger: Sendable {
    /// A field's value.
    public enum Value: Sendable, Equatable {
        /// A JSON string.
        case string(String)
        /// A JSON number (NaN and infinities are written as strings).
        case number(Double)
        /// A JSON integer.
        case integer(Int64)
    }

    private let sink: @Sendable (String) -> Void

    /// Creates a logger writing each line (without the newline) to `sink`.
    /// - Parameter sink: Receives one complete JSON line per call.
    public init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// A logger writing to standard output.
    public static let standardOutput = MonitorLogger { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes one line.
    /// - Parameters:
    ///   - level: `info`, `warn` or `error`.
    ///   - message: What happened.
    ///   - fields: Extra fields, in order.
    public func log(_ level: String, _ message: String, _ fields: KeyValuePairs<String, Value> = [:]) {
        log(level, message, fields: Array(fields))
    }

    /// Writes one line.
    /// - Parameters:
    ///   - level: `info`, `warn` or `error`.
    ///   - message: What happened.
    ///   - fields: Extra fields, in order.
    public func log(_ level: String, _ message: String, fields: [(key: String, value: Value)]) {
        var line = "{\"level\":\(Self.quote(level)),\"msg\":\(Self.quote(message))"
        for (key, value) in fields {
            line += ",\(Self.quote(key)):"
            switch value {
            case .string(let text): line += Self.quote(text)
            case .integer(let number): line += String(number)
            case .number(let number): line += number.isFinite ? String(number) : Self.quote(String(number))
            }
        }
        sink(line + "}")
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
