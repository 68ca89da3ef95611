/// Hyper-parameters of gradient-boosted decision trees, with defaults that are good without tuning.
///
/// The defaults were chosen on validation windows inside the training period (never on a test week); see
/// `benchmarks/RESULTS.md`, "GBDT defaults: validation windows", for the measurements behind them.
///
/// ```swift
/// var parameters = GradientBoostingParameters()
/// parameters.seed = 7
/// let (model, report) = try GradientBoostingTrainer(parameters: parameters).fit(features: columns, labels: labels)
/// ```
public struct GradientBoostingParameters: Sendable, Codable, Equatable, Hashable {
    /// The validation metric that early stopping watches.
    public enum StoppingMetric: String, Sendable, Codable, Hashable, CaseIterable {
        /// Mean binary log-loss (lower is better).
        case logLoss
        /// Average precision, as scikit-learn computes it (higher is better).
        case averagePrecision
    }

    /// Where boosting starts.
    public enum InitialScore: String, Sendable, Codable, Hashable, CaseIterable {
        /// The log-odds of the training fraud rate.
        case classPrior
        /// Log-odds 0 (probability 0.5), as XGBoost's `base_score=0.5`.
        case zero
    }

    /// Maximum number of boosting rounds (trees); early stopping may keep fewer.
    public var treeCount: Int
    /// Shrinkage applied to every leaf value, in (0, 1].
    public var learningRate: Double
    /// Maximum depth of a tree (the root has depth 0), in 1...16.
    public var maxDepth: Int
    /// Maximum number of leaves of a tree, at least 2; trees grow best-first (highest gain first) up to this limit.
    public var maxLeaves: Int
    /// Minimum sum of hessians (p·(1−p)) in each child of a split.
    public var minChildWeight: Double
    /// L2 regularisation of leaf values (lambda), at least 0.
    public var l2Regularization: Double
    /// Minimum loss reduction for a split (gamma), at least 0.
    public var minSplitGain: Double
    /// Weight of a fraud row's gradient and hessian (XGBoost's `scale_pos_weight`), finite and > 0; 1 weighs all rows
    /// alike. Early stopping's validation metric and the starting score stay unweighted.
    public var positiveClassWeight: Double
    /// Fraction of rows drawn (without replacement, per tree) to grow each tree, in (0, 1].
    public var rowSubsample: Double
    /// Fraction of features drawn per tree, in (0, 1]; at least one feature is always drawn.
    public var featureSubsample: Double
    /// Maximum number of quantile bins per feature, in 2...65534 (missing values get a bin of their own).
    public var maxBins: Int
    /// Stop after this many rounds without a better validation metric (0 disables early stopping).
    public var earlyStoppingRounds: Int
    /// The validation metric early stopping watches.
    public var stoppingMetric: StoppingMetric
    /// Where boosting starts.
    public var initialScore: InitialScore
    /// Seed of the random number generator that draws rows and features.
    public var seed: UInt64
    /// Threads used to build histograms; results do not depend on it.
    public var threadCount: Int

    /// Creates parameters; every argument has a default that is good without tuning.
    public init(
        treeCount: Int = 1000,
        learningRate: Double = 0.02,
        maxDepth: Int = 4,
        maxLeaves: Int = 16,
        minChildWeight: Double = 3,
        l2Regularization: Double = 3,
        minSplitGain: Double = 0,
        positiveClassWeight: Double = 2,
        rowSubsample: Double = 0.8,
        featureSubsample: Double = 0.8,
        maxBins: Int = 1023,
        earlyStoppingRounds: Int = 50,
        stoppingMetric: StoppingMetric = .logLoss,
        initialScore: InitialScore = .classPrior,
        seed: UInt64 = 0,
        threadCount: Int = 2
    ) {
        self.treeCount = treeCount
        self.learningRate = learningRate
        self.maxDepth = maxDepth
        self.maxLeaves = maxLeaves
        self.minChildWeight = minChildWeight
        self.l2Regularization = l2Regularization
        self.minSplitGain = minSplitGain
        self.positiveClassWeight = positiveClassWeight
        self.rowSubsample = rowSubsample
        self.featureSubsample = featureSubsample
        self.maxBins = maxBins
        self.earlyStoppingRounds = earlyStoppingRounds
        self.stoppingMetric = stoppingMetric
        self.initialScore = initialScore
        self.seed = seed
        self.threadCount = threadCount
    }

