import Foundation
import SentinelWire
import Testing

/// The method numbers live in one place, `MethodID.known`; the schema's service declarations name them in
/// comments (`// Method 10: …` above `rpc Score(…)`). This keeps the two from drifting apart.
@Suite("Method catalogue")
struct MethodCatalogueTests {
    /// `(number, full name)` for every `rpc` in Protos/sentinel.proto, read from its `// Method N` comments.
    static func declaredInProto() throws -> [(UInt16, String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Protos/sentinel.proto"), encoding: .utf8)
        var service = ""
        var pendingNumber: UInt16?
        var result: [(UInt16, String)] = []
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("service ") {
                service = String(line.dropFirst("service ".count).prefix { $0 != " " && $0 != "{" })
            } else if line.hasPrefix("// Method "), let number = UInt16(line.dropFirst(10).prefix { $0.isNumber }) {
                pendingNumber = number
            } else if line.hasPrefix("rpc ") {
                let name = line.dropFirst(4).prefix { $0 != "(" }
                if let number = pendingNumber {
                    result.append((number, "sentinel.v1.\(service)/\(name)"))
                }
                pendingNumber = nil
            }
        }
        return result
    }

    @Test("every rpc in the schema has the number and name MethodID.known gives it, and vice versa")
    func schemaAgrees() throws {
        let declared = try Self.declaredInProto()
        let known = MethodID.known.map { ($0.id.rawValue, $0.fullName) }
        #expect(declared.map(\.0) == known.map(\.0))
        #expect(declared.map(\.1) == known.map(\.1))
        #expect(!declared.isEmpty)
    }

    @Test("numbers and names are unique and look up both ways")
    func lookups() {
        for (id, name) in MethodID.known {
            #expect(MethodID(fullName: name) == id)
            #expect(MethodID.known.filter { $0.id == id }.count == 1)
        }
    }
}
