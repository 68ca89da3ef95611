import Foundation
import SchemaGeneratorCore
import Testing

@Suite("Proto parser")
struct ProtoParserTests {
    static let header = "syntax = \"proto3\";\npackage test.v1;\n"

    @Test("parses messages, nested types, oneofs, repeated fields and doc comments")
    func parses() throws {
        let file = try ProtoParser.parse(
            Self.header + """

                // A thing.
                // Two lines.
                message Thing {
                  // Its kind.
                  enum Kind {
                    KIND_UNSPECIFIED = 0;
                    KIND_BIG = 1;
                  }
                  // The name.
                  string name = 1;

                  repeated double values = 2;
                  oneof presence {
                    // Only this.
                    string only = 3;
                  }
                }
                """)
        #expect(file.package == "test.v1")
        guard case .message(let thing) = file.declarations.first else {
            Issue.record("no message")
            return
        }
        #expect(thing.doc == ["A thing.", "Two lines."])
        #expect(thing.fields.map(\.name) == ["name", "values", "only"])
        #expect(thing.fields.map(\.number) == [1, 2, 3])
        #expect(thing.fields[0].doc == ["The name."])
        #expect(thing.fields[1].doc.isEmpty, "a blank line separates a comment from the declaration")
        #expect(thing.fields[1].isRepeated)
        #expect(thing.fields[2].oneof == "presence")
        #expect(thing.oneofs.map(\.members) == [["only"]])
        guard case .enumeration(let kind) = thing.nested.first else {
            Issue.record("no nested enum")
            return
        }
        #expect(kind.values.map(\.name) == ["KIND_UNSPECIFIED", "KIND_BIG"])
    }

    @Test(
        "refuses, naming the line, what it does not understand",
        arguments: [
            "message A { reserved 2; }",
            "message A { optional string a = 1; }",
            "message A { map<string, string> a = 1; }",
            "message A { string a = 1 [deprecated = true]; }",
            "message A { string a = 1; // trailing\n}",
            "message A { bytes a = 1; }",
            "message A { string a = 1; string b = 1; }",
            "message A { string a = 1; string a = 2; }",
            "enum E { E_ONE = 1; }",
            "option java_package = \"x\";",
            "import \"other.proto\";",
            "message A { string a = 1; }\n/* block */",
            "message A { string a = 1;",
            "message A { oneof o { repeated string a = 1; } }",
        ])
    func refuses(source: String) {
        #expect(throws: GeneratorError.self) { try SwiftEmitter(ProtoParser.parse(Self.header + source)).files() }
    }

    @Test("refuses an unknown type and a field number past 15 (FieldTag holds one-byte tags)")
    func refusesUnmappable() {
        #expect(throws: GeneratorError.self) {
            try SwiftEmitter(ProtoParser.parse(Self.header + "message A { B b = 1; }"))
        }
        #expect(throws: GeneratorError.self) {
            try SwiftEmitter(ProtoParser.parse(Self.header + "message A { string a = 16; }"))
        }
    }
}

@Suite("Naming")
struct NamingTests {
    @Test(
        "field names follow the rules, and the override table",
        arguments: [
            ("transaction_id", "transactionId"), ("event_time_unix_us", "eventTimeMicroseconds"),
            ("uptime_us", "uptimeMicroseconds"), ("p999_ns", "p999Nanoseconds"), ("p_value", "pValue"),
            ("card_precision_at_100", "cardPrecisionAt100"), ("ks_statistic", "ksStatistic"), ("exact_ks", "exactKS"),
            ("id", "id"),
        ])
    func propertyNames(field: String, expected: String) throws {
        #expect(try Naming.propertyName(field) == expected)
    }

    @Test("enum cases lose the enum's prefix")
    func caseNames() throws {
        #expect(try Naming.caseName("ALERT_LEVEL_OK", prefix: "ALERT_LEVEL_") == "ok")
        #expect(try Naming.caseName("NOT_SERVING", prefix: "") == "notServing")
    }

    @Test("C names as protoc-c spells them")
    func cNames() {
        #expect(Naming.cLower("ExactKS") == "exact_ks")
        #expect(Naming.cLower("HealthCheckResponse") == "health_check_response")
    }
}

@Suite("Sentinel's .proto file")
struct SentinelProtoTests {
    static let proto = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protos/sentinel.proto")

    @Test("generates one file per top-level declaration, each with the header")
    func generates() throws {
        let file = try ProtoParser.parse(String(contentsOf: Self.proto, encoding: .utf8))
        let files = try SwiftEmitter(file).files()
        #expect(Set(files.keys) == Set(file.declarations.map { $0.name + ".swift" }))
        for (name, text) in files {
            #expect(text.hasPrefix(SwiftEmitter.header + "\n"), "\(name)")
        }
        #expect(file.services.map(\.name) == ["Health", "Scoring", "Monitor"])
    }

    @Test("every override is used: the table holds nothing stale")
    func overridesUsed() throws {
        let text = try String(contentsOf: Self.proto, encoding: .utf8)
        for field in Naming.propertyOverrides.keys {
            #expect(text.contains(" \(field) = "), "\(field) is not a field of the .proto")
        }
    }
}
