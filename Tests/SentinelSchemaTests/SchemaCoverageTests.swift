import Foundation
import SentinelSchema
import Testing

/// Checks the Swift mapping against Protos/sentinel.proto itself.
@Suite("Schema coverage")
struct SchemaCoverageTests {
    /// Protos/ of this package, found from this file's path (Tests/SentinelSchemaTests/…).
    static let protos = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protos")
    static let protoFile = protos.appendingPathComponent("sentinel.proto")

    /// Fully qualified names of every message declared in the .proto file (nested ones included).
    static func declaredMessages() throws -> Set<String> {
        let text = try String(contentsOf: protoFile, encoding: .utf8)
        var names: Set<String> = []
        var scopes: [String?] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "{" })
            if words.first == "message", words.count > 1 {
                let name = (scopes.compactMap { $0 } + [String(words[1])]).joined(separator: ".")
                names.insert("sentinel.v1." + name)
                scopes.append(String(words[1]))
            } else if line.contains("{") {
                scopes.append(nil)
            }
            if line.contains("}") { scopes.removeLast() }
        }
        return names
    }

    @Test("Every message in the .proto has a Swift type with a sample in the tests")
    func everyMessageCovered() throws {
        let declared = try Self.declaredMessages()
        let mapped = Set(Samples.all.map { type(of: $0).protoName })
        #expect(declared.count >= 40)
        #expect(declared.subtracting(mapped).isEmpty, "no Swift sample for \(declared.subtracting(mapped).sorted())")
        #expect(mapped.subtracting(declared).isEmpty, "not in the .proto: \(mapped.subtracting(declared).sorted())")
    }

    static let protoc: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("protoc") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    @Test(
        "protoc decodes every sample encoding with no unknown fields",
        .enabled(if: protoc != nil, "protoc not installed (apt-get install protobuf-compiler); a dev-only cross-check"),
        arguments: RoundTripTests.cases)
    func protocDecodes(sample: MessageCase) throws {
        let protoc = try #require(Self.protoc)
        let process = Process()
        process.executableURL = protoc
        process.arguments = [
            "--proto_path=\(Self.protos.path)", "--decode=\(type(of: sample.message).protoName)", "sentinel.proto",
        ]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(sample.message.serializedBytes()))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "protoc: \(problems)")
        // protoc prints fields it does not know by number ("7: 42").
        let unknown = text.split(separator: "\n").filter {
            $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true
        }
        #expect(unknown.isEmpty, "unknown fields: \(unknown)")
    }
}
