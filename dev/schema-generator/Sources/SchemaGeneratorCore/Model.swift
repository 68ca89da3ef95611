/// The .proto file resolved for Swift: every message and enum with its Swift and C names, every field with its
/// kind and Swift property.
struct Model {
    /// A resolved message.
    final class Message {
        let proto: ProtoMessage
        /// The Swift path, e.g. `["ScoreBatchResponse", "Item"]`.
        let path: [String]
        let protoFullName: String
        let cStruct: String
        let cLower: String
        let cUpper: String
        var properties: [Property] = []
        var nestedMessages: [Message] = []
        var nestedEnums: [Enumeration] = []

        init(proto: ProtoMessage, path: [String], package: String) {
            self.proto = proto
            self.path = path
            protoFullName = ([package] + path).joined(separator: ".")
            let packageParts = package.split(separator: ".").map(String.init)
            cStruct = (packageParts.map { $0.prefix(1).uppercased() + $0.dropFirst() } + path).joined(separator: "__")
            cLower = (packageParts + path.map(Naming.cLower)).joined(separator: "__")
            cUpper = cLower.uppercased()
        }

        var swiftName: String { path.joined(separator: ".") }
        var isTopLevel: Bool { path.count == 1 }
        var hasFields: Bool { !properties.isEmpty }

        /// A message packed by borrowing its storage (``withBorrowedCMessage``): no message fields, no repeated
        /// strings, no oneof of several members, at least one field.
        var isFlat: Bool {
            hasFields
                && properties.allSatisfy { property in
                    switch property.storage {
                    case .field(let field):
                        if case .message = field.kind { return false }
                        return !(field.isRepeated && field.kind == .string)
                    case .optionalOneof(_, let field):
                        if case .message = field.kind { return false }
                        return true
                    case .oneofEnum:
                        return false
                    }
                }
        }

        /// All proto fields, in declaration order.
        var fields: [Field] {
            properties.flatMap { property -> [Field] in
                switch property.storage {
                case .field(let field), .optionalOneof(_, let field): [field]
                case .oneofEnum(_, let members): members
                }
            }.sorted { $0.declarationIndex < $1.declarationIndex }
        }
    }

    /// A resolved enum.
    struct Enumeration {
        let proto: ProtoEnum
        let path: [String]
        /// Swift case names, one per value.
        let caseNames: [String]

        var swiftName: String { path.joined(separator: ".") }
    }

    /// What a field holds.
    enum Kind: Equatable {
        case double
        case int64
        case uint64
        case uint32
        case bool
        case string
        case enumeration(swiftType: String, defaultCase: String)
        case message(swiftType: String)

        var swiftType: String {
            switch self {
            case .double: "Double"
            case .int64: "Int64"
            case .uint64: "UInt64"
            case .uint32: "UInt32"
            case .bool: "Bool"
            case .string: "String"
            case .enumeration(let type, _), .message(let type): type
            }
        }

        var defaultValue: String {
            switch self {
            case .double, .int64, .uint64, .uint32: "0"
            case .bool: "false"
            case .string: "\"\""
            case .enumeration(_, let defaultCase): ".\(defaultCase)"
            case .message(let type): "\(type)()"
            }
        }

        /// The protobuf wire type of one (unpacked) value.
        var wireType: UInt8 {
            switch self {
            case .int64, .uint64, .uint32, .bool, .enumeration: 0
            case .double: 1
            case .string, .message: 2
            }
        }
    }

    /// A resolved field.
    struct Field {
        let proto: ProtoField
        let kind: Kind
        let swiftName: String
        let declarationIndex: Int

        var isRepeated: Bool { proto.isRepeated }
        var cName: String { proto.name }
        var swiftType: String { isRepeated ? "[\(kind.swiftType)]" : kind.swiftType }

        /// The wire type of the field's tag: repeated scalars are packed (proto3), so length-delimited.
        var wireType: UInt8 { isRepeated ? 2 : kind.wireType }
        var tag: Int { proto.number << 3 | Int(wireType) }
    }

    /// How a Swift property is stored on the wire.
    enum Storage {
        /// One field (optional when its absence means something: ``Naming/optionalMessageFields``).
        case field(Field)
        /// A `oneof` with a single member: a presence wrapper (proto3 `optional` without protoc-c's support); an
        /// optional property.
        case optionalOneof(ProtoOneof, Field)
        /// A `oneof` of several members: a required Swift enum with one case per member; decoding throws when no
        /// member is set.
        case oneofEnum(ProtoOneof, [Field])
    }

    /// A Swift stored property.
    struct Property {
        let name: String
        let type: String
        let defaultValue: String?
        let doc: [String]
        let storage: Storage
        let isOptional: Bool
    }

    let file: ProtoFile
    private(set) var messages: [Message] = []
    private(set) var enums: [Enumeration] = []
    /// Every declared type by Swift path, for name resolution.
    private var declared: [String: ProtoDeclaration] = [:]

    init(_ file: ProtoFile) throws {
        self.file = file
        register(file.declarations, path: [])
        for declaration in file.declarations {
            switch declaration {
            case .message(let message): messages.append(try resolve(message, path: [message.name]))
            case .enumeration(let enumeration): enums.append(try Self.resolve(enumeration, path: [enumeration.name]))
            }
        }
    }

