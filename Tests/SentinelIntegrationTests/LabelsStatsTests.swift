import Foundation
import SentinelTestSupport
import Testing

@Suite(
    "sentinel labels, replay --labels-after and sentinel stats, as processes", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"))
struct LabelsStatsTests {
    static let sample = "data/creditcard-sample.csv.gz"

    /// The monitor's count of labelled events for its one model, from `status --json`.
    func labelled(_ monitor: RunningService) async throws -> (labelled: Int, frauds: Int) {
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", monitor.address, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        let model = try #require((object?["models"] as? [[String: Any]])?.first)
        let rates = try #require(model["since_start_rates"] as? [String: Any])
        return (rates["labelled"] as? Int ?? -1, rates["labelled_frauds"] as? Int ?? -1)
    }

    @Test("replay --labels-after reports every row's label inline; labels --delay reports them again; stats counts")
    func endToEnd() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let api = try await RunningService.startAPI(reportingTo: monitor)

        let replay = try await BuiltProducts.run(
            "sentinel",
            [
                "replay", "--api", api.address, "--data", Self.sample, "--monitor", monitor.address,
                "--labels-after", "200",
            ])
        #expect(replay.status == 0, "\(replay.error)")
        let lines = replay.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("replay: \(Self.sample) → \(api.address), model ") == true)
        #expect(lines.first?.hasSuffix(", 1500 rows, labels 200 transactions later to \(monitor.address)") == true)
        #expect(
            lines.last?.hasPrefix("labels 1500 reported to \(monitor.address) (261 fraud, 1239 genuine) in ") == true)
        // Labels can reach the monitor before the API's events do; the monitor matches them as the events arrive.
        var counts = try await labelled(monitor)
        let deadline = Date().addingTimeInterval(15)
        while counts != (1500, 261) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            counts = try await labelled(monitor)
        }
        #expect(counts == (1500, 261))

        let labels = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", Self.sample, "--delay", "200ms"])
        #expect(labels.status == 0, "\(labels.error)")
        #expect(labels.error == "holding 1500 labels for 0.2 s…\n")
        #expect(
            labels.output
                == "labels 1500 reported to \(monitor.address) (261 fraud, 1239 genuine) in 2 requests: 0 matched a "
                + "scored transaction, 1500 relabelled, 0 not scored yet (kept until their events arrive)\n")

        let stats = try await BuiltProducts.run("sentinel", ["stats", "--api", api.address])
        #expect(stats.status == 0, "\(stats.error)")
        #expect(stats.output.contains("transactions  1500 scored, "))
        #expect(stats.output.contains("errors        none"))
        let json = try await BuiltProducts.run("sentinel", ["stats", "--api", api.address, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["transactions"] as? Int == 1500)
        #expect((object["events"] as? [String: Any])?["sent"] as? Int == 1500)
        #expect((object["latency_us"] as? [String: Any])?["p50"] is Double)

        _ = await api.terminate()
        _ = await monitor.terminate()
    }

    /// The one model's `status --json` object.
    func model(_ monitor: RunningService) async throws -> [String: Any] {
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", monitor.address, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        let models = try #require(object?["models"] as? [[String: Any]])
        return try #require(models.first)
    }

    /// Polls the model's `label_performance` until `done` holds for it (at most 15 s).
    func performance(
        _ monitor: RunningService, until done: ([String: Any]) -> Bool
    ) async throws -> (model: [String: Any], performance: [String: Any]) {
        let deadline = Date().addingTimeInterval(15)
        while true {
            let model = try await model(monitor)
            let performance = try #require(model["label_performance"] as? [String: Any])
            if done(performance) || Date() >= deadline { return (model, performance) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    @Test("precision and recall at the threshold: Wilson intervals while a third is labelled, exact once all are")
    func performanceAtThreshold() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let api = try await RunningService.startAPI(reportingTo: monitor)
        let replay = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", api.address, "--data", Self.sample])
        #expect(replay.status == 0, "\(replay.error)")
        _ = try await performance(monitor) { $0["transactions"] as? Int == 1500 }

        // A third of the rows labelled (ids 1…500): every rate with its interval, per day and for the model.
        let partial = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", Self.sample, "--limit", "500"])
        #expect(partial.status == 0, "\(partial.error)")
        let (_, some) = try await performance(monitor) { $0["labelled"] as? Int == 500 }
        #expect(some["transactions"] as? Int == 1500 && some["labelled"] as? Int == 500)
        #expect(abs((some["label_coverage"] as? Double ?? 0) - 1.0 / 3.0) < 1e-12)
        let flagged = try #require(some["flagged"] as? Int)
        let hits = try #require(some["true_positives"] as? Int)
        let frauds = try #require(some["frauds"] as? Int)
        #expect(flagged > 0 && frauds > 0 && hits <= min(flagged, frauds))
        let precision = try #require(some["precision"] as? Double)
        #expect(abs(precision - Double(hits) / Double(flagged)) < 1e-12)
        for name in ["precision", "recall", "fraud_rate"] {
            let value = try #require(some[name] as? Double)
            let low = try #require(some["\(name)_low"] as? Double, "\(name) has an interval while labels are partial")
            let high = try #require(some["\(name)_high"] as? Double)
            #expect(low <= value && value <= high)
        }
        var metrics = try await httpGet(port: monitor.httpPort, path: "/metrics").body
        let version = try #require(try await model(monitor)["model_version"] as? String)
        let coverage = OperationsTests.sample(metrics, "sentinel_monitor_label_coverage{model_version=\"\(version)\"}")
        #expect(coverage.map { abs($0 - 1.0 / 3.0) < 1e-9 } == true, "\(metrics)")
        #expect(
            OperationsTests.sample(metrics, "sentinel_monitor_label_precision{model_version=\"\(version)\"}")
                .map { abs($0 - precision) < 1e-9 } == true)
        #expect(metrics.contains("sentinel_monitor_label_interval{bound=\"low\",model_version=\"\(version)\""))

        // Every row labelled: the labelled rows flagged at the threshold are the events the API flagged, the frauds
        // are the file's, and the figures are exact (no interval, no interval series).
        let all = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", Self.sample])
        #expect(all.status == 0, "\(all.error)")
        let (model, every) = try await performance(monitor) { $0["labelled"] as? Int == 1500 }
        let rates = try #require(model["since_start_rates"] as? [String: Any])
        #expect(every["flagged"] as? Int == rates["flagged"] as? Int)
        #expect(every["frauds"] as? Int == 261 && every["label_coverage"] as? Double == 1)
        #expect(every["precision_low"] is NSNull && every["recall_high"] is NSNull)
        let status = try await BuiltProducts.run("sentinel", ["status", "--monitor", monitor.address])
        #expect(status.output.contains("LABELLED   precision "), "\(status.output)")
        #expect(status.output.contains("1,500 of 1,500 scored labelled (100.00%)"), "\(status.output)")
        metrics = try await httpGet(port: monitor.httpPort, path: "/metrics").body
        #expect(!metrics.contains("sentinel_monitor_label_interval{"))
        #expect(OperationsTests.sample(metrics, "sentinel_monitor_label_coverage{model_version=\"\(version)\"}") == 1)

        _ = await api.terminate()
        _ = await monitor.terminate()
    }

    @Test("bad input gets a clear error: a missing file, no label column, an unreachable or wrong peer (exit 1)")
    func errors() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let missing = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", "/nonexistent/file.csv"])
        #expect(missing.status == 1)
        #expect(missing.error.hasPrefix("error: /nonexistent/file.csv: "), "\(missing.error)")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let unlabelled = directory.appendingPathComponent("unlabelled.csv").path
        try "a,b\n1,2\n3,4\n".write(toFile: unlabelled, atomically: true, encoding: .utf8)
        let noLabels = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", unlabelled, "--label", "c"])
        #expect(noLabels.status == 1)
        #expect(noLabels.error.contains("c"), "\(noLabels.error)")

        _ = await monitor.terminate()
        let unreachable = try await BuiltProducts.run(
            "sentinel", ["labels", "--monitor", monitor.address, "--data", Self.sample])
        #expect(unreachable.status == 1)
        #expect(unreachable.error.hasPrefix("error: monitor at \(monitor.address): UNAVAILABLE: cannot connect"))

        let usage = try await BuiltProducts.run("sentinel", ["labels", "--data", Self.sample, "--dealy", "1s"])
        #expect(usage.status == 64)
        #expect(usage.error.hasPrefix("error: unknown option '--dealy' (did you mean '--delay'?)"))
        let pair = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", "127.0.0.1:1", "--data", Self.sample, "--labels-after", "5"])
        #expect(pair.status == 64)
        #expect(pair.error.hasPrefix("error: --labels-after N and --monitor HOST:PORT go together"))
    }
}
