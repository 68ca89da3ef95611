/// A learning algorithm with its parameters: what `sentinel train --algorithm` selects.
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

    /// `logistic` or `gradient_boosting`, matching ``Learner/kind``.
    public var name: String {
        switch self {
        case .logistic: return "logistic"
        case .gradientBoosting: return "gradient_boosting"
        }
    }
}

extension Algorithm: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind
        case logistic
        case gradientBoosting = "gradient_boosting"
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
        }
    }
}
