import Foundation
import SentinelCLI
import SentinelData
import SentinelLog
import SentinelModel
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelScoring
import SentinelTestSupport
import Testing

/// The verbs against the real scoring service (`SentinelScoring.ScoringService` on a `TCPServer`), serving a
/// logistic model trained here on the committed sample: the CLI's column mapping must reproduce the model's own
/// scores exactly.
@Suite("score and replay against the real scoring service", .serialized)
struct ReplayRealServiceTests {
    static var samplePath: String { CommittedSample.path }

    /// The sample, and the model's own probability for each of its rows.
    struct Expectations {
        let file: ModelFile
        let probabilities: [Double]
    }

    /// Trains the model, serves it on 127.0.0.1:0 for `body`, and passes the address and the expected scores.
    static func serve<Result: Sendable>(_ body: (String, Expectations) async throws -> Result) async throws -> Result {
        let dataset = try DatasetLoader.load(path: samplePath)
        let artifact = try ModelTrainer.train(
            dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression(c: 1))))
        let file = try ModelFile(artifact: artifact)
        let probabilities = (0..<dataset.rowCount).map { row in
            dataset.features.map { $0[row] }.withUnsafeBufferPointer { artifact.learner.probability(of: $0) }
        }
        let path = NSTemporaryDirectory() + "sentinel-cli-model-\(UUID().uuidString).sentinel"
        try file.write(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let service = ScoringService(store: ModelStore(configuredPath: path), log: JSONLog { _ in })
        _ = try await service.reload(ReloadModelRequest(), origin: "test")
        let server = try TCPServer(host: "127.0.0.1", port: 0, router: service.makeRouter(), loopCount: 1)
        let expectations = Expectations(file: file, probabilities: probabilities)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            do {
                let result = try await body("127.0.0.1:\(server.address.port)", expectations)
                server.beginGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                server.beginGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    @Test("score --data CSV prints the model's own probability for every row, bit for bit")
    func scoresMatchTheModel() async throws {
        let capture = CapturedConsole()
        let expected = try await Self.serve { api, expectations in
            let status = await SentinelCommandLine.run(
                ["score", "--api", api, "--data", Self.samplePath, "--json", "--batch", "256"],
                console: capture.console)
            #expect(status == 0, "\(capture.standardError)")
            return expectations.probabilities
        }
        let lines = capture.standardOutput.split(separator: "\n")
        #expect(lines.count == expected.count)
        for (row, (line, probability)) in zip(lines, expected).enumerated() {
            // Shortest round-trip text of the exact double: equal text ⇔ equal bits.
            #expect(line.contains("\"fraud_probability\":\(probability),"), "row \(row): \(line)")
            #expect(line.contains("\"id\":\"\(row + 1)\""), "row \(row): \(line)")
        }
    }

    @Test("replay scores every row and flags exactly the rows at or above the model's threshold")
    func replayCounts() async throws {
        let capture = CapturedConsole()
        let (expectedFlagged, version) = try await Self.serve { api, expectations in
            let status = await SentinelCommandLine.run(
                ["replay", "--api", api, "--data", Self.samplePath, "--json"], console: capture.console)
            #expect(status == 0, "\(capture.standardError)")
            let threshold = expectations.file.artifact.threshold
            return (expectations.probabilities.filter { $0 >= threshold }.count, expectations.file.modelVersion)
        }
        let summary = try #require(
            JSONSerialization.jsonObject(with: Data(capture.standardOutput.utf8)) as? [String: Any])
        #expect(summary["sent"] as? Int == 1500)
        #expect(summary["scored"] as? Int == 1500)
        #expect(summary["errors"] as? Int == 0)
        #expect(summary["flagged"] as? Int == expectedFlagged)
        #expect(summary["model_version"] as? String == version)
    }
}
