import Foundation
import SentinelData
import SentinelModel
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Testing

@Suite(
    "imported models in sentinel-api", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct ImportedModelAPITests {
    /// The fixture rows without a missing input (the service refuses missing inputs), as a ULB CSV file.
    static func completeRows(in directory: URL) throws -> (path: String, rows: [Int]) {
        let rows = ImportFixtures.rows
        let complete = (0..<rows.rowCount).filter { row in rows.features.allSatisfy { !$0[row].isNaN } }
        var lines = [(rows.featureNames + ["Class"]).joined(separator: ",")]
        for row in complete {
            lines.append((rows.features.map { "\($0[row])" } + ["\(rows.labels[row])"]).joined(separator: ","))
        }
        let path = directory.appendingPathComponent("complete.csv").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return (path, complete)
    }

    /// Scores the file with `sentinel score --json` and returns the probabilities in order.
    static func scoreWithCLI(port: UInt16, data: String) async throws -> [Double] {
        let (status, output, error) = try await BuiltProducts.run(
            "sentinel", ["score", "--api", "127.0.0.1:\(port)", "--data", data, "--json"])
        #expect(status == 0, "\(error)")
        struct Line: Decodable {
            var fraudProbability: Double
            enum CodingKeys: String, CodingKey { case fraudProbability = "fraud_probability" }
        }
        return try output.split(separator: "\n").map {
            try JSONDecoder().decode(Line.self, from: Data($0.utf8)).fraudProbability
        }
    }

    @Test("XGBoost, LightGBM and skl2onnx imports score through the CLI and RPC as in the library, and hot-reload")
    func scoresThroughTheService() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-import-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (data, complete) = try Self.completeRows(in: directory)
        #expect(complete.count > 100)
        var models: [(path: String, column: String)] = []
        let fixtures = [
            ("xgboost.json", "xgboost"), ("lightgbm.txt", "lightgbm"), ("forest.onnx", "forest_onnx"),
            ("boosting.onnx", "boosting_onnx"), ("logistic.onnx", "logistic_onnx"),
        ]
        for (fixture, column) in fixtures {
            let out = directory.appendingPathComponent("\(column).sentinel").path
            let (status, _, error) = try await BuiltProducts.run(
                "sentinel",
                ["model", "import", ImportFixtures.path(fixture), "--reference", CommittedSample.path, "--out", out])
            #expect(status == 0, "\(error)")
            models.append((out, column))
        }
        let api = try await RunningService.startAPI(model: models[0].path)
        for (index, model) in models.enumerated() {
            if index > 0 {
                // Hot reload: the service swaps to the next imported model.
                try await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: api.port)) { client in
                    let bytes = try await client.call(
                        .scoringReloadModel, payload: ReloadModelRequest(path: model.path).serializedBytes(),
                        timeout: .seconds(30))
                    _ = try ReloadModelResponse(serializedBytes: bytes)
                }
            }
            let learner = try ModelFile(contentsOf: model.path).artifact.learner
            let expected = ImportFixtures.expected(model.column)
            let scores = try await Self.scoreWithCLI(port: api.port, data: data)
            #expect(scores.count == complete.count)
            for (scored, row) in zip(scores, complete) {
                let library = ImportFixtures.rows.features.map { $0[row] }.withUnsafeBufferPointer {
                    learner.probability(of: $0)
                }
                #expect(scored.bitPattern == library.bitPattern, "row \(row)")
                #expect(abs(scored - expected[row]) <= 1e-6, "row \(row): \(scored) vs \(expected[row])")
            }
        }
        _ = await api.terminate()
    }
}
