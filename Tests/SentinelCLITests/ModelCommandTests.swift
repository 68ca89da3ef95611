import Foundation
import SentinelCLI
import SentinelTestSupport
import Testing

@Suite("Model verbs: train, evaluate, model inspect")
struct ModelCommandTests {
    let directory: URL
    var data: String { directory.appendingPathComponent("transactions.csv").path }

    init() throws {
        directory = try ModelCommandFixtures.directory()
    }

    func run(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
        let capture = CapturedConsole()
        let status = await SentinelCommandLine.run(arguments, console: capture.console)
        return (status, capture.standardOutput, capture.standardError)
    }

    func train(_ name: String, algorithm: String = "logistic", extra: [String] = []) async -> (Int32, String, String) {
        await run(
            [
                "train", "--data", data, "--from", "2018-07-01", "--to", "2018-07-07", "--algorithm", algorithm,
                "--out", directory.appendingPathComponent(name).path,
            ] + extra)
    }

    @Test("train writes a model file and a summary; no progress bar when stderr is not a terminal")
    func trainLogistic() async throws {
        let (status, output, error) = await train("lr.sentinel")
        #expect(status == 0, "\(error)")
        #expect(output.contains("rows         840 ("))
        #expect(output.contains("threshold "))
        #expect(output.contains("written to \(directory.path)/lr.sentinel"))
        #expect(error.contains("loading "))
        #expect(!error.contains("final model"))
        #expect(!error.contains("\r"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("lr.sentinel").path))
    }

    @Test("train's summary says whether early stopping fired")
    func earlyStoppingSummary() async throws {
        let (status, output, error) = await train("gb.sentinel", algorithm: "gbdt", extra: ["--trees", "400"])
        #expect(status == 0, "\(error)")
        let trees = try #require(output.split(separator: "\n").first { $0.hasPrefix("trees ") })
        #expect(trees.contains("early stopping fired after round ") && trees.contains(" of 400"), "\(trees)")
        let (_, few, _) = await train("few.sentinel", algorithm: "gbdt", extra: ["--trees", "3"])
        #expect(few.contains("(early stopping did not fire: all 3 rounds ran"), "\(few)")
        let (_, off, _) = await train(
            "off.sentinel", algorithm: "gbdt", extra: ["--trees", "3", "--early-stopping", "0"])
        #expect(off.contains("trees        3 (early stopping off: every round kept)"), "\(off)")
    }

