/// JSON string literals: the one escaper behind the service log, the dashboard's JSON and the CLI's JSON output.
///
/// Quotes, backslashes and control characters are escaped as RFC 8259 requires, and `<` as `\u003c`, so the text
/// is also safe inside an HTML `<script>` element. Everything else is written as is (UTF-8).
///
/// ```swift
/// var text = ""
/// JSONString.append("a \"quoted\" word", to: &text)  // "a \"quoted\" word"
/// ```
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    /// - Parameter text: Any string.
    /// - Returns: The literal.
    public static func quote(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal (quotes included) to `out`.
    /// - Parameters:
    ///   - text: Any string.
    ///   - out: The text to append to.
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
