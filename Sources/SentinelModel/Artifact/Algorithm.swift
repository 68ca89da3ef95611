/// A learning algorithm with its parameters: what `sentinel train --algorithm` selects, or the record of a model
/// trained elsewhere and brought in by `sentinel model import`.
///
/// ```swift
/// let algorithm = Algorithm.logistic(LogisticRegression(c: 1))
/// print(algorithm.name)  // "logistic"
/// ```
public enum Algorithm: Sendable, Equatable {
    /// Logistic regression.
    case logistic(LogisticRegression)
    /// Gradient-boosted decision trees.
    case gradientBoosting(GradientBoostingParameters)
    /// A model trained by another library and imported; its learner is of either kind.
    case imported(ModelSource)

    /// `logistic`, `gradient_boosting` (matching ``Learner/kind``) or `imported`.
    public var name: String {
        switch self {
        case .logistic: return "logistic"
        case .gradientBoosting: return "gradient_boosting"
        case .imported: return "imported"
        }
    }

    /// The import record, for an imported model.
    public var source: ModelSource? {
        if case .imported(let source) = self { return source }
        return nil
    }
}

extension Algorithm: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind
        case logistic
        case gradientBoosting = "gradient_boosting"
        case imported
    }

    /// Decodes an algorithm; an unknown kind is a `DecodingError.dataCorrupted`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(String.self, forKey: .kind)
        switch kind {
        case "logistic":
            self = .logistic(try container.decode(LogisticRegression.self, forKey: .logistic))
        case "gradient_boosting":
            self = .gradientBoosting(try container.decode(GradientBoostingParameters.self, forKey: .gradientBoosting))
        case "imported":
            self = .imported(try container.decode(ModelSource.self, forKey: .imported))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: container, debugDescription: "unknown algorithm '\(kind)'")
        }
    }

    /// Encodes the kind and the parameters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .kind)
        switch self {
        case .logistic(let parameters): try container.encode(parameters, forKey: .logistic)
        case .gradientBoosting(let parameters): try container.encode(parameters, forKey: .gradientBoosting)
        case .imported(let source): try container.encode(source, forKey: .imported)
        }
    }
}
