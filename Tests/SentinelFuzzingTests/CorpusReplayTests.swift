import Foundation
import SentinelFuzzing
import Testing

/// The regression run of the fuzz targets: every committed corpus input and every input that once crashed a target
/// (`fuzz/corpus/<target>/`, `fuzz/crashes/<target>/`) goes through the same function the fuzzer calls, in the
/// ordinary debug build. A crash here is a finding come back; `scripts/fuzz` runs the fuzzer itself.
@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    /// `fuzz/` in the package root, from this file's path.
    static let fuzzDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fuzz")

    /// The files of `fuzz/<kind>/<target>/`, sorted; empty when the directory does not exist.
    static func inputs(_ kind: String, _ target: String) throws -> [URL] {
        let directory = fuzzDirectory.appendingPathComponent(kind).appendingPathComponent(target)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test("every corpus and crash input passes", arguments: FuzzTarget.all.map(\.name))
    func replay(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let corpus = try Self.inputs("corpus", name)
        #expect(!corpus.isEmpty, "fuzz/corpus/\(name)/ holds the target's seed corpus")
        for file in try corpus + Self.inputs("crashes", name) {
            let bytes = Array(try Data(contentsOf: file))
            do {
                try target.run(bytes)
            } catch {
                Issue.record("\(file.path): \(error)")
            }
        }
    }

    @Test("every corpus and crash directory belongs to a target")
    func directoriesNameTargets() throws {
        for kind in ["corpus", "crashes"] {
            let directory = Self.fuzzDirectory.appendingPathComponent(kind)
            guard FileManager.default.fileExists(atPath: directory.path) else { continue }
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix(".") {
                #expect(FuzzTarget.named(name) != nil, "fuzz/\(kind)/\(name) names no fuzz target")
            }
        }
    }
}