    @Test("model inspect says which inputs are categorical-like")
    func inspectKinds() async throws {
        _ = await train("lr.sentinel")
        let (status, output, error) = await run([
            "model", "inspect", directory.appendingPathComponent("lr.sentinel").path,
        ])
        #expect(status == 0, "\(error)")
        let lines = output.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix("kind") })
        // The fixture's amounts are whole numbers; the score is continuous.
        #expect(lines.contains { $0.contains("TX_AMOUNT ") && $0.contains("categorical-like (integers, ") })
        #expect(lines.contains { $0.hasPrefix("  score ") && $0.hasSuffix("continuous") })
        #expect(
            lines.contains { $0.contains("TX_DURING_NIGHT ") && $0.hasSuffix("categorical-like (integers, 2 values)") })
    }

    @Test("training twice with the same seed writes byte-identical files", arguments: ["logistic", "gbdt"])
    func reproducible(algorithm: String) async throws {
        _ = await train("a.sentinel", algorithm: algorithm, extra: ["--seed", "3"])
        _ = await train("b.sentinel", algorithm: algorithm, extra: ["--seed", "3"])
        let a = try Data(contentsOf: directory.appendingPathComponent("a.sentinel"))
        let b = try Data(contentsOf: directory.appendingPathComponent("b.sentinel"))
        #expect(!a.isEmpty)
        #expect(a == b)
    }

    @Test("evaluate --json prints one object with the protocol's metrics")
    func evaluateJSON() async throws {
        _ = await train("lr.sentinel")
        let (status, output, error) = await run(
            [
                "evaluate", "--model", directory.appendingPathComponent("lr.sentinel").path, "--data", data,
                "--from", "2018-07-15", "--to", "2018-07-21", "--json",
            ])
        #expect(status == 0, "\(error)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        for key in [
            "rows", "frauds", "average_precision", "roc_auc", "card_precision_at_100", "confusion_matrix", "tie_rule",
            "precision", "recall", "f1", "threshold", "model_version",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let rows = try #require(object["rows"] as? Int)
        let windowRows = try #require(object["test_window_rows"] as? Int)
        let dropped = try #require(object["dropped_known_compromised_rows"] as? Int)
        #expect(windowRows == 840)
        #expect(rows + dropped == windowRows)
        #expect(dropped > 0)
        let ap = try #require(object["average_precision"] as? Double)
        #expect(ap > 0.3 && ap <= 1)
        #expect((object["card_precision_per_day"] as? [Any])?.count == 7)
    }

    @Test("evaluate --known-from counts frauds as known from that day instead of the model's first training day")
    func knownFrom() async throws {
        _ = await train("lr.sentinel")
        func evaluate(_ extra: [String]) async throws -> [String: Any] {
            let (status, output, error) = await run(
                [
                    "evaluate", "--model", directory.appendingPathComponent("lr.sentinel").path, "--data", data,
                    "--from", "2018-07-15", "--to", "2018-07-21", "--json",
                ] + extra)
            #expect(status == 0, "\(error)")
            return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        }
        let standard = try await evaluate([])
        let later = try await evaluate(["--known-from", "2018-07-06"])
        let same = try await evaluate(["--known-from", "2018-07-01"])
        #expect(standard["known_from"] as? String == "2018-07-01")
        #expect(later["known_from"] as? String == "2018-07-06")
        #expect(later["training_start"] as? String == "2018-07-01")
        let standardDropped = try #require(standard["dropped_known_compromised_rows"] as? Int)
        let laterDropped = try #require(later["dropped_known_compromised_rows"] as? Int)
        // Fewer days of known frauds drop fewer rows; naming the training start changes nothing.
        #expect(laterDropped < standardDropped)
        #expect(same["dropped_known_compromised_rows"] as? Int == standardDropped)
        #expect(same["card_precision_at_100"] as? Double == standard["card_precision_at_100"] as? Double)
    }

    @Test("evaluate prints a readable report with the tie rule")
    func evaluateText() async throws {
        _ = await train("lr.sentinel")
        let (status, output, _) = await run(
            [
                "evaluate", "--model", directory.appendingPathComponent("lr.sentinel").path, "--data", data,
                "--from", "2018-07-15", "--to", "2018-07-21", "--delay-days", "7",
            ])
        #expect(status == 0)
        #expect(output.contains("average precision"))
        #expect(output.contains("ties broken by ascending card id (compared as integers)"))
        #expect(output.contains("confusion matrix"))
    }

    @Test("evaluate warns when the data starts after the model's first training day")
    func lateData() async throws {
        _ = await train("lr.sentinel")
        let (status, _, error) = await run(
            [
                "evaluate", "--model", directory.appendingPathComponent("lr.sentinel").path, "--data", data,
                "--from", "2018-07-15", "--to", "2018-07-21", "--delay-days", "7",
            ])
        #expect(status == 0)
        #expect(!error.contains("warning"))
        // A copy of the file without the first three days.
        let lines = ModelCommandFixtures.csv().split(separator: "\n", omittingEmptySubsequences: true)
        let late =
            [lines[0]] + lines.dropFirst().filter { !$0.contains(",2018-07-01 ") && !$0.contains(",2018-07-02 ") }
        let latePath = directory.appendingPathComponent("late.csv").path
        try Data((late.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: latePath))
        let second = await run(
            [
                "evaluate", "--model", directory.appendingPathComponent("lr.sentinel").path, "--data", latePath,
                "--from", "2018-07-15", "--to", "2018-07-21",
            ])
        #expect(second.status == 0)
        #expect(second.error.contains("warning: the data starts on 2018-07-03"))
    }

    @Test("model inspect shows the version, learner, inputs, threshold and profile")
    func inspect() async throws {
        _ = await train("lr.sentinel")
        let path = directory.appendingPathComponent("lr.sentinel").path
        let (status, output, _) = await run(["model", "inspect", path])
        #expect(status == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let versionLine = try #require(text.split(separator: "\n").first { $0.contains("\"model_version\"") })
        let version = try #require(versionLine.split(separator: "\"").dropFirst(3).first)
        #expect(output.contains("model version      \(version)"))
        #expect(output.contains("logistic regression"))
        #expect(output.contains("TERMINAL_ID_RISK_30DAY_WINDOW"))
        #expect(output.contains("max-f1-validation"))
        #expect(output.contains("training window    2018-07-01 .. 2018-07-07"))
        #expect(output.contains("score"))
        // The drift thresholds calibrated from a tenth of the rows per chunk, per input, never below the defaults.
        #expect(output.contains("drift thresholds   calibrated on 10 chunks of "), "\(output)")
        #expect(output.contains("PSI warn/alert"))
        let rows = output.split(separator: "\n").filter { $0.hasPrefix("  TERMINAL_ID_RISK_30DAY_WINDOW ") }
        #expect(
            rows.count == 1
                && rows[0].range(of: #"[0-9]\.[0-9]{3}/[0-9]\.[0-9]{3}"#, options: .regularExpression) != nil)
    }

    @Test("a damaged model file is refused with exit 1 and a clear reason")
    func damaged() async throws {
        _ = await train("lr.sentinel")
        let path = directory.appendingPathComponent("lr.sentinel").path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let index = bytes.lastIndex { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "8") }!
        bytes[index] += 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (status, _, error) = await run(["model", "inspect", path])
        #expect(status == 1)
        #expect(error.contains("content hash mismatch"))
        try Data(bytes.prefix(500)).write(to: URL(fileURLWithPath: path))
        let truncated = await run(["model", "inspect", path])
        #expect(truncated.status == 1)
        #expect(truncated.error.contains("truncated"))
    }

    @Test(
        "usage errors exit 64 with the usage line",
        arguments: [
            ["train"],
            ["train", "--data", "x.csv", "--algorithm", "forest"],
            ["train", "--data", "x.csv", "--from", "2018-7-1"],
            ["train", "--data", "x.csv", "--from", "2018-07-10", "--to", "2018-07-01"],
            ["train", "--data", "x.csv", "--bogus"],
            ["evaluate", "--model", "m", "--data", "x.csv", "--from", "2018-07-15"],
            [
                "evaluate", "--model", "m", "--data", "x.csv", "--from", "2018-07-15", "--to", "2018-07-21",
                "--delay-days", "-1",
            ],
            [
                "evaluate", "--model", "m", "--data", "x.csv", "--from", "2018-07-15", "--to", "2018-07-21",
                "--known-from", "2018-07-16",
            ],
            [
                "evaluate", "--model", "m", "--data", "x.csv", "--from", "2018-07-15", "--to", "2018-07-21",
                "--known-from", "July",
            ],
            ["model", "inspect"],
        ])
    func usageErrors(arguments: [String]) async {
        let (status, _, error) = await run(arguments)
        #expect(status == 64)
        #expect(error.contains("usage: sentinel "))
    }

    @Test("hyper-parameter flags reach the learner and are recorded in the model file")
    func hyperParameters() async throws {
        let (status, _, error) = await train(
            "small.sentinel", algorithm: "gbdt",
            extra: ["--trees", "12", "--max-depth", "3", "--learning-rate", "0.1", "--early-stopping", "0"])
        #expect(status == 0, "\(error)")
        let (_, output, _) = await run(["model", "inspect", directory.appendingPathComponent("small.sentinel").path])
        #expect(output.contains("gradient-boosted trees: 12 trees"))
        #expect(output.contains("learning rate 0.1, max depth 3"))

        let logistic = await train("c.sentinel", extra: ["--c", "0.5", "--fraud-weight", "3"])
        #expect(logistic.0 == 0, "\(logistic.2)")
    }

    @Test(
        "a bad or misplaced hyper-parameter is a usage error naming the flag",
        arguments: [
            (["--algorithm", "gbdt", "--max-depth", "40"], "--max-depth must be in 1...16, got 40"),
            (["--algorithm", "gbdt", "--learning-rate", "0"], "--learning-rate must be in (0, 1], got 0.0"),
            (["--algorithm", "gbdt", "--trees", "many"], "invalid value for --trees: 'many'"),
            (["--algorithm", "logistic", "--trees", "10"], "--trees applies to --algorithm gbdt only"),
            (["--algorithm", "gbdt", "--c=2"], "--c applies to --algorithm logistic only"),
            (["--algorithm", "logistic", "--c", "-1"], "--c must be finite and > 0, got -1.0"),
        ])
    func badHyperParameters(extra: [String], message: String) async {
        let (status, _, error) = await run(["train", "--data", data] + extra)
        #expect(status == 64)
        #expect(error.contains(message), "\(error)")
    }

    @Test("a missing data or model file fails with exit 1")
    func missingFiles() async {
        let missing = directory.appendingPathComponent("missing").path
        #expect(await run(["train", "--data", missing]).status == 1)
        #expect(await run(["model", "inspect", missing]).status == 1)
    }
}
