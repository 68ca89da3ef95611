import Foundation

/// A trained logistic regression: standardised inputs, one coefficient each, and an intercept.
///
/// p(fraud | x) = σ(b + Σⱼ wⱼ·zⱼ) with zⱼ = (xⱼ − meanⱼ) / scaleⱼ (0 when xⱼ is missing).
///
/// ```swift
/// let model = try LogisticRegression().fit(features: columns, labels: labels)
/// let p = [0.5, 1.0].withUnsafeBufferPointer { model.probability(of: $0) }
/// ```
public struct LogisticRegressionModel: BinaryClassifier, Codable, Equatable {
    /// The input standardisation learnt from training data.
    public var standardization: Standardization
    /// One coefficient per standardised input.
    public var coefficients: [Double]
    /// The intercept.
    public var intercept: Double

    /// Creates a model from stored parts.
    public init(standardization: Standardization, coefficients: [Double], intercept: Double) {
        self.standardization = standardization
        self.coefficients = coefficients
        self.intercept = intercept
    }

    /// Number of inputs.
    public var featureCount: Int { coefficients.count }

    /// The fraud probability for one row of raw inputs; NaN inputs are treated as the training mean.
    public func probability(of row: UnsafeBufferPointer<Double>) -> Double {
        var z = intercept
        for feature in 0..<coefficients.count {
            z += coefficients[feature] * standardization.standardize(row[feature], feature: feature)
        }
        return Self.sigmoid(z)
    }

    /// The logistic function, evaluated without overflow for large |z|.
    static func sigmoid(_ z: Double) -> Double {
        if z >= 0 {
            return 1 / (1 + exp(-z))
        }
        let e = exp(z)
        return e / (1 + e)
    }

    /// log(1 + eᵗ) without overflow.
    static func softplus(_ t: Double) -> Double {
        t > 0 ? t + log1p(exp(-t)) : log1p(exp(t))
    }
}
