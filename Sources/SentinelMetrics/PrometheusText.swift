/// Escaping and number formatting of the Prometheus text exposition format 0.0.4.
///
/// ```swift
/// PrometheusText.labelText(["path": "/a\"b"])   // {path="/a\"b"}
/// PrometheusText.format(.infinity)              // +Inf
/// ```
public enum PrometheusText {
    /// Escapes a HELP text: backslash and line feed.
    /// - Parameter help: The raw text.
    /// - Returns: The escaped text.
    public static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Escapes a label value: backslash, double quote and line feed.
    /// - Parameter value: The raw value.
    /// - Returns: The escaped value.
    public static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// The `{name="value",…}` part of a sample line, labels sorted by name; empty without labels.
    /// - Parameters:
    ///   - labels: The series' labels.
    ///   - extra: A label appended last (`le` or `quantile`).
    /// - Returns: The label text.
    public static func labelText(_ labels: [String: String], extra: (String, String)? = nil) -> String {
        var pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escapeLabelValue($0.value))\"" }
        if let (name, value) = extra { pairs.append("\(name)=\"\(escapeLabelValue(value))\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    /// Formats a sample value: integers without a fraction, others in shortest round-trip form,
    /// `+Inf`, `-Inf` and `NaN` as Prometheus spells them.
    /// - Parameter value: The value.
    /// - Returns: Its text.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
