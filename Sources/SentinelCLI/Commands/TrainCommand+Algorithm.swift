import SentinelArguments
import SentinelModel

extension TrainCommand {
    /// The `--help` lines of the learners' hyper-parameters.
    static let hyperParameterHelp = """
          gradient-boosted trees (defaults are good without tuning):
          --trees N                  most boosting rounds; early stopping keeps fewer (default 1000)
          --learning-rate X          shrinkage per tree, in (0, 1] (default 0.02)
          --max-depth N              deepest split level, 1...16 (default 4)
          --max-leaves N             most leaves per tree (default 16)
          --min-child-weight X       least hessian sum in a child (default 3)
          --l2 X                     L2 regularisation of leaf values (default 3)
          --positive-weight X        weight of fraud rows in the loss (default 2)
          --row-subsample X          fraction of rows drawn per tree, in (0, 1] (default 0.8)
          --feature-subsample X      fraction of inputs drawn per tree, in (0, 1] (default 0.8)
          --max-bins N               histogram bins per input, 2...65534 (default 1023)
          --early-stopping N         rounds without validation improvement before stopping; 0 = never (default 50)
          --threads N                training threads, 1...64 (default 2)
          logistic regression:
          --c X                      inverse L2 strength, scikit-learn's C (default 1)
          --fraud-weight X           class weight of fraud rows (default 1)
        """

    private static let boostingOptions = [
        "--trees", "--learning-rate", "--max-depth", "--max-leaves", "--min-child-weight", "--l2",
        "--positive-weight", "--row-subsample", "--feature-subsample", "--max-bins", "--early-stopping", "--threads",
    ]
    private static let logisticOptions = ["--c", "--fraud-weight"]
    private static let flagOfParameter = [
        "treeCount": "--trees", "learningRate": "--learning-rate", "maxDepth": "--max-depth",
        "maxLeaves": "--max-leaves", "minChildWeight": "--min-child-weight", "l2Regularization": "--l2",
        "positiveClassWeight": "--positive-weight", "rowSubsample": "--row-subsample",
        "featureSubsample": "--feature-subsample", "maxBins": "--max-bins", "earlyStoppingRounds": "--early-stopping",
        "threadCount": "--threads",
    ]

    /// The learner named by `--algorithm` with the hyper-parameters given on the command line.
    /// - Throws: ``UsageError`` for an unknown algorithm, an option of the other learner, or an invalid value.
    static func algorithm(named name: String, arguments: inout Arguments) throws -> Algorithm {
        switch name {
        case "gbdt", "gradient_boosting":
            try rejectOptions(logisticOptions, of: "logistic", arguments: arguments)
            var parameters = GradientBoostingParameters()
            if let value = try arguments.option("--trees", as: Int.self) { parameters.treeCount = value }
            if let value = try arguments.option("--learning-rate", as: Double.self) { parameters.learningRate = value }
            if let value = try arguments.option("--max-depth", as: Int.self) { parameters.maxDepth = value }
            if let value = try arguments.option("--max-leaves", as: Int.self) { parameters.maxLeaves = value }
            if let value = try arguments.option("--min-child-weight", as: Double.self) {
                parameters.minChildWeight = value
            }
            if let value = try arguments.option("--l2", as: Double.self) { parameters.l2Regularization = value }
            if let value = try arguments.option("--positive-weight", as: Double.self) {
                parameters.positiveClassWeight = value
            }
            if let value = try arguments.option("--row-subsample", as: Double.self) { parameters.rowSubsample = value }
            if let value = try arguments.option("--feature-subsample", as: Double.self) {
                parameters.featureSubsample = value
            }
            if let value = try arguments.option("--max-bins", as: Int.self) { parameters.maxBins = value }
            if let value = try arguments.option("--early-stopping", as: Int.self) {
                parameters.earlyStoppingRounds = value
            }
            if let value = try arguments.option("--threads", as: Int.self) { parameters.threadCount = value }
            do {
                try parameters.validate()
            } catch {
                // The library names its fields ("maxDepth must be …"); say the flag instead.
                var message = error.message
                for (field, flag) in flagOfParameter where message.hasPrefix(field + " ") {
                    message = flag + message.dropFirst(field.count)
                }
                throw UsageError(message)
            }
            return .gradientBoosting(parameters)
        case "logistic":
            try rejectOptions(boostingOptions, of: "gbdt", arguments: arguments)
            var learner = LogisticRegression()
            if let value = try arguments.option("--c", as: Double.self) {
                guard value > 0, value.isFinite else { throw UsageError("--c must be finite and > 0, got \(value)") }
                learner.c = value
            }
            if let value = try arguments.option("--fraud-weight", as: Double.self) {
                guard value > 0, value.isFinite else {
                    throw UsageError("--fraud-weight must be finite and > 0, got \(value)")
                }
                learner.classWeights = .init(genuine: 1, fraud: value)
            }
            return .logistic(learner)
        default:
            throw UsageError("unknown algorithm '\(name)' (expected gbdt or logistic)")
        }
    }

    /// Fails when an option that only the other learner takes is present.
    private static func rejectOptions(_ options: [String], of learner: String, arguments: Arguments) throws {
        for option in options
        where arguments.remaining.contains(where: { $0 == option || $0.hasPrefix(option + "=") }) {
            throw UsageError("\(option) applies to --algorithm \(learner) only")
        }
    }
}
