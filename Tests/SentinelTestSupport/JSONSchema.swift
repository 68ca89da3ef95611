import Foundation

/// A JSON value, decoded without Foundation's number ambiguity (`true` is never `1`, `1` is never `1.0`).
public indirect enum JSONValue: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses JSON text.
    public init(parsing text: String) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The value as a number, when it is one.
    var numeric: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .unsigned(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    /// The JSON Schema type names the value satisfies (`integer` values are also `number`s).
    var typeNames: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer, .unsigned: ["integer", "number"]
        case .number: ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }
}

/// A validator for the subset of JSON Schema (draft 2020-12) the schemas in `Docs/schemas/` use: `type`, `enum`,
/// `minimum`, `properties`, `required`, `additionalProperties`, `items`, `oneOf` and `$ref` to `#/$defs/…`.
///
/// A keyword outside that subset is itself reported as a violation, so a schema can never carry a constraint the
/// tests silently skip.
public struct JSONSchema: Sendable {
    private let root: JSONValue
    private static let annotations: Set<String> = ["$schema", "$defs", "title", "description"]

    /// Loads `Docs/schemas/<name>.schema.json` from the repository.
    public init(named name: String, file: StaticString = #filePath) throws {
        let repository = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = repository.appendingPathComponent("Docs/schemas/\(name).schema.json").path
        try self.init(text: String(contentsOfFile: path, encoding: .utf8))
    }

    /// Parses a schema.
    public init(text: String) throws {
        root = try JSONValue(parsing: text)
    }

    /// Every place `text` breaks the schema, as `path: problem` lines; empty when it conforms.
    public func violations(of text: String) -> [String] {
        do {
            var found: [String] = []
            check(try JSONValue(parsing: text), against: root, at: "$", into: &found)
            return found
        } catch {
            return ["$: not JSON (\(error))"]
        }
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into found: inout [String]) {
        guard case .object(let keywords) = schema else {
            found.append("\(path): schema is not an object")
            return
        }
        for (keyword, argument) in keywords.sorted(by: { $0.key < $1.key }) {
            switch keyword {
            case _ where Self.annotations.contains(keyword):
                continue
            case "$ref":
                guard case .string(let reference) = argument, reference.hasPrefix("#/$defs/"),
                    case .object(let rootKeywords) = root, case .object(let definitions) = rootKeywords["$defs"],
                    let target = definitions[String(reference.dropFirst("#/$defs/".count))]
                else {
                    found.append("\(path): unresolvable $ref \(argument)")
                    continue
                }
                check(value, against: target, at: path, into: &found)
            case "type":
                let allowed: [String] =
                    switch argument {
                    case .string(let name): [name]
                    case .array(let names): names.compactMap { if case .string(let name) = $0 { name } else { nil } }
                    default: []
                    }
                if value.typeNames.isDisjoint(with: allowed) {
                    found.append("\(path): \(Array(value.typeNames).sorted()) where \(allowed) is required")
                }
            case "enum":
                if case .array(let options) = argument, !options.contains(value) {
                    found.append("\(path): \(value) is not one of \(options)")
                }
            case "minimum":
                if let number = value.numeric, let minimum = argument.numeric, number < minimum {
                    found.append("\(path): \(number) is below \(minimum)")
                }
            case "required":
                guard case .object(let members) = value, case .array(let names) = argument else { continue }
                for case .string(let name) in names where members[name] == nil {
                    found.append("\(path): missing \"\(name)\"")
                }
            case "properties":
                guard case .object(let members) = value, case .object(let properties) = argument else { continue }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                    if let property = properties[name] {
                        check(member, against: property, at: "\(path).\(name)", into: &found)
                    }
                }
            case "additionalProperties":
                guard case .object(let members) = value else { continue }
                let declared: [String: JSONValue] =
                    if case .object(let properties) = keywords["properties"] { properties } else { [:] }
                for (name, member) in members.sorted(by: { $0.key < $1.key }) where declared[name] == nil {
                    if argument == .bool(false) {
                        found.append("\(path): undocumented key \"\(name)\"")
                    } else if argument != .bool(true) {
                        check(member, against: argument, at: "\(path).\(name)", into: &found)
                    }
                }
            case "items":
                guard case .array(let elements) = value else { continue }
                for (index, element) in elements.enumerated() {
                    check(element, against: argument, at: "\(path)[\(index)]", into: &found)
                }
            case "oneOf":
                guard case .array(let alternatives) = argument else { continue }
                let matching = alternatives.filter { alternative in
                    var nested: [String] = []
                    check(value, against: alternative, at: path, into: &nested)
                    return nested.isEmpty
                }
                if matching.count != 1 {
                    found.append("\(path): matches \(matching.count) of the oneOf alternatives, not exactly 1")
                }
            default:
                found.append("\(path): the schema uses \"\(keyword)\", which this validator does not check")
            }
        }
    }
}
