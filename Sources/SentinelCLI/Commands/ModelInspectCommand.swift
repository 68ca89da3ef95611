import SentinelArguments
import SentinelDrift
import SentinelModel

/// `sentinel model inspect FILE`: what a model file holds, human-readable.
enum ModelInspectCommand {
    static let command = Command(
        words: ["model", "inspect"],
        summary: "show what a model file holds: version, learner, inputs, threshold, training, profile",
        usage: "sentinel model inspect FILE",
        details: """
              FILE   a model file written by sentinel train (it is checked in full before anything is shown)
            """
    ) { arguments, console in
        guard let path = arguments.positional() else {
            throw UsageError("missing the model file")
        }
        try arguments.finish()
        let file = try ModelFile(contentsOf: path)
        for line in describe(file, path: path) { console.print(line) }
        return ExitCode.success
    }

    /// The report's lines.
    static func describe(_ file: ModelFile, path: String) -> [String] {
        let artifact = file.artifact
        let training = artifact.training
        let validation = artifact.validation
        var lines = [
            "file               \(path)",
            "format             \(ModelArtifact.formatName) version \(artifact.requiredFormatVersion)",
            "model version      \(file.modelVersion)",
            "sha256             \(file.sha256)",
            "producer           \(artifact.producer)",
        ]
        lines += learnerLines(artifact)
        lines.append("threshold          \(Formatting.fixed(artifact.threshold, 6)) (\(artifact.thresholdRule.name))")
        lines.append("                   \(artifact.thresholdRule.explanation)")
        let window = training.firstDay.map { "\($0) .. \(training.lastDay ?? $0)" } ?? "no dates"
        let rows =
            training.algorithm.source == nil
            ? "training rows      \(training.rows) (\(training.frauds) frauds); fit on the earliest \(training.fitRows), "
                + "validated on the latest \(training.validationRows) (\(Formatting.percent(training.validationFraction))); "
                + "final model refitted on all; seed \(training.seed)"
            : "reference rows     \(training.rows) (\(training.frauds) frauds); validated on the latest "
                + "\(training.validationRows) (\(Formatting.percent(training.validationFraction)))"
        lines += [
            (training.algorithm.source == nil ? "training window    " : "reference window   ")
                + "\(window) (\(training.schema) data)",
            rows,
            "validation         \(validation.rows) rows, \(validation.frauds) frauds: AP "
                + "\(Formatting.metric(validation.averagePrecision)), ROC AUC \(Formatting.metric(validation.rocAUC)), "
                + "precision \(Formatting.fixed(validation.confusion.precision)), recall "
                + "\(Formatting.fixed(validation.confusion.recall)), F1 \(Formatting.fixed(validation.confusion.f1))",
            "reference profile  base fraud rate \(Formatting.percent(artifact.reference.baseFraudRate)), base flag rate "
                + "\(Formatting.percent(artifact.reference.baseFlagRate))",
            thresholdLine(artifact.reference),
            "  input                                 bins        mean         std         min         max  missing  "
                + "PSI warn/alert  kind",
        ]
        for profile in artifact.reference.features + [artifact.reference.score] {
            lines.append(profileLine(profile))
        }
        return lines
    }

