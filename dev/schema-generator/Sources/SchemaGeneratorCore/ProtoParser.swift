/// A strict parser for the proto3 subset Protos/sentinel.proto uses.
///
/// Understood: `syntax = "proto3";`, `package`, `service` with unary and server-streaming `rpc`s, `message` (nested
/// messages and enums), `enum`, `oneof`, `repeated`, scalar and message/enum field types, and `//` comments on
/// lines of their own (the comment lines directly above a declaration are its documentation). Everything else
/// (`import`, `option`, `reserved`, `optional`, `map<>`, field options, `/* */` comments, comments after code on
/// the same line, …) is an error naming the line: the generator must not silently drop meaning.
public struct ProtoParser {
    private struct Token: Equatable {
        enum Kind: Equatable {
            case identifier
            case number
            case string
            case symbol
        }

        var kind: Kind
        var text: String
        var line: Int
    }

    private var tokens: [Token] = []
    private var position = 0
    /// For each line (1-based), the comment text when the line holds only a `//` comment.
    private var commentLines: [Int: String] = [:]

    /// Parses `source`.
    /// - Throws: ``GeneratorError`` naming the line of the first thing it does not understand.
    public static func parse(_ source: String) throws -> ProtoFile {
        var parser = ProtoParser()
        try parser.tokenize(source)
        return try parser.parseFile()
    }

    // MARK: Tokens

