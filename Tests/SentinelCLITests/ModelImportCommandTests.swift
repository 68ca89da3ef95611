import Foundation
import SentinelCLI
import SentinelModel
import SentinelTestSupport
import Testing

@Suite("sentinel model import")
struct ModelImportCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-import-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func run(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
        let capture = CapturedConsole()
        let status = await SentinelCommandLine.run(arguments, console: capture.console)
        return (status, capture.standardOutput, capture.standardError)
    }

    /// Writes `bytes` to a temporary file and returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
        return path(name)
    }

    @Test("imports XGBoost and LightGBM models; model inspect shows the source and its SHA-256")
    func importAndInspect() async throws {
        for (fixture, format) in [("xgboost.json", "xgboost-json"), ("lightgbm.txt", "lightgbm-text")] {
            let out = path("\(fixture).sentinel")
            let (status, output, error) = await run(
                ["model", "import", ImportFixtures.path(fixture), "--reference", CommittedSample.path, "--out", out])
            #expect(status == 0, "\(error)")
            #expect(output.contains("imported     \(format)"))
            #expect(output.contains("(max-f1-reference)"))
            let file = try ModelFile(contentsOf: out)
            let source = try #require(file.artifact.training.algorithm.source)
            #expect(source.format == format)
            #expect(source.sourceSHA256 == SHA256.hex(SHA256.hash(ImportFixtures.bytes(fixture))))
            let inspect = await run(["model", "inspect", out])
            #expect(inspect.status == 0)
            #expect(inspect.output.contains("format             sentinel-model version 2"))
            #expect(inspect.output.contains("imported from      \(fixture) (\(format)"))
            #expect(inspect.output.contains("source sha256      \(source.sourceSHA256)"))
            #expect(inspect.output.contains("reference rows     1500"))
        }
        let given = await run(
            [
                "model", "import", ImportFixtures.path("xgboost.json"), "--reference", CommittedSample.path,
                "--threshold", "0.3", "--out", path("given.sentinel"),
            ])
        #expect(given.status == 0, "\(given.error)")
        #expect(try ModelFile(contentsOf: path("given.sentinel")).artifact.threshold == 0.3)
    }

    @Test("imports skl2onnx models (format detected); the source records skl2onnx and the operator")
    func importONNX() async throws {
        for fixture in ["forest.onnx", "logistic.onnx"] {
            let out = path("\(fixture).sentinel")
            let (status, output, error) = await run(
                ["model", "import", ImportFixtures.path(fixture), "--reference", CommittedSample.path, "--out", out])
            #expect(status == 0, "\(error)")
            #expect(output.contains("imported     onnx skl2onnx 1.20.0"))
            let file = try ModelFile(contentsOf: out)
            let source = try #require(file.artifact.training.algorithm.source)
            #expect(source.format == "onnx")
            #expect(source.library == "skl2onnx 1.20.0")
            #expect(file.artifact.featureNames == (1...28).map { "V\($0)" } + ["Amount"])
            let inspect = await run(["model", "inspect", out])
            #expect(inspect.status == 0)
            #expect(inspect.output.contains("imported from      \(fixture) (onnx"))
        }
    }

    @Test("bad ONNX input: one line naming the file and the problem, exit 1, nothing written")
    func badONNX() async throws {
        let forest = ImportFixtures.bytes("forest.onnx")
        let truncated = try write("truncated.onnx", Array(forest.prefix(4000)))
        await expectFailure(truncated, named: truncated, reason: "cut short or damaged")
        let foreign = try write("foreign.bin", Array("Time,V1,Amount,Class\n0,1,2,0\n".utf8))
        await expectFailure(foreign, extra: ["--format", "onnx"], named: foreign, reason: "ONNX")
        // The operator renamed in place (same length, so the protobuf stays valid), and post_transform's value.
        let other = try write(
            "other.onnx", replacing("TreeEnsembleClassifier", with: "TreeEnsembleClassifiez", in: forest))
        await expectFailure(
            other, named: other, reason: "operator TreeEnsembleClassifiez (ai.onnx.ml) is not supported")
        let transform = replacing("NONE", with: "ABCD", in: forest)
        let post = try write("post.onnx", transform)
        await expectFailure(post, named: post, reason: "post_transform ABCD is not supported")
        let mode = try write("mode.onnx", replacing("BRANCH_LEQ", with: "BRANCH_NEQ", in: forest))
        await expectFailure(mode, named: mode, reason: "node mode BRANCH_NEQ")
    }

    /// `bytes` with every occurrence of `text` replaced by `replacement`, of the same length.
    func replacing(_ text: String, with replacement: String, in bytes: [UInt8]) -> [UInt8] {
        let old = Array(text.utf8)
        let new = Array(replacement.utf8)
        var result = bytes
        var index = 0
        while index + old.count <= result.count {
            if Array(result[index..<(index + old.count)]) == old {
                result.replaceSubrange(index..<(index + old.count), with: new)
                index += old.count
            } else {
                index += 1
            }
        }
        return result
    }

    /// Runs an import that must fail: exit 1, one line on standard error naming `named` and containing `reason`,
    /// and no model file written.
    func expectFailure(
        _ model: String, reference: String = CommittedSample.path, extra: [String] = [], named: String,
        reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let out = path("out-\(UUID()).sentinel")
        let (status, _, error) = await run(
            ["model", "import", model, "--reference", reference, "--out", out] + extra)
        #expect(status == 1, "\(error)", sourceLocation: sourceLocation)
        let lines = error.split(separator: "\n").filter { !$0.hasPrefix("loading ") }
        #expect(lines.count == 1, "\(error)", sourceLocation: sourceLocation)
        #expect(error.contains(named), "\(error)", sourceLocation: sourceLocation)
        #expect(error.contains(reason), "\(error)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
    }

    @Test("bad input: one line naming the file and the problem, exit 1, nothing written")
    func badInput() async throws {
        let xgboost = ImportFixtures.bytes("xgboost.json")
        let lightgbm = ImportFixtures.bytes("lightgbm.txt")
        let truncated = try write("truncated.json", Array(xgboost.prefix(5000)))
        await expectFailure(truncated, named: truncated, reason: "truncated")
        let truncatedText = try write("truncated.txt", Array(lightgbm.prefix(5000)))
        await expectFailure(truncatedText, named: truncatedText, reason: "truncated")
        let foreign = try write("foreign.csv", Array("Time,V1,Amount,Class\n0,1,2,0\n".utf8))
        await expectFailure(foreign, named: foreign, reason: "not an XGBoost JSON, LightGBM text or ONNX model")
        var damaged = xgboost
        damaged.replaceSubrange(2000..<2010, with: Array("]]]]]]]]]]".utf8))
        let corrupted = try write("corrupted.json", damaged)
        await expectFailure(corrupted, named: corrupted, reason: "not valid JSON")
        let text = String(decoding: xgboost, as: UTF8.self)
        let objective = try write(
            "objective.json", Array(text.replacingOccurrences(of: "binary:logistic", with: "reg:squarederror").utf8))
        await expectFailure(objective, named: objective, reason: "objective 'reg:squarederror' is not supported")
        let lightText = String(decoding: lightgbm, as: UTF8.self)
        let linear = try write(
            "linear.txt", Array(lightText.replacingOccurrences(of: "is_linear=0", with: "is_linear=1").utf8))
        await expectFailure(linear, named: linear, reason: "linear tree")
        // A model without input names takes the reference inputs in order, and their count must match.
        let unnamed = try write(
            "unnamed.txt",
            Array(
                lightText.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("feature_names=") }.joined(separator: "\n").utf8))
        await expectFailure(
            unnamed, extra: ["--features", "V1,V2,V3"], named: unnamed,
            reason: "the model takes 29 inputs but \(CommittedSample.path) has 3")
        let missing = path("absent.json")
        await expectFailure(missing, named: missing, reason: "no such file")
    }
}
