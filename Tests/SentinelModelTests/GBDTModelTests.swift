import Foundation
import Testing

@testable import SentinelModel

@Suite("Gradient boosting: model")
struct GBDTModelTests {
    static func trained(depth: Int = 6, leaves: Int = 64) throws -> (GradientBoostedTrees, [[Double]]) {
        var (features, labels) = GBDTFixtures.noisy(count: 3000, seed: 41)
        for row in stride(from: 0, to: 3000, by: 7) { features[row % 4][row] = .nan }
        let parameters = GradientBoostingParameters(
            treeCount: 30, learningRate: 0.2, maxDepth: depth, maxLeaves: leaves, minChildWeight: 0)
        let (model, _) = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        var test = GBDTFixtures.uniform(count: 1001, featureCount: 4, seed: 42)
        for row in stride(from: 0, to: 1001, by: 5) { test[row % 4][row] = .nan }
        return (model, test)
    }

    @Test("a Codable round trip gives an equal model and bit-identical predictions")
    func codableRoundTrip() throws {
        let (model, test) = try Self.trained()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(model)
        let decoded = try JSONDecoder().decode(GradientBoostedTrees.self, from: data)
        #expect(decoded == model)
        #expect(GBDTFixtures.scores(decoded, test) == GBDTFixtures.scores(model, test))
        #expect(try encoder.encode(decoded) == data)
    }

    @Test("block scoring equals row-by-row scoring, for laid-out and for deep trees", arguments: [6, 14])
    func blockScoringMatchesRows(depth: Int) throws {
        let (model, test) = try Self.trained(depth: depth, leaves: depth > 10 ? 2000 : 64)
        #expect(model.compiled.isComplete == (depth <= CompiledForest.maxDepth))
        #expect(model.trees.contains { $0.depth == depth })
        #expect(GBDTFixtures.scores(model, test) == GBDTFixtures.rowScores(model, test))
        // A range that starts inside the table and leaves a partial last block.
        let part = model.probabilities(features: test, rows: 13..<500)
        #expect(part == Array(GBDTFixtures.rowScores(model, test)[13..<500]))
        #expect(model.probabilities(features: test, rows: 7..<7).isEmpty)
    }

    @Test(
        "one row, a row-major batch and a column-major batch all equal the node-array walk, missing inputs included",
        arguments: [6, 14])
    func everyScoringPathAgrees(depth: Int) throws {
        let (model, clean) = try Self.trained(depth: depth, leaves: depth > 10 ? 2000 : 64)
        // Every 7th value missing, so NaN routing is exercised in every path (and some blocks have none).
        var test = clean
        for feature in test.indices {
            for row in stride(from: feature, to: test[feature].count / 2, by: 7) { test[feature][row] = .nan }
        }
        let count = test[0].count
        let rows = (0..<count).map { row in test.map { $0[row] } }
        // The reference semantics: each tree's node arrays walked in order, summed from the base score.
        let walked = rows.map { row in
            row.withUnsafeBufferPointer { row in
                let raw = model.trees.reduce(model.baseScore) { $0 + $1.value(of: row) }
                return 1 / (1 + exp(-raw))
            }
        }
        #expect(GBDTFixtures.rowScores(model, test) == walked)
        #expect(GBDTFixtures.scores(model, test) == walked)
        let flat = rows.flatMap { $0 }
        var batch = [Double](repeating: -1, count: count)
        flat.withUnsafeBufferPointer { flat in
            batch.withUnsafeMutableBufferPointer { model.probabilities(rowMajor: flat, count: count, into: $0) }
        }
        #expect(batch == walked)
        let learner = Learner.gradientBoosting(model)
        var viaLearner = [Double](repeating: -1, count: count)
        flat.withUnsafeBufferPointer { flat in
            viaLearner.withUnsafeMutableBufferPointer { learner.probabilities(rowMajor: flat, count: count, into: $0) }
        }
        #expect(viaLearner == walked)
    }

    @Test("decoding rejects an inconsistent model", arguments: ["child", "feature", "threshold", "lengths"])
    func rejectsCorruptModel(defect: String) throws {
        var tree = RegressionTree(
            feature: [1, -1, -1], threshold: [0.5, 0, 0], missingGoesLeft: [true, false, false],
            left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 1])
        switch defect {
        case "child": tree.right[0] = 0
        case "feature": tree.feature[0] = 2
        case "threshold": tree.threshold[0] = .infinity
        default: tree.value.removeLast()
        }
        #expect(throws: GradientBoostingError.self) {
            try GradientBoostedTrees(featureCount: 2, baseScore: 0, trees: [tree], parameters: .init())
        }
        struct Envelope: Encodable {
            var featureCount = 2
            var baseScore = 0.0
            var trees: [RegressionTree]
            var parameters = GradientBoostingParameters()
        }
        if defect != "threshold" {  // JSON cannot carry infinity; the other defects travel.
            let data = try JSONEncoder().encode(Envelope(trees: [tree]))
            #expect(throws: DecodingError.self) { try JSONDecoder().decode(GradientBoostedTrees.self, from: data) }
        }
    }

    @Test("parameters encoded before positiveClassWeight existed decode with weight 1, the rest unchanged")
    func legacyParameters() throws {
        var parameters = GradientBoostingParameters(treeCount: 77, positiveClassWeight: 4, seed: 9)
        var object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(parameters)) as? [String: Any])
        #expect(object.removeValue(forKey: "positiveClassWeight") as? Double == 4)
        let legacy = try JSONDecoder().decode(
            GradientBoostingParameters.self, from: try JSONSerialization.data(withJSONObject: object))
        parameters.positiveClassWeight = 1
        #expect(legacy == parameters)
    }
}
