import Foundation
import SentinelArguments
import SentinelData
import SentinelModel

/// `sentinel train`: trains a model on a window of a transaction file and writes one model file.
enum TrainCommand {
    /// The file written when `--out` is not given.
    static let defaultOutput = "model.sentinel"

    static let command = Command(
        words: ["train"],
        summary: "train a fraud model on a transaction file and write a model file",
        usage:
            "sentinel train --data FILE [--from DAY --to DAY] [--algorithm gbdt|logistic] [--out FILE] [--seed N] "
            + "[--skip-bad-rows] [--quiet] [hyper-parameters]",
        details: """
              --data FILE                CSV file, plain or gzip-compressed, or - for standard input
              --from DAY, --to DAY       training window, YYYY-MM-DD, both inclusive (default: every row)
              --algorithm NAME           gbdt (gradient-boosted trees, the default) or logistic
              --out FILE                 where to write the model (default model.sentinel)
              --seed N                   seed for the learner's random draws (default 0)
              --validation-fraction F    latest fraction of the window held out for validation (default 0.2)
              --drift-chunk-rows N       rows per chunk when calibrating each input's drift thresholds from the
                                         training rows themselves: the events a monitoring window typically holds
                                         (default: a tenth of the rows)
              --features A,B,...         input columns, for files of an unrecognised layout
              --label COLUMN             label column (0/1), for files of an unrecognised layout
              --skip-bad-rows            skip and count malformed rows instead of failing
              --quiet                    no progress on standard error (bars are drawn only on a terminal)

            """ + hyperParameterHelp
    ) { arguments, console in
        let dataPath = try arguments.required("--data")
        let from = try Formatting.day(arguments.option("--from"), option: "--from")
        let to = try Formatting.day(arguments.option("--to"), option: "--to")
        let algorithmName = try arguments.option("--algorithm") ?? "gbdt"
        let output = try arguments.option("--out") ?? defaultOutput
        let seed = try arguments.option("--seed", as: UInt64.self) ?? 0
        let validationFraction = try arguments.option("--validation-fraction", as: Double.self) ?? 0.2
        let chunkRows = try arguments.option("--drift-chunk-rows", as: Int.self)
        let features = try arguments.option("--features").map { $0.split(separator: ",").map(String.init) }
        let label = try arguments.option("--label")
        let skipBadRows = arguments.flag("--skip-bad-rows")
        let quiet = arguments.flag("--quiet")
        let algorithm = try algorithm(named: algorithmName, arguments: &arguments)
        try arguments.finish()
        if let from, let to, to < from {
            throw UsageError("--to \(to) is before --from \(from)")
        }
        guard validationFraction > 0, validationFraction < 1 else {
            throw UsageError("--validation-fraction must be between 0 and 1 (exclusive), got \(validationFraction)")
        }
        if let chunkRows, chunkRows < 1 { throw UsageError("invalid value for --drift-chunk-rows: \(chunkRows) (≥ 1)") }

        let clock = ContinuousClock()
        let started = clock.now
        if !quiet { console.printError("loading \(dataPath)…") }
        let dataset = try DatasetLoader.load(
            path: dataPath,
            options: LoadOptions(
                from: from, to: to, featureColumns: features, labelColumn: label, skipBadRows: skipBadRows))
        reportSkipped(dataset.skippedRows, console: console)
        let loaded = clock.now
        if !quiet {
            console.printError(
                "loaded \(dataset.rowCount) rows, \(dataset.labels.count(where: { $0 == 1 })) frauds in "
                    + Formatting.seconds(loaded - started))
        }

        var bar = ProgressBar(console: console, enabled: !quiet)
        // The validation model's last round and round budget: fewer rounds than the budget means early stopping
        // fired.
        var validationRounds: (run: Int, budget: Int)?
        let artifact = try ModelTrainer.train(
            dataset: dataset,
            configuration: TrainingConfiguration(
                algorithm: algorithm, validationFraction: validationFraction, seed: seed, driftChunkRows: chunkRows),
            producer: "sentinel \(SentinelVersion.string)"
        ) { progress in
            if progress.stage == .validationModel { validationRounds = (progress.completed, progress.total) }
            bar.update(stage: progress.stage.rawValue, completed: progress.completed, total: progress.total)
        }
        bar.finish()
        let file = try ModelFile(artifact: artifact)
        try file.write(to: output)
        let finished = clock.now

        let training = artifact.training
        let validation = artifact.validation
        let window = training.firstDay.map { "\($0) .. \(training.lastDay ?? $0)" } ?? "all rows (no dates)"
        console.print("trained      \(artifact.learner.kind) on \(window)")
        console.print(
            "rows         \(training.rows) (\(training.frauds) frauds, \(Formatting.percent(Double(training.frauds) / Double(training.rows))))"
        )
        console.print(
            "time         \(Formatting.seconds(finished - started)) (loading \(Formatting.seconds(loaded - started)), "
                + "training \(Formatting.seconds(finished - loaded)))")
        if let trees = training.treesKept, case .gradientBoosting(let parameters) = algorithm {
            console.print("trees        \(trees) (\(earlyStopping(parameters, rounds: validationRounds)))")
        }
        console.print(
            "validation   latest \(validation.rows) rows (\(validation.frauds) frauds): "
                + "AP \(Formatting.metric(validation.averagePrecision)), "
                + "ROC AUC \(Formatting.metric(validation.rocAUC))")
        console.print(
            "threshold    \(Formatting.fixed(artifact.threshold, 4)) (\(artifact.thresholdRule.name)): "
                + "precision \(Formatting.fixed(validation.confusion.precision)), "
                + "recall \(Formatting.fixed(validation.confusion.recall)), F1 \(Formatting.fixed(validation.confusion.f1))"
        )
        console.print("model        \(file.modelVersion) written to \(output)")
        return ExitCode.success
    }

    /// What early stopping did, for the summary's `trees` line: whether it fired, after how many rounds of the
    /// budget, and what the kept trees are.
    static func earlyStopping(_ parameters: GradientBoostingParameters, rounds: (run: Int, budget: Int)?) -> String {
        guard parameters.earlyStoppingRounds > 0 else { return "early stopping off: every round kept" }
        guard let rounds else { return "the best round on the validation slice" }
        if rounds.run < rounds.budget {
            return "early stopping fired after round \(rounds.run) of \(rounds.budget): "
                + "\(parameters.earlyStoppingRounds) rounds without improvement on the validation slice; "
                + "the best round's trees kept"
        }
        return
            "early stopping did not fire: all \(rounds.budget) rounds ran; the best round on the validation slice kept"
    }

    /// Prints how many malformed rows were skipped, with the first few reasons.
    static func reportSkipped(_ skipped: SkippedRows, console: Console) {
        guard skipped.count > 0 else { return }
        console.printError("skipped \(skipped.count) malformed rows; the first:")
        for example in skipped.examples {
            console.printError("  \(example)")
        }
    }
}