    private mutating func tokenize(_ source: String) throws {
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let text = Array(rawLine)
            let trimmed = rawLine.drop { $0 == " " }
            if trimmed.hasPrefix("//") {
                var comment = trimmed.dropFirst(2)
                if comment.first == " " { comment = comment.dropFirst() }
                commentLines[line] = String(comment)
                continue
            }
            var i = 0
            while i < text.count {
                let character = text[i]
                if character == " " {
                    i += 1
                } else if character == "\t" || character == "\r" {
                    throw GeneratorError("tabs and carriage returns are not supported", line: line)
                } else if character == "/" {
                    throw GeneratorError(
                        "comments after code or /* */ comments are not supported; put a // comment on the line above",
                        line: line)
                } else if character.isLetter || character == "_" {
                    var end = i
                    while end < text.count,
                        text[end].isLetter || text[end].isNumber || text[end] == "_" || text[end] == "."
                    {
                        end += 1
                    }
                    tokens.append(Token(kind: .identifier, text: String(text[i..<end]), line: line))
                    i = end
                } else if character.isNumber {
                    var end = i
                    while end < text.count, text[end].isNumber { end += 1 }
                    tokens.append(Token(kind: .number, text: String(text[i..<end]), line: line))
                    i = end
                } else if character == "\"" {
                    guard let close = text[(i + 1)...].firstIndex(of: "\"") else {
                        throw GeneratorError("unterminated string", line: line)
                    }
                    tokens.append(Token(kind: .string, text: String(text[(i + 1)..<close]), line: line))
                    i = close + 1
                } else if "{}()=;".contains(character) {
                    tokens.append(Token(kind: .symbol, text: String(character), line: line))
                    i += 1
                } else {
                    throw GeneratorError("unexpected character '\(character)'", line: line)
                }
            }
        }
    }

    private var current: Token? { position < tokens.count ? tokens[position] : nil }

    private mutating func next() throws -> Token {
        guard let token = current else {
            throw GeneratorError("unexpected end of file", line: tokens.last?.line)
        }
        position += 1
        return token
    }

    private mutating func expect(_ symbol: String) throws {
        let token = try next()
        guard token.kind == .symbol || token.kind == .identifier, token.text == symbol else {
            throw GeneratorError("expected '\(symbol)', found '\(token.text)'", line: token.line)
        }
    }

    private mutating func identifier(_ what: String) throws -> Token {
        let token = try next()
        guard token.kind == .identifier else {
            throw GeneratorError("expected \(what), found '\(token.text)'", line: token.line)
        }
        return token
    }

    private mutating func number() throws -> Int {
        let token = try next()
        guard token.kind == .number, let value = Int(token.text) else {
            throw GeneratorError("expected a number, found '\(token.text)'", line: token.line)
        }
        return value
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard let token = current, token.text == symbol, token.kind != .string else { return false }
        position += 1
        return true
    }

    /// The comment lines directly above `line` (no blank line in between).
    private func doc(above line: Int) -> [String] {
        var lines: [String] = []
        var previous = line - 1
        while let comment = commentLines[previous] {
            lines.insert(comment, at: 0)
            previous -= 1
        }
        return lines
    }

    // MARK: Grammar

    private static let unsupported: Set<String> = [
        "import", "option", "reserved", "optional", "required", "map", "extend", "extensions", "group", "stream",
        "bytes", "float", "int32", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "edition",
    ]

    private mutating func parseFile() throws -> ProtoFile {
        let syntax = try identifier("`syntax`")
        guard syntax.text == "syntax" else {
            throw GeneratorError("the file must start with `syntax = \"proto3\";`", line: syntax.line)
        }
        try expect("=")
        let version = try next()
        guard version.kind == .string, version.text == "proto3" else {
            throw GeneratorError("only proto3 is supported", line: version.line)
        }
        try expect(";")
        var package = ""
        var declarations: [ProtoDeclaration] = []
        var services: [ProtoService] = []
        while let token = current {
            switch token.text {
            case "package":
                position += 1
                guard package.isEmpty else { throw GeneratorError("a second `package`", line: token.line) }
                package = try identifier("a package name").text
                try expect(";")
            case "message":
                declarations.append(.message(try parseMessage()))
            case "enum":
                declarations.append(.enumeration(try parseEnum()))
            case "service":
                services.append(try parseService())
            default:
                throw GeneratorError("unsupported top-level statement '\(token.text)'", line: token.line)
            }
        }
        guard !package.isEmpty else { throw GeneratorError("no `package` statement") }
        try Self.checkUniqueNames(declarations.map(\.name), in: "the file")
        return ProtoFile(package: package, declarations: declarations, services: services)
    }

    private mutating func parseService() throws -> ProtoService {
        _ = try next()  // `service`
        let name = try identifier("a service name").text
        try expect("{")
        var methods: [String] = []
        while !accept("}") {
            let rpc = try identifier("`rpc`")
            guard rpc.text == "rpc" else {
                throw GeneratorError("unsupported statement '\(rpc.text)' in service \(name)", line: rpc.line)
            }
            methods.append(try identifier("a method name").text)
            try expect("(")
            _ = try identifier("a request type")
            try expect(")")
            try expect("returns")
            try expect("(")
            if current?.text == "stream" { position += 1 }
            _ = try identifier("a response type")
            try expect(")")
            try expect(";")
        }
        return ProtoService(name: name, methods: methods)
    }

    private mutating func parseEnum() throws -> ProtoEnum {
        let keyword = try next()
        let name = try identifier("an enum name").text
        try expect("{")
        var values: [ProtoEnumValue] = []
        while !accept("}") {
            let valueName = try identifier("an enum value name")
            if Self.unsupported.contains(valueName.text) {
                throw GeneratorError("unsupported statement '\(valueName.text)' in enum \(name)", line: valueName.line)
            }
            try expect("=")
            let number = try number()
            try expect(";")
            values.append(ProtoEnumValue(name: valueName.text, number: number, doc: doc(above: valueName.line)))
        }
        guard values.first?.number == 0 else {
            throw GeneratorError("enum \(name): the first value must be 0 (proto3)", line: keyword.line)
        }
        try Self.checkUniqueNames(values.map(\.name), in: "enum \(name)")
        guard Set(values.map(\.number)).count == values.count else {
            throw GeneratorError("enum \(name): duplicate numbers (aliases are not supported)", line: keyword.line)
        }
        return ProtoEnum(name: name, doc: doc(above: keyword.line), values: values)
    }

    private mutating func parseMessage() throws -> ProtoMessage {
        let keyword = try next()
        let name = try identifier("a message name").text
        try expect("{")
        var message = ProtoMessage(name: name, doc: doc(above: keyword.line), fields: [], oneofs: [], nested: [])
        while !accept("}") {
            guard let token = current else { throw GeneratorError("unterminated message \(name)") }
            switch token.text {
            case "message":
                message.nested.append(.message(try parseMessage()))
            case "enum":
                message.nested.append(.enumeration(try parseEnum()))
            case "oneof":
                position += 1
                let oneofName = try identifier("a oneof name").text
                try expect("{")
                var members: [String] = []
                while !accept("}") {
                    let field = try parseField(repeatedAllowed: false, oneof: oneofName, in: name)
                    members.append(field.name)
                    message.fields.append(field)
                }
                guard !members.isEmpty else {
                    throw GeneratorError("oneof \(oneofName) in \(name) is empty", line: token.line)
                }
                message.oneofs.append(ProtoOneof(name: oneofName, doc: doc(above: token.line), members: members))
            default:
                message.fields.append(try parseField(repeatedAllowed: true, oneof: nil, in: name))
            }
        }
        try Self.checkUniqueNames(message.fields.map(\.name) + message.oneofs.map(\.name), in: "message \(name)")
        try Self.checkUniqueNames(message.nested.map(\.name), in: "message \(name)")
        guard Set(message.fields.map(\.number)).count == message.fields.count else {
            throw GeneratorError("message \(name): duplicate field numbers", line: keyword.line)
        }
        return message
    }

    private mutating func parseField(repeatedAllowed: Bool, oneof: String?, in message: String) throws -> ProtoField {
        var first = try identifier("a field")
        var isRepeated = false
        if first.text == "repeated" {
            guard repeatedAllowed else {
                throw GeneratorError("`repeated` inside a oneof in \(message)", line: first.line)
            }
            isRepeated = true
            first = try identifier("a field type")
        }
        if Self.unsupported.contains(first.text) {
            throw GeneratorError("unsupported: '\(first.text)' in message \(message)", line: first.line)
        }
        let name = try identifier("a field name")
        try expect("=")
        let number = try number()
        guard (1...536_870_911).contains(number), !(19000...19999).contains(number) else {
            throw GeneratorError("field \(name.text): invalid field number \(number)", line: name.line)
        }
        try expect(";")
        return ProtoField(
            name: name.text, type: first.text, number: number, isRepeated: isRepeated, oneof: oneof,
            doc: doc(above: first.line))
    }

    private static func checkUniqueNames(_ names: [String], in scope: String) throws {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted {
            throw GeneratorError("\(scope): '\(name)' is declared twice")
        }
    }
}
