/// A trained model of one of the supported kinds, as stored in a model file.
///
/// Encoded as `{"kind": "logistic", "logistic": {…}}` or `{"kind": "gradient_boosting", "gradient_boosting": {…}}`.
///
/// ```swift
/// let learner = Learner.logistic(model)
/// let p = row.withUnsafeBufferPointer { learner.probability(of: $0) }
/// ```
public enum Learner: BinaryClassifier, Equatable {
    /// Logistic regression over standardised inputs.
    case logistic(LogisticRegressionModel)
    /// Gradient-boosted decision trees.
    case gradientBoosting(GradientBoostedTrees)

    /// The kind's name as written in files and output: `logistic` or `gradient_boosting`.
    public var kind: String {
        switch self {
        case .logistic: return "logistic"
        case .gradientBoosting: return "gradient_boosting"
        }
    }

    /// Number of inputs.
    public var featureCount: Int {
        switch self {
        case .logistic(let model): return model.featureCount
        case .gradientBoosting(let model): return model.featureCount
        }
    }

    /// The fraud probability of one row of raw inputs in model order.
    public func probability(of row: UnsafeBufferPointer<Double>) -> Double {
        switch self {
        case .logistic(let model): return model.probability(of: row)
        case .gradientBoosting(let model): return model.probability(of: row)
        }
    }

    /// Scores `count` row-major rows with the learner's fastest path; each result equals ``probability(of:)``.
    public func probabilities(
        rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>
    ) {
        switch self {
        case .logistic(let model): model.probabilities(rowMajor: rows, count: count, into: out)
        case .gradientBoosting(let model): model.probabilities(rowMajor: rows, count: count, into: out)
        }
    }

    /// Scores rows of a column-major table, using the learner's fastest path.
    /// - Parameters:
    ///   - features: `features[f][row]`, in model order.
    ///   - rows: The rows to score.
    /// - Returns: One probability per row, in order.
    public func scores(features: [[Double]], rows: Range<Int>) -> [Double] {
        switch self {
        case .logistic(let model): return model.probabilities(features: features, rows: rows)
        case .gradientBoosting(let model): return model.probabilities(features: features, rows: rows)
        }
    }
}

extension Learner: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind
        case logistic
        case gradientBoosting = "gradient_boosting"
    }

    /// Decodes a learner; an unknown kind is a `DecodingError.dataCorrupted`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "logistic":
            self = .logistic(try container.decode(LogisticRegressionModel.self, forKey: .logistic))
        case "gradient_boosting":
            self = .gradientBoosting(try container.decode(GradientBoostedTrees.self, forKey: .gradientBoosting))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown learner kind '\(kind)'")
        }
    }

    /// Encodes the kind and the model.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        switch self {
        case .logistic(let model): try container.encode(model, forKey: .logistic)
        case .gradientBoosting(let model): try container.encode(model, forKey: .gradientBoosting)
        }
    }
}
