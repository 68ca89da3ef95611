/// The parsed contents of a .proto file: the subset Protos/sentinel.proto uses.
public struct ProtoFile: Sendable, Equatable {
    /// The `package` name, e.g. `sentinel.v1`.
    public var package: String
    /// Top-level messages and enums, in file order.
    public var declarations: [ProtoDeclaration]
    /// The services (parsed so nothing goes unnoticed; the Swift mapping does not use them).
    public var services: [ProtoService]
}

/// A top-level or nested declaration.
public enum ProtoDeclaration: Sendable, Equatable {
    case message(ProtoMessage)
    case enumeration(ProtoEnum)

    /// The declared (unqualified) name.
    public var name: String {
        switch self {
        case .message(let message): message.name
        case .enumeration(let enumeration): enumeration.name
        }
    }
}

/// A `message`.
public struct ProtoMessage: Sendable, Equatable {
    /// The unqualified name, e.g. `Item`.
    public var name: String
    /// The `//` comment lines directly above the declaration, without the `//` and one following space.
    public var doc: [String]
    /// Fields in declaration order, `oneof` members included (each names its oneof).
    public var fields: [ProtoField]
    /// The `oneof`s, in declaration order.
    public var oneofs: [ProtoOneof]
    /// Nested messages and enums, in declaration order.
    public var nested: [ProtoDeclaration]
}

/// A `oneof`.
public struct ProtoOneof: Sendable, Equatable {
    /// The oneof's name, e.g. `pinned_model`.
    public var name: String
    /// Its comment.
    public var doc: [String]
    /// Its members' field names, in declaration order.
    public var members: [String]
}

/// A field.
public struct ProtoField: Sendable, Equatable {
    /// The proto name, e.g. `event_time_unix_us`.
    public var name: String
    /// The type as written, e.g. `string`, `ScoreResponse`, `RegisterModelRequest.FeatureProfile`.
    public var type: String
    /// The field number.
    public var number: Int
    /// Declared `repeated`.
    public var isRepeated: Bool
    /// The oneof it belongs to, if any.
    public var oneof: String?
    /// Its comment.
    public var doc: [String]
}

/// An `enum`.
public struct ProtoEnum: Sendable, Equatable {
    /// The unqualified name.
    public var name: String
    /// Its comment.
    public var doc: [String]
    /// The values, in declaration order.
    public var values: [ProtoEnumValue]
}

/// One enum value.
public struct ProtoEnumValue: Sendable, Equatable {
    /// The proto name, e.g. `ALERT_LEVEL_OK`.
    public var name: String
    /// Its number.
    public var number: Int
    /// Its comment.
    public var doc: [String]
}

/// A `service` (only checked for syntax).
public struct ProtoService: Sendable, Equatable {
    /// The service name.
    public var name: String
    /// Its methods' names.
    public var methods: [String]
}

/// A failure to read or map the .proto file; always names the line when there is one.
public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for people.
    public var description: String

    /// An error with `description`, prefixed by the line number when given.
    public init(_ description: String, line: Int? = nil) {
        self.description = line.map { "line \($0): \(description)" } ?? description
    }
}