    private static func learnerLines(_ artifact: ModelArtifact) -> [String] {
        switch (artifact.learner, artifact.training.algorithm) {
        case (.logistic(let model), .logistic(let parameters)):
            var lines = [
                "learner            logistic regression (L2, C \(parameters.c), class weights genuine "
                    + "\(parameters.classWeights.genuine) / fraud \(parameters.classWeights.fraud)), intercept "
                    + Formatting.fixed(model.intercept, 6),
                "inputs             \(artifact.featureNames.count), in order (coefficient on the standardised input; "
                    + "mean; scale):",
            ]
            for (index, name) in artifact.featureNames.enumerated() {
                lines.append(
                    "  \(column(String(index + 1), 3)) \(column(name, 36, left: true)) "
                        + "\(column(Formatting.fixed(model.coefficients[index], 6), 11)) "
                        + "\(column(Formatting.fixed(model.standardization.means[index], 4), 12)) "
                        + "\(column(Formatting.fixed(model.standardization.scales[index], 4), 12))")
            }
            return lines
        case (.gradientBoosting(let model), .gradientBoosting(let parameters)):
            let leaves = model.trees.map(\.leafCount).reduce(0, +)
            var lines = [
                "learner            gradient-boosted trees: \(model.trees.count) trees (\(leaves) leaves), "
                    + "learning rate \(parameters.learningRate), max depth \(parameters.maxDepth), max leaves "
                    + "\(parameters.maxLeaves), min child weight \(parameters.minChildWeight), L2 "
                    + "\(parameters.l2Regularization), row subsample \(parameters.rowSubsample), feature subsample "
                    + "\(parameters.featureSubsample), bins \(parameters.maxBins), early stopping "
                    + "\(parameters.earlyStoppingRounds) rounds on \(parameters.stoppingMetric.rawValue)",
                "inputs             \(artifact.featureNames.count), in order:",
            ]
            for (index, name) in artifact.featureNames.enumerated() {
                lines.append("  \(column(String(index + 1), 3)) \(name)")
            }
            return lines
        case (_, .imported(let source)):
            var lines = [
                "imported from      \(source.sourceFile) (\(source.format)\(source.library.map { ", " + $0 } ?? ""))",
                "source sha256      \(source.sourceSHA256)",
                "learner            \(importedLearner(artifact.learner)): \(source.model)",
                "inputs             \(artifact.featureNames.count), in order:",
            ]
            for (index, name) in artifact.featureNames.enumerated() {
                lines.append("  \(column(String(index + 1), 3)) \(name)")
            }
            return lines
        default:
            return ["learner            \(artifact.learner.kind)"]
        }
    }

    private static func importedLearner(_ learner: Learner) -> String {
        switch learner {
        case .logistic: return "logistic regression"
        case .gradientBoosting(let model):
            let leaves = model.trees.map(\.leafCount).reduce(0, +)
            let kind = model.output == .probability ? "averaged trees" : "boosted trees"
            return
                "\(kind), \(model.trees.count) trees (\(leaves) leaves, depth \(model.trees.map(\.depth).max() ?? 0))"
        }
    }

    private static func profileLine(_ profile: FeatureProfile) -> String {
        let defaults = DriftThresholds()
        let warn = profile.calibration?.warn ?? defaults.warn
        let alert = profile.calibration?.alert ?? defaults.alert
        return "  \(column(profile.name, 36, left: true)) \(column(String(profile.binCount), 5)) "
            + "\(column(Formatting.fixed(profile.mean, 4), 11)) \(column(Formatting.fixed(profile.standardDeviation, 4), 11)) "
            + "\(column(Formatting.fixed(profile.minimum, 4), 11)) \(column(Formatting.fixed(profile.maximum, 4), 11)) "
            + "\(column(Formatting.percent(profile.missingFraction), 8))  "
            + "\(column(Formatting.fixed(warn, 3) + "/" + Formatting.fixed(alert, 3), 14))  \(kind(profile))"
    }

    /// Where the drift thresholds in the table come from: the calibration (how many chunks of how many rows) or the
    /// monitor's defaults for a model file without one.
    static func thresholdLine(_ reference: ReferenceProfile) -> String {
        let defaults = DriftThresholds()
        let calibrations = (reference.features + [reference.score]).compactMap(\.calibration)
        guard let first = calibrations.first else {
            return
                "drift thresholds   the monitor's defaults (PSI warn \(defaults.warn), alert \(defaults.alert)): this "
                + "file has no calibration"
        }
        return "drift thresholds   calibrated on \(first.chunks) chunks of \(first.chunkRows) training rows in time "
            + "order: warn at the chunks' mean PSI + 2σ, alert at + 3σ, never below \(defaults.warn) / "
            + "\(defaults.alert)"
    }

    /// Whether the input is categorical-like (few distinct values, or whole numbers only) or continuous, as its
    /// training values showed; `–` for a profile that does not record it.
    static func kind(_ profile: FeatureProfile) -> String {
        guard let distinct = profile.distinctValues, let integer = profile.integerValued,
            let categorical = profile.isCategoricalLike
        else { return "–" }
        guard categorical else { return "continuous" }
        let values = distinct == 1 ? "1 value" : "\(distinct) values"
        return "categorical-like (\(integer ? "integers, " : "")\(values))"
    }

    private static func column(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? text + padding : padding + text
    }
}