    private mutating func register(_ declarations: [ProtoDeclaration], path: [String]) {
        for declaration in declarations {
            let inner = path + [declaration.name]
            declared[inner.joined(separator: ".")] = declaration
            if case .message(let message) = declaration { register(message.nested, path: inner) }
        }
    }

    private static func resolve(_ enumeration: ProtoEnum, path: [String]) throws -> Enumeration {
        let prefix = Naming.cUpper(enumeration.name) + "_"
        let prefixed = enumeration.values.filter { $0.name.hasPrefix(prefix) }.count
        guard prefixed == 0 || prefixed == enumeration.values.count else {
            throw GeneratorError("enum \(enumeration.name): either every value or none starts with \(prefix)")
        }
        let names = try enumeration.values.map { try Naming.caseName($0.name, prefix: prefixed > 0 ? prefix : "") }
        guard Set(names).count == names.count else {
            throw GeneratorError("enum \(enumeration.name): two values give the same Swift case")
        }
        return Enumeration(proto: enumeration, path: path, caseNames: names)
    }

    /// Resolves a type name as protobuf scopes it: innermost enclosing message first, then outwards.
    private func resolveType(_ name: String, from scope: [String]) throws -> Kind {
        switch name {
        case "double": return .double
        case "int64": return .int64
        case "uint64": return .uint64
        case "uint32": return .uint32
        case "bool": return .bool
        case "string": return .string
        default: break
        }
        let parts = name.split(separator: ".").map(String.init)
        for depth in stride(from: scope.count, through: 0, by: -1) {
            let candidate = Array(scope.prefix(depth)) + parts
            switch declared[candidate.joined(separator: ".")] {
            case .message?:
                return .message(swiftType: candidate.joined(separator: "."))
            case .enumeration(let enumeration)?:
                let resolved = try Self.resolve(enumeration, path: candidate)
                return .enumeration(swiftType: candidate.joined(separator: "."), defaultCase: resolved.caseNames[0])
            case nil:
                continue
            }
        }
        throw GeneratorError("\(scope.joined(separator: ".")): unknown type '\(name)'")
    }

    private func resolve(_ proto: ProtoMessage, path: [String]) throws -> Message {
        let message = Message(proto: proto, path: path, package: file.package)
        let scope = path.joined(separator: ".")
        var fields: [String: Field] = [:]
        for (index, protoField) in proto.fields.enumerated() {
            let kind = try resolveType(protoField.type, from: path)
            if protoField.isRepeated, kind == .bool || { if case .enumeration = kind { true } else { false } }() {
                throw GeneratorError("\(scope).\(protoField.name): repeated bool and enum fields are not supported")
            }
            guard protoField.number <= 15 else {
                throw GeneratorError(
                    "\(scope).\(protoField.name): field number \(protoField.number) needs a two-byte tag; FieldTag "
                        + "holds one-byte tags (numbers 1–15)")
            }
            fields[protoField.name] = Field(
                proto: protoField, kind: kind, swiftName: try Naming.propertyName(protoField.name),
                declarationIndex: index)
        }
        let optionalFields = Naming.optionalMessageFields.filter {
            $0.hasPrefix(scope + ".") && !$0.dropFirst(scope.count + 1).contains(".")
        }
        for name in optionalFields {
            guard let field = fields[String(name.dropFirst(scope.count + 1))], case .message = field.kind,
                !field.isRepeated, field.proto.oneof == nil
            else { throw GeneratorError("optionalMessageFields: \(name) is not a singular message field") }
        }
        var seenOneofs: Set<String> = []
        for protoField in proto.fields {
            let field = fields[protoField.name]!
            guard let oneofName = protoField.oneof else {
                let isOptional = optionalFields.contains("\(scope).\(protoField.name)")
                message.properties.append(
                    Property(
                        name: field.swiftName, type: field.swiftType + (isOptional ? "?" : ""),
                        defaultValue: isOptional ? "nil" : (field.isRepeated ? "[]" : field.kind.defaultValue),
                        doc: protoField.doc, storage: .field(field), isOptional: isOptional))
                continue
            }
            guard seenOneofs.insert(oneofName).inserted else { continue }
            let oneof = proto.oneofs.first { $0.name == oneofName }!
            let members = oneof.members.map { fields[$0]! }
            if members.count == 1 {
                message.properties.append(
                    Property(
                        name: field.swiftName, type: field.kind.swiftType + "?", defaultValue: "nil",
                        doc: protoField.doc, storage: .optionalOneof(oneof, field), isOptional: true))
            } else {
                let enumName = Naming.lowerCamel(oneofName.split(separator: "_").map(String.init))
                let typeName = enumName.prefix(1).uppercased() + enumName.dropFirst()
                message.properties.append(
                    Property(
                        name: try Naming.propertyName(oneofName), type: "\(scope).\(typeName)", defaultValue: nil,
                        doc: oneof.doc, storage: .oneofEnum(oneof, members), isOptional: false))
            }
        }
        let names = message.properties.map(\.name)
        guard Set(names).count == names.count else { throw GeneratorError("\(scope): two fields give one Swift name") }
        for nested in proto.nested {
            switch nested {
            case .message(let inner): message.nestedMessages.append(try resolve(inner, path: path + [inner.name]))
            case .enumeration(let inner):
                message.nestedEnums.append(try Self.resolve(inner, path: path + [inner.name]))
            }
        }
        return message
    }
}
