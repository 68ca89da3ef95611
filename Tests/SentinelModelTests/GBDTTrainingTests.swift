import Foundation
import Testing

@testable import SentinelModel

@Suite("Gradient boosting: training")
struct GBDTTrainingTests {
    static let fast = GradientBoostingParameters(treeCount: 40, learningRate: 0.3, maxDepth: 4, minChildWeight: 1)

    @Test("learns threshold functions to near-perfect ROC AUC", arguments: ["and", "xor", "step"])
    func learnsThresholdFunctions(function: String) throws {
        let features = GBDTFixtures.uniform(count: 4000, featureCount: 3, seed: 11)
        let labels = (0..<4000).map { row -> UInt8 in
            let a = features[0][row] > 0.6
            let b = features[1][row] > 0.3
            switch function {
            case "and": return a && b ? 1 : 0
            case "xor": return a != b ? 1 : 0
            default: return features[2][row] > 0.8 ? 1 : 0
            }
        }
        let (model, _) = try GradientBoostingTrainer(parameters: Self.fast).fit(features: features, labels: labels)
        let test = GBDTFixtures.uniform(count: 2000, featureCount: 3, seed: 12)
        let testLabels = (0..<2000).map { row -> UInt8 in
            let a = test[0][row] > 0.6
            let b = test[1][row] > 0.3
            switch function {
            case "and": return a && b ? 1 : 0
            case "xor": return a != b ? 1 : 0
            default: return test[2][row] > 0.8 ? 1 : 0
            }
        }
        let auc = try RankingMetrics.rocAUC(scores: GBDTFixtures.scores(model, test), labels: testLabels)
        #expect(auc > 0.995, "ROC AUC \(auc) for \(function)")
    }

