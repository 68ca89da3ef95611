import Foundation
import Testing

@testable import SentinelModel

@Suite("Logistic regression")
struct LogisticRegressionTests {
    /// A small, deterministic, overlapping two-class problem with 2 inputs.
    static func problem() -> (features: [[Double]], labels: [UInt8]) {
        var x0: [Double] = []
        var x1: [Double] = []
        var labels: [UInt8] = []
        for i in 0..<200 {
            let a = Double((i * 37) % 101) / 10
            let b = Double((i * 53) % 89) - 40
            x0.append(a)
            x1.append(b)
            // Label depends noisily on a and b, so the classes overlap and the optimum is finite.
            labels.append(a + b / 20 + Double((i * 71) % 13) / 3 > 7 ? 1 : 0)
        }
        return ([x0, x1], labels)
    }

    @Test("the fit is a stationary point of ½‖w‖² + C Σ logloss (intercept unpenalised)", arguments: [1.0, 0.01])
    func optimality(c: Double) throws {
        let (features, labels) = Self.problem()
        let model = try LogisticRegression(c: c).fit(features: features, labels: labels)
        // Gradient recomputed independently, in standardised coordinates.
        var gradient = model.coefficients
        var interceptGradient = 0.0
        for row in labels.indices {
            let p = [features[0][row], features[1][row]].withUnsafeBufferPointer { model.probability(of: $0) }
            let residual = c * (p - Double(labels[row]))
            for f in 0..<2 {
                gradient[f] += residual * model.standardization.standardize(features[f][row], feature: f)
            }
            interceptGradient += residual
        }
        #expect(gradient.allSatisfy { abs($0) < 1e-7 })
        #expect(abs(interceptGradient) < 1e-7)
        #expect(model.coefficients[0] > 0)
    }

    @Test("standardisation uses the population standard deviation; a constant input gets scale 1")
    func standardization() {
        let standardization = Standardization(features: [[1, 2, 3, .nan], [5, 5, 5, 5]])
        #expect(standardization.means == [2, 5])
        #expect(abs(standardization.scales[0] - (2.0 / 3.0).squareRoot()) < 1e-15)
        #expect(standardization.scales[1] == 1)
        #expect(standardization.standardize(.nan, feature: 0) == 0)
    }

    @Test("a missing input scores as the training mean")
    func missingValues() throws {
        let (features, labels) = Self.problem()
        let model = try LogisticRegression().fit(features: features, labels: labels)
        let mean = model.standardization.means[0]
        let withNaN = [Double.nan, 3].withUnsafeBufferPointer { model.probability(of: $0) }
        let withMean = [mean, 3].withUnsafeBufferPointer { model.probability(of: $0) }
        #expect(withNaN == withMean)
    }

    @Test("balanced class weights raise the scores of a rare class")
    func classWeights() throws {
        let (features, baseLabels) = Self.problem()
        // Keep only a few frauds so the classes are unbalanced.
        var seen = 0
        let labels = baseLabels.map { label -> UInt8 in
            guard label == 1 else { return 0 }
            seen += 1
            return seen % 5 == 0 ? 1 : 0
        }
        let plain = try LogisticRegression().fit(features: features, labels: labels)
        let balanced = try LogisticRegression(classWeights: .balanced(labels: labels))
            .fit(features: features, labels: labels)
        let weights = LogisticRegression.ClassWeights.balanced(labels: labels)
        #expect(weights.fraud > weights.genuine)
        #expect(balanced.intercept > plain.intercept)
    }

    @Test("bad training input is rejected")
    func badInput() {
        #expect(throws: ModelError.self) { try LogisticRegression().fit(features: [[1, 2]], labels: [1, 1]) }
        #expect(throws: ModelError.self) { try LogisticRegression().fit(features: [[1, 2]], labels: [1]) }
        #expect(throws: ModelError.self) { try LogisticRegression().fit(features: [[1, .infinity]], labels: [1, 0]) }
        #expect(throws: ModelError.self) { try LogisticRegression(c: 0).fit(features: [[1, 2]], labels: [1, 0]) }
        #expect(throws: ModelError.self) {
            try LogisticRegression().fit(features: [[1, 2]], labels: [1, 0], rows: [])
        }
    }

    @Test("training twice gives the identical model")
    func deterministic() throws {
        let (features, labels) = Self.problem()
        #expect(
            try LogisticRegression().fit(features: features, labels: labels)
                == LogisticRegression().fit(features: features, labels: labels))
    }
}
