@testable import SentinelModel

/// Deterministic synthetic problems for the gradient-boosting tests.
enum GBDTFixtures {
    /// `count` rows of `featureCount` uniform inputs in [0, 1) drawn from `seed`, column-major.
    static func uniform(count: Int, featureCount: Int, seed: UInt64) -> [[Double]] {
        var random = Xoshiro256(seed: seed)
        var columns = [[Double]](repeating: [], count: featureCount)
        for _ in 0..<count {
            for feature in 0..<featureCount {
                columns[feature].append(random.nextUnit())
            }
        }
        return columns
    }

    /// A noisy problem: P(fraud) rises with inputs 0 and 1; labels drawn from `seed`.
    static func noisy(count: Int, seed: UInt64) -> (features: [[Double]], labels: [UInt8]) {
        let features = uniform(count: count, featureCount: 4, seed: seed)
        var random = Xoshiro256(seed: seed &+ 1)
        let labels = (0..<count).map { row -> UInt8 in
            let p = 0.02 + 0.5 * features[0][row] * features[1][row]
            return random.nextUnit() < p ? 1 : 0
        }
        return (features, labels)
    }

    /// Scores every row with the model's batch path.
    static func scores(_ model: GradientBoostedTrees, _ features: [[Double]]) -> [Double] {
        model.probabilities(features: features, rows: 0..<(features.first?.count ?? 0))
    }

    /// Scores every row one at a time through `probability(of:)`.
    static func rowScores(_ model: GradientBoostedTrees, _ features: [[Double]]) -> [Double] {
        let count = features.first?.count ?? 0
        return (0..<count).map { row in
            features.map { $0[row] }.withUnsafeBufferPointer { model.probability(of: $0) }
        }
    }
}
