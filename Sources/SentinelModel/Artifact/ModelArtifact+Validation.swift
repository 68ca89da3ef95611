import SentinelData
import SentinelDrift

extension ModelArtifact {
    /// Checks that the parts agree with each other and every number is in range.
    ///
    /// Called before writing and after reading a model file.
    /// - Throws: ``ModelError`` `.inconsistent` naming the first problem found.
    public func validate() throws {
        func fail(_ message: String) -> ModelError {
            ModelError(.inconsistent, "invalid model: \(message)")
        }
        guard !featureNames.isEmpty else { throw fail("it has no inputs") }
        guard featureNames.allSatisfy({ !$0.isEmpty }), Set(featureNames).count == featureNames.count else {
            throw fail("input names must be non-empty and distinct")
        }
        guard learner.featureCount == featureNames.count else {
            throw fail("the learner takes \(learner.featureCount) inputs but \(featureNames.count) are named")
        }
        guard learner.kind == training.algorithm.name || training.algorithm.source != nil else {
            throw fail("the learner is \(learner.kind) but the recorded algorithm is \(training.algorithm.name)")
        }
        if case .logistic(let model) = learner {
            let d = model.coefficients.count
            guard model.standardization.means.count == d, model.standardization.scales.count == d else {
                throw fail(
                    "logistic regression has \(d) coefficients, \(model.standardization.means.count) means and "
                        + "\(model.standardization.scales.count) scales")
            }
            guard model.intercept.isFinite, model.coefficients.allSatisfy(\.isFinite),
                model.standardization.means.allSatisfy(\.isFinite),
                model.standardization.scales.allSatisfy({ $0.isFinite && $0 > 0 })
            else {
                throw fail("logistic regression coefficients, means and scales must be finite (scales > 0)")
            }
        }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw fail("threshold \(threshold) is not in [0, 1]")
        }
        try validateTraining(fail)
        guard validation.rows == training.validationRows, (0...validation.rows).contains(validation.frauds) else {
            throw fail(
                "validation has \(validation.rows) rows and \(validation.frauds) frauds; "
                    + "training recorded \(training.validationRows) validation rows")
        }
        let c = validation.confusion
        guard c.truePositives + c.falsePositives + c.trueNegatives + c.falseNegatives == validation.rows,
            [c.truePositives, c.falsePositives, c.trueNegatives, c.falseNegatives].allSatisfy({ $0 >= 0 })
        else {
            throw fail("the validation confusion matrix does not add up to \(validation.rows) rows")
        }
        for metric in [validation.averagePrecision, validation.rocAUC] {
            if let metric, !(0...1).contains(metric) {
                throw fail("validation metric \(metric) is not in [0, 1]")
            }
        }
        try validateReference(fail)
    }

    private func validateTraining(_ fail: (String) -> ModelError) throws {
        guard training.rows >= 2, (1..<training.rows).contains(training.frauds) else {
            throw fail("training recorded \(training.rows) rows and \(training.frauds) frauds")
        }
        guard training.fitRows >= 1, training.validationRows >= 0,
            training.fitRows + training.validationRows == training.rows
        else {
            throw fail(
                "fit rows (\(training.fitRows)) and validation rows (\(training.validationRows)) must add up to "
                    + "the \(training.rows) training rows")
        }
        guard training.validationFraction >= 0, training.validationFraction < 1 else {
            throw fail("validation fraction \(training.validationFraction) is not in [0, 1)")
        }
        switch (training.firstDay, training.lastDay) {
        case (nil, nil):
            break
        case (let first?, let last?):
            guard let firstDay = Day(first), let lastDay = Day(last), first.count == 10, last.count == 10 else {
                throw fail("training days '\(first)' and '\(last)' must be YYYY-MM-DD")
            }
            guard firstDay <= lastDay else { throw fail("training window \(first)..\(last) is empty") }
        default:
            throw fail("the training window needs both a first and a last day, or neither")
        }
    }

    private func validateReference(_ fail: (String) -> ModelError) throws {
        guard reference.features.map(\.name) == featureNames else {
            throw fail("the reference profile's inputs do not match the model's inputs")
        }
        for profile in reference.features + [reference.score] {
            guard profile.proportions.count == profile.edges.count + 1 else {
                throw fail(
                    "profile '\(profile.name)' has \(profile.edges.count) edges but \(profile.proportions.count) bins")
            }
            guard zip(profile.edges, profile.edges.dropFirst()).allSatisfy({ $0 < $1 }),
                profile.edges.allSatisfy(\.isFinite)
            else {
                throw fail("profile '\(profile.name)' edges must be finite and strictly increasing")
            }
            guard profile.proportions.allSatisfy({ (0...1).contains($0) }), profile.count >= 0,
                (0...1).contains(profile.missingFraction)
            else {
                throw fail("profile '\(profile.name)' has proportions or counts out of range")
            }
            if let calibration = profile.calibration {
                guard calibration.warn.isFinite, calibration.alert.isFinite, calibration.warn >= 0,
                    calibration.warn <= calibration.alert, calibration.chunks >= 2, calibration.chunkRows >= 1
                else {
                    throw fail(
                        "profile '\(profile.name)' has calibrated thresholds out of range (0 ≤ warn ≤ alert, at least "
                            + "two chunks)")
                }
            }
        }
        guard (0...1).contains(reference.baseFraudRate), (0...1).contains(reference.baseFlagRate) else {
            throw fail("base fraud and flag rates must be in [0, 1]")
        }
    }
}
