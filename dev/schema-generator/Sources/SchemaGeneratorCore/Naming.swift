/// How proto names become Swift and protoc-c names.
///
/// Swift property names follow from field names by rules:
/// - `snake_case` becomes `lowerCamelCase` (`transaction_id` → `transactionId`, `card_precision_at_100` →
///   `cardPrecisionAt100`, `p_value` → `pValue`);
/// - a unit suffix is spelled out: `_unix_us` (a time since the epoch) → `Microseconds`, `_us` → `Microseconds`,
///   `_ns` → `Nanoseconds` (`event_time_unix_us` → `eventTimeMicroseconds`, `p50_ns` → `p50Nanoseconds`).
///
/// Enum cases drop the enum's `SCREAMING_CASE` name as a prefix when it has one (`ALERT_LEVEL_OK` → `ok`,
/// `NOT_SERVING` → `notServing`). Type names are the proto's. ``propertyOverrides`` lists the only names that
/// do not follow the rules.
public enum Naming {
    /// Field names whose Swift property name does not follow the rules, with why; keep it as small as possible.
    ///
    /// - `exact_ks` → `exactKS` (MonitorSnapshotRequest, MonitorSnapshotResponse.FeatureDrift): "KS" is an
    ///   initialism (Kolmogorov–Smirnov; the message type is `ExactKS`), and Swift spells initialisms in one case.
    ///   `ks_statistic` starts with it, so the rule's `ksStatistic` is right there.
    public static let propertyOverrides: [String: String] = [
        "exact_ks": "exactKS"
    ]

    /// Singular message fields whose absence means something, so they map to an optional property; every other
    /// singular message field maps to a non-optional property that decodes as the type's default when absent.
    ///
    /// - `MonitorSnapshotResponse.FeatureDrift.exact_ks`: "present only when requested" (the .proto).
    public static let optionalMessageFields: Set<String> = [
        "MonitorSnapshotResponse.FeatureDrift.exact_ks"
    ]

    static let swiftKeywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "static", "struct", "subscript",
        "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for",
        "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is",
        "nil", "rethrows", "super", "self", "Self", "throw", "throws", "true", "try", "package", "some", "any",
    ]

    /// The Swift property name for a field.
    /// - Throws: ``GeneratorError`` when the result would be a Swift keyword (add an override).
    public static func propertyName(_ field: String) throws -> String {
        if let name = propertyOverrides[field] { return name }
        var words = field.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard !words.contains(where: \.isEmpty), words.allSatisfy({ $0 == $0.lowercased() }) else {
            throw GeneratorError("field '\(field)' is not snake_case")
        }
        if words.count > 2, words.suffix(2) == ["unix", "us"] {
            words.removeLast(2)
            words.append("microseconds")
        } else if words.count > 1, words.last == "us" {
            words[words.count - 1] = "microseconds"
        } else if words.count > 1, words.last == "ns" {
            words[words.count - 1] = "nanoseconds"
        }
        let name = lowerCamel(words)
        guard !swiftKeywords.contains(name) else {
            throw GeneratorError("field '\(field)' would be the Swift keyword '\(name)'; add an override")
        }
        return name
    }

    /// The Swift case name for an enum value, `prefix` (the enum's name in SCREAMING_CASE plus `_`) removed.
    public static func caseName(_ value: String, prefix: String) throws -> String {
        var name = Substring(value)
        if !prefix.isEmpty {
            guard name.hasPrefix(prefix) else {
                throw GeneratorError("enum value \(value) lacks the prefix \(prefix) its siblings have")
            }
            name = name.dropFirst(prefix.count)
        }
        let words = name.split(separator: "_").map { $0.lowercased() }
        guard let first = words.first, first.first?.isLetter == true else {
            throw GeneratorError("enum value \(value) does not give a Swift name")
        }
        let result = lowerCamel(words)
        guard !swiftKeywords.contains(result) else {
            throw GeneratorError("enum value \(value) would be the Swift keyword '\(result)'")
        }
        return result
    }

    static func lowerCamel(_ words: [String]) -> String {
        guard let first = words.first else { return "" }
        return first + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `CamelCase` → `camel_case` as protoc-c spells it: an underscore before each capital that follows a
    /// non-capital (`ExactKS` → `exact_ks`).
    public static func cLower(_ camel: String) -> String {
        var result = ""
        var previousWasUpper = true
        for character in camel {
            if character.isUppercase {
                if !previousWasUpper { result += "_" }
                result += character.lowercased()
                previousWasUpper = true
            } else {
                result.append(character)
                previousWasUpper = false
            }
        }
        return result
    }

    /// `CamelCase` → `CAMEL_CASE` as protoc-c spells it.
    public static func cUpper(_ camel: String) -> String {
        cLower(camel).uppercased()
    }
}
