import Foundation
import SentinelCLI
import SentinelTestSupport
import Testing

/// The Handbook data for the end-to-end CLI check: `$SENTINEL_SHARED_DIR/data`, else `../shared/data` relative to
/// the package root.
private enum HandbookData {
    static let path: String? = {
        let directory: String
        if let shared = ProcessInfo.processInfo.environment["SENTINEL_SHARED_DIR"], !shared.isEmpty {
            directory = shared + "/data"
        } else {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            directory = root.deletingLastPathComponent().appendingPathComponent("shared/data").path
        }
        let file = directory + "/handbook-sim-transformed-dev.csv.gz"
        return FileManager.default.fileExists(atPath: file) ? file : nil
    }()

    static var runSlowTests: Bool { ProcessInfo.processInfo.environment["SENTINEL_RUN_SLOW_TESTS"] != nil }
}

@Suite(
    "Model verbs on the Handbook data",
    .enabled(if: HandbookData.path != nil, "needs ../shared/data/handbook-sim-transformed-dev.csv.gz"),
    .enabled(if: HandbookData.runSlowTests, "slow (about 30 s in a debug build): set SENTINEL_RUN_SLOW_TESTS=1")
)
struct ModelCommandSharedDataTests {
    @Test("sentinel train --algorithm logistic, then sentinel evaluate --json, print the published row")
    func publishedRow() async throws {
        let data = try #require(HandbookData.path)
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-lr-\(UUID()).model").path
        defer { try? FileManager.default.removeItem(atPath: model) }
        let train = CapturedConsole()
        let trained = await SentinelCommandLine.run(
            [
                "train", "--data", data, "--from", "2018-07-25", "--to", "2018-07-31", "--algorithm", "logistic",
                "--out", model,
            ],
            console: train.console)
        #expect(trained == 0, "\(train.standardError)")
        #expect(train.standardOutput.contains("rows         67240 (598 frauds"))
        let evaluate = CapturedConsole()
        let evaluated = await SentinelCommandLine.run(
            ["evaluate", "--model", model, "--data", data, "--from", "2018-08-08", "--to", "2018-08-14", "--json"],
            console: evaluate.console)
        #expect(evaluated == 0, "\(evaluate.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluate.standardOutput.utf8)) as? [String: Any])
        #expect(object["rows"] as? Int == 58_264)
        #expect(object["frauds"] as? Int == 385)
        let auc = try #require(object["roc_auc"] as? Double)
        let ap = try #require(object["average_precision"] as? Double)
        let cp = try #require(object["card_precision_at_100"] as? Double)
        #expect(abs(auc - 0.871) <= 0.002, "ROC AUC \(auc)")
        #expect(abs(ap - 0.606) <= 0.002, "AP \(ap)")
        #expect(abs(cp - 0.291) <= 0.002, "CP@100 \(cp)")
    }
}
