import Foundation

/// A trained gradient-boosted tree ensemble for binary classification: the fraud probability of a row is
/// `sigmoid(baseScore + Σ tree values)` (or the sum itself for an imported averaging forest, see ``Output``).
///
/// Missing inputs (NaN) follow the direction each split learned in training. The model is an immutable value,
/// `Codable` (the model artifact embeds it), and scores in row blocks through a flattened copy of its trees
/// (see `probabilities(features:rows:)`).
///
/// ```swift
/// let (model, _) = try GradientBoostingTrainer().fit(features: columns, labels: labels)
/// let scores = model.probabilities(features: testColumns, rows: 0..<testColumns[0].count)
/// ```
public struct GradientBoostedTrees: BinaryClassifier, Codable, Equatable, Sendable {
    /// What the sum of the base score and the leaf values of a row is.
    public enum Output: String, Sendable, Codable, Hashable {
        /// Log-odds: the probability is its logistic function (boosted trees, Sentinel's and imported ones).
        case logOdds
        /// The probability itself, clamped to [0, 1]: a forest whose leaves hold class frequencies divided by the
        /// number of trees (a scikit-learn random forest imported through ONNX).
        case probability
    }

    /// Number of inputs a row must have.
    public let featureCount: Int
    /// Log-odds every prediction starts from.
    public let baseScore: Double
    /// The boosted trees, in training order.
    public let trees: [RegressionTree]
    /// The parameters the model was trained with (informational; scoring does not use them); nil for a model
    /// trained elsewhere and imported.
    public let parameters: GradientBoostingParameters?
    /// What the sum of ``baseScore`` and the leaf values is.
    public let output: Output
    /// The trees laid out for fast scoring; derived from `trees`, never encoded.
    let compiled: CompiledForest

    /// Creates a model from its parts after checking them.
    /// - Parameters:
    ///   - featureCount: Number of inputs a row must have (at least 1).
    ///   - baseScore: Finite log-odds every prediction starts from.
    ///   - trees: The trees; each must be valid for `featureCount` inputs.
    ///   - parameters: The parameters the model was trained with (nil when it was trained elsewhere).
    ///   - output: What the sum of base score and leaf values is (default: log-odds).
    /// - Throws: `GradientBoostingError` with code `.invalidModel` when a part is inconsistent.
    public init(
        featureCount: Int, baseScore: Double, trees: [RegressionTree], parameters: GradientBoostingParameters?,
        output: Output = .logOdds
    ) throws(GradientBoostingError) {
        guard featureCount >= 1 else {
            throw GradientBoostingError(.invalidModel, "featureCount must be at least 1, got \(featureCount)")
        }
        guard baseScore.isFinite else {
            throw GradientBoostingError(.invalidModel, "baseScore must be finite, got \(baseScore)")
        }
        for (index, tree) in trees.enumerated() {
            do {
                try tree.validate(featureCount: featureCount)
            } catch {
                throw GradientBoostingError(.invalidModel, "tree \(index): \(error.message)")
            }
        }
        self.init(unchecked: featureCount, baseScore: baseScore, trees: trees, parameters: parameters, output: output)
    }

    /// Creates a model from parts the trainer built (and so knows to be consistent).
    init(
        unchecked featureCount: Int, baseScore: Double, trees: [RegressionTree],
        parameters: GradientBoostingParameters?,
        output: Output = .logOdds
    ) {
        self.featureCount = featureCount
        self.baseScore = baseScore
        self.trees = trees
        self.parameters = parameters
        self.output = output
        self.compiled = CompiledForest(trees: trees, baseScore: baseScore, featureCount: featureCount)
    }

    /// The fraud probability, in [0, 1], for one row of `featureCount` inputs.
    /// - Precondition: `row.count == featureCount`.
    public func probability(of row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count == featureCount, "expected \(featureCount) inputs, got \(row.count)")
        return probability(fromRaw: rawScore(of: row))
    }

    /// The probability for a raw score (the base score plus the leaf values), as ``output`` says.
    @inline(__always)
    func probability(fromRaw raw: Double) -> Double {
        switch output {
        case .logOdds: return Self.sigmoid(raw)
        case .probability: return min(max(raw, 0), 1)
        }
    }

    /// The log-odds for one row of `featureCount` inputs.
    /// - Precondition: `row.count == featureCount`.
    public func rawScore(of row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count == featureCount, "expected \(featureCount) inputs, got \(row.count)")
        // The flat layout: walking `trees` would retain and release each tree's arrays on every call.
        if compiled.isComplete { return compiled.rawScore(of: row) }
        var score = baseScore
        for tree in trees {
            score += tree.value(of: row)
        }
        return score
    }

    /// Two models are equal when their inputs, base score, trees, parameters and output are.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.featureCount == rhs.featureCount && lhs.baseScore == rhs.baseScore && lhs.trees == rhs.trees
            && lhs.parameters == rhs.parameters && lhs.output == rhs.output
    }

    static func sigmoid(_ x: Double) -> Double {
        1 / (1 + exp(-x))
    }
}

extension GradientBoostedTrees {
    private enum CodingKeys: String, CodingKey {
        case featureCount, baseScore, trees, parameters, output
    }

    /// Decodes a model and checks it as `init(featureCount:baseScore:trees:parameters:output:)` does; `parameters`
    /// may be absent (an imported model) and `output` absent means log-odds.
    /// - Throws: `DecodingError.dataCorrupted` describing the first inconsistency.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let featureCount = try container.decode(Int.self, forKey: .featureCount)
        let baseScore = try container.decode(Double.self, forKey: .baseScore)
        let trees = try container.decode([RegressionTree].self, forKey: .trees)
        let parameters = try container.decodeIfPresent(GradientBoostingParameters.self, forKey: .parameters)
        let output = try container.decodeIfPresent(Output.self, forKey: .output) ?? .logOdds
        do {
            try self.init(
                featureCount: featureCount, baseScore: baseScore, trees: trees, parameters: parameters, output: output)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes the input count, base score, trees, parameters when known and output when not log-odds (not the
    /// derived scoring layout), so a model trained by Sentinel encodes as it always has.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(featureCount, forKey: .featureCount)
        try container.encode(baseScore, forKey: .baseScore)
        try container.encode(trees, forKey: .trees)
        try container.encodeIfPresent(parameters, forKey: .parameters)
        if output != .logOdds {
            try container.encode(output, forKey: .output)
        }
    }
}
