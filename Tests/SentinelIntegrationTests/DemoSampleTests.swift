import Foundation
import SentinelData
import SentinelModel
import Testing

@Suite(
    "the demo's held-out sample against a real monitor", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"))
struct DemoSampleTests {
    static let train = "data/creditcard-demo-train.csv.gz"
    static let holdout = "data/creditcard-demo-holdout.csv.gz"

    /// The monitor's active alerts as (kind, feature, level) once the window that held everything sent before
    /// `sentAt` has closed: polled until the monitor's own clock is a window length and a tick (1 s) past `sentAt`
    /// (at most 30 s).
    func alertsAfterWindow(_ monitor: RunningService, sentAt: Date) async throws -> [(String, String, String)] {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", monitor.address, "--json"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
            let now = Double(object["generated_at_unix_us"] as? Int ?? 0) / 1e6
            let window =
                object["window_length_seconds"] as? Double ?? Double(object["window_length_seconds"] as? Int ?? 0)
            if now > sentAt.timeIntervalSince1970 + window + 1.5 {
                return (object["alerts"] as? [[String: Any]] ?? []).map {
                    ($0["kind"] as? String ?? "", $0["feature"] as? String ?? "", $0["level"] as? String ?? "")
                }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("the monitor's window did not close within 30 s")
        return []
    }

    /// Trains the demo's logistic model on the training half (as the README does) into `directory`.
    /// - Returns: The model file's path.
    static func trainDemoModel(in directory: URL) throws -> String {
        let dataset = try DatasetLoader.load(path: train)
        let model = try ModelFile(
            artifact: ModelTrainer.train(
                dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression()))))
        let path = directory.appendingPathComponent("demo.sentinel").path
        try model.write(to: path)
        return path
    }

    @Test("a clean replay of the held-out sample raises no alert; Amount*3 raises the Amount drift alert in one window")
    func cleanThenDrift() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-sample-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelPath = try Self.trainDemoModel(in: directory)

        // Windows long enough to hold a whole phase; a window judges drift only with 600 events or more.
        let monitor = try await RunningService.startMonitor(
            arguments: ["--http-port", "0", "--window", "4s", "--min-count", "600"])
        let api = try await RunningService.startAPI(
            model: modelPath,
            arguments: ["--monitor", monitor.address, "--spool-dir", directory.appendingPathComponent("spool").path])

        let clean = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", api.address, "--data", Self.holdout, "--shuffle", "1"])
        #expect(clean.status == 0, "\(clean.error)")
        let cleanAlerts = try await alertsAfterWindow(monitor, sentAt: Date())
        #expect(!cleanAlerts.contains { $0.2 == "alert" }, "\(cleanAlerts)")
        #expect(!cleanAlerts.contains { $0.0 == "flag_rate" }, "\(cleanAlerts)")

        let drifted = try await BuiltProducts.run(
            "sentinel",
            ["replay", "--api", api.address, "--data", Self.holdout, "--shuffle", "2", "--drift", "Amount*3"])
        #expect(drifted.status == 0, "\(drifted.error)")
        let driftAlerts = try await alertsAfterWindow(monitor, sentAt: Date())
        #expect(driftAlerts.contains { $0 == ("feature_drift", "Amount", "alert") }, "\(driftAlerts)")
        #expect(!driftAlerts.contains { $0.0 == "flag_rate" }, "\(driftAlerts)")
        _ = await api.terminate()
        _ = await monitor.terminate()
    }

    @Test("the held-out rows are not training rows, and both halves keep the file's fraud share")
    func disjoint() throws {
        let train = try DatasetLoader.load(path: Self.train)
        let holdout = try DatasetLoader.load(path: Self.holdout)
        #expect(train.rowCount == 1307 && holdout.rowCount == 1305)
        #expect(train.labels.count(where: { $0 == 1 }) == 209 && holdout.labels.count(where: { $0 == 1 }) == 208)
        func key(_ dataset: Dataset, _ row: Int) -> [Double] {
            dataset.features.map { $0[row] } + (dataset.eventTimes.isEmpty ? [] : [Double(dataset.eventTimes[row])])
        }
        let trainRows = Set((0..<train.rowCount).map { key(train, $0) })
        // The source repeats transactions (30 lines in 12 groups, 18 extra copies, identical in every column); no
        // other held-out row is a training row.
        #expect((0..<holdout.rowCount).count(where: { trainRows.contains(key(holdout, $0)) }) <= 18)
    }
}