    @Test("the same seed gives an identical model and identical encoding; another seed does not")
    func deterministic() throws {
        let (features, labels) = GBDTFixtures.noisy(count: 5000, seed: 3)
        var parameters = Self.fast
        parameters.seed = 42
        let first = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels).model
        let second = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels).model
        #expect(first == second)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(first) == encoder.encode(second))
        parameters.seed = 43
        let other = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels).model
        #expect(other.trees != first.trees)
    }

    @Test("a larger positiveClassWeight changes the model and raises the mean fraud score of the training rows")
    func positiveClassWeight() throws {
        let (features, labels) = GBDTFixtures.noisy(count: 5000, seed: 5)
        var parameters = Self.fast
        parameters.positiveClassWeight = 1
        let (unweighted, _) = try GradientBoostingTrainer(parameters: parameters).fit(
            features: features, labels: labels)
        parameters.positiveClassWeight = 4
        let (weighted, _) = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        let before = GBDTFixtures.scores(unweighted, features)
        let after = GBDTFixtures.scores(weighted, features)
        #expect(unweighted != weighted)
        let meanBefore: Double = before.reduce(0, +) / Double(before.count)
        let meanAfter: Double = after.reduce(0, +) / Double(after.count)
        #expect(meanAfter > meanBefore, "mean score \(meanAfter) with weight 4, \(meanBefore) with weight 1")
    }

    @Test("the model does not depend on the thread count", arguments: [1, 3])
    func threadCountIndependent(threads: Int) throws {
        // 6000 rows: enough for the histogram builder to split work across threads.
        let (features, labels) = GBDTFixtures.noisy(count: 6000, seed: 5)
        var parameters = Self.fast
        let reference = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        parameters.threadCount = threads
        let other = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        #expect(reference.model.trees == other.model.trees)
        #expect(reference.model.baseScore == other.model.baseScore)
    }

    @Test("early stopping keeps the best validation round and stops after the patience runs out")
    func earlyStopping() throws {
        // Pure-noise labels: validation log-loss is best after a few rounds, then worsens as trees overfit.
        let features = GBDTFixtures.uniform(count: 3000, featureCount: 4, seed: 21)
        var random = Xoshiro256(seed: 22)
        let labels = (0..<3000).map { _ in UInt8(random.nextUnit() < 0.2 ? 1 : 0) }
        let training = features.map { Array($0[..<2000]) }
        let validation = features.map { Array($0[2000...]) }
        var parameters = GradientBoostingParameters(
            treeCount: 500, learningRate: 0.3, maxDepth: 6, minChildWeight: 0, l2Regularization: 0)
        parameters.earlyStoppingRounds = 10
        parameters.stoppingMetric = .logLoss
        var rounds: [Int] = []
        let (model, report) = try GradientBoostingTrainer(parameters: parameters).fit(
            features: training, labels: Array(labels[..<2000]),
            validation: (validation, Array(labels[2000...])), progress: { round, _ in rounds.append(round) })
        let losses = report.validationLogLoss
        let best = losses.indices.min { losses[$0] < losses[$1] }!
        #expect(report.stoppedEarly)
        #expect(report.treesKept == best + 1)
        #expect(model.trees.count == report.treesKept)
        #expect(report.roundsRun == report.treesKept + 10)
        #expect(rounds == Array(1...report.roundsRun))
        #expect(report.bestValidationLogLoss == losses[best])
        // The kept model scores the validation rows exactly as the best round did.
        let scores = model.rawScores(features: validation, rows: 0..<1000)
        #expect(ValidationMetrics.logLoss(scores: scores, labels: Array(labels[2000...])) == losses[best])
    }

    @Test("without validation data every round is kept")
    func noValidation() throws {
        let (features, labels) = GBDTFixtures.noisy(count: 1000, seed: 8)
        let (model, report) = try GradientBoostingTrainer(parameters: Self.fast).fit(features: features, labels: labels)
        #expect(model.trees.count == 40)
        #expect(report.treesKept == 40 && report.roundsRun == 40 && !report.stoppedEarly)
        #expect(report.validationLogLoss.isEmpty)
        #expect(report.featureGain[0] > report.featureGain[3] && report.featureGain[1] > report.featureGain[2])
    }

    @Test("trees respect the depth and leaf limits", arguments: [(2, 64), (6, 5), (10, 3)])
    func limits(depth: Int, leaves: Int) throws {
        let (features, labels) = GBDTFixtures.noisy(count: 3000, seed: 9)
        var parameters = Self.fast
        parameters.maxDepth = depth
        parameters.maxLeaves = leaves
        parameters.minChildWeight = 0
        let (model, _) = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        #expect(model.trees.allSatisfy { $0.depth <= depth && $0.leafCount <= leaves })
        #expect(model.trees.contains { $0.leafCount == min(leaves, 1 << depth) })
    }

    @Test("missing values follow the learned direction")
    func missingValues() throws {
        // Input 0 is missing for a third of the rows, and those rows are mostly fraud.
        var features = GBDTFixtures.uniform(count: 3000, featureCount: 2, seed: 31)
        var labels: [UInt8] = []
        for row in 0..<3000 {
            if row % 3 == 0 {
                features[0][row] = .nan
                labels.append(row % 4 == 0 ? 0 : 1)
            } else {
                labels.append(features[0][row] > 0.9 ? 1 : 0)
            }
        }
        let (model, _) = try GradientBoostingTrainer(parameters: Self.fast).fit(features: features, labels: labels)
        let missing = [Double.nan, 0.5].withUnsafeBufferPointer { model.probability(of: $0) }
        let low = [0.2, 0.5].withUnsafeBufferPointer { model.probability(of: $0) }
        let high = [0.95, 0.5].withUnsafeBufferPointer { model.probability(of: $0) }
        #expect(missing > 0.6 && low < 0.1 && high > 0.9, "missing \(missing), low \(low), high \(high)")
        #expect(model.trees.contains { tree in tree.missingGoesLeft.indices.contains { tree.feature[$0] == 0 } })
    }

    @Test("a hand-built tree routes NaN by its missing direction, row by row and in blocks", arguments: [true, false])
    func nanRouting(missingGoesLeft: Bool) throws {
        let tree = RegressionTree(
            feature: [0, -1, -1], threshold: [2.5, 0, 0], missingGoesLeft: [missingGoesLeft, false, false],
            left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 1])
        let model = try GradientBoostedTrees(
            featureCount: 1, baseScore: 0, trees: [tree], parameters: GradientBoostingParameters())
        let column: [Double] = [1, 2.5, 3, .nan, -.infinity, .infinity]
        let expected: [Double] = [-1, -1, 1, missingGoesLeft ? -1 : 1, -1, 1]
        #expect(model.rawScores(features: [column], rows: 0..<6) == expected)
        #expect(column.map { [$0].withUnsafeBufferPointer { model.rawScore(of: $0) } } == expected)
    }
}