    /// Checks every value against its documented range.
    /// - Throws: `GradientBoostingError` with code `.invalidParameter`, naming the first bad parameter.
    public func validate() throws(GradientBoostingError) {
        func check(_ ok: Bool, _ name: String, _ rule: String, _ value: some CustomStringConvertible)
            throws(GradientBoostingError)
        {
            guard ok else {
                throw GradientBoostingError(.invalidParameter, "\(name) must be \(rule), got \(value)")
            }
        }
        try check(treeCount >= 1, "treeCount", "at least 1", treeCount)
        try check(learningRate > 0 && learningRate <= 1, "learningRate", "in (0, 1]", learningRate)
        try check((1...16).contains(maxDepth), "maxDepth", "in 1...16", maxDepth)
        try check(maxLeaves >= 2, "maxLeaves", "at least 2", maxLeaves)
        try check(minChildWeight >= 0 && minChildWeight.isFinite, "minChildWeight", "finite and >= 0", minChildWeight)
        try check(
            l2Regularization >= 0 && l2Regularization.isFinite, "l2Regularization", "finite and >= 0", l2Regularization)
        try check(minSplitGain >= 0 && minSplitGain.isFinite, "minSplitGain", "finite and >= 0", minSplitGain)
        try check(
            positiveClassWeight > 0 && positiveClassWeight.isFinite, "positiveClassWeight", "finite and > 0",
            positiveClassWeight)
        try check(rowSubsample > 0 && rowSubsample <= 1, "rowSubsample", "in (0, 1]", rowSubsample)
        try check(featureSubsample > 0 && featureSubsample <= 1, "featureSubsample", "in (0, 1]", featureSubsample)
        try check((2...65534).contains(maxBins), "maxBins", "in 2...65534", maxBins)
        try check(earlyStoppingRounds >= 0, "earlyStoppingRounds", "at least 0", earlyStoppingRounds)
        try check((1...64).contains(threadCount), "threadCount", "in 1...64", threadCount)
    }
}

extension GradientBoostingParameters {
    private enum CodingKeys: String, CodingKey {
        case treeCount, learningRate, maxDepth, maxLeaves, minChildWeight, l2Regularization, minSplitGain
        case positiveClassWeight, rowSubsample, featureSubsample, maxBins, earlyStoppingRounds, stoppingMetric
        case initialScore, seed, threadCount
    }

    /// Decodes parameters; `positiveClassWeight` may be absent (artifacts written before it existed), meaning 1.
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a value is missing or has the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            treeCount: try container.decode(Int.self, forKey: .treeCount),
            learningRate: try container.decode(Double.self, forKey: .learningRate),
            maxDepth: try container.decode(Int.self, forKey: .maxDepth),
            maxLeaves: try container.decode(Int.self, forKey: .maxLeaves),
            minChildWeight: try container.decode(Double.self, forKey: .minChildWeight),
            l2Regularization: try container.decode(Double.self, forKey: .l2Regularization),
            minSplitGain: try container.decode(Double.self, forKey: .minSplitGain),
            // Older artifacts predate class weighting and were trained unweighted.
            positiveClassWeight: try container.decodeIfPresent(Double.self, forKey: .positiveClassWeight) ?? 1,
            rowSubsample: try container.decode(Double.self, forKey: .rowSubsample),
            featureSubsample: try container.decode(Double.self, forKey: .featureSubsample),
            maxBins: try container.decode(Int.self, forKey: .maxBins),
            earlyStoppingRounds: try container.decode(Int.self, forKey: .earlyStoppingRounds),
            stoppingMetric: try container.decode(StoppingMetric.self, forKey: .stoppingMetric),
            initialScore: try container.decode(InitialScore.self, forKey: .initialScore),
            seed: try container.decode(UInt64.self, forKey: .seed),
            threadCount: try container.decode(Int.self, forKey: .threadCount)
        )
    }
}
