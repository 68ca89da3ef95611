import Foundation

/// Writes the reporter's JSON log lines (one object per line) to a sink, stdout by default.
///
/// Lines: `{"time":"…","level":"warning","msg":"events_dropped","component":"event-reporter",…}` (the service
/// log's layout). Keys after `component` are specific to the message. The reporter logs state changes (monitor
/// reachable or not, spool replay started and finished), startup and shutdown, spool corruption, and drops at
/// most once per second with the count since the previous line.
struct ReporterLog: Sendable {
    /// A line's severity.
    enum Level: String, Sendable {
        case info
        case warning
        case error
    }

    /// A value in a log line.
    enum Value: Sendable {
        case string(String)
        case int(Int)
        case uint(UInt64)
        case bool(Bool)
    }

    let sink: @Sendable (String) -> Void

    /// Writes one line.
    func emit(_ level: Level, _ event: String, _ fields: [(String, Value)] = []) {
        let time = ISO8601DateFormatter.string(
            from: Date(), timeZone: .gmt, formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":" + Self.quote(event)
        line += ",\"component\":\"event-reporter\""
        for (key, value) in fields {
            line += "," + Self.quote(key) + ":"
            switch value {
            case .string(let text): line += Self.quote(text)
            case .int(let number): line += String(number)
            case .uint(let number): line += String(number)
            case .bool(let flag): line += flag ? "true" : "false"
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
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Writes to standard output, one `write` per line.
    static let standardOutput = ReporterLog { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
