import Foundation
import SentinelArguments
import SentinelData
import SentinelModel

/// `sentinel evaluate`: scores a test window with a model file, following `Docs/Evaluation.md`.
enum EvaluateCommand {
    /// Cards investigated per day in CP@k (Docs/Evaluation.md's k).
    static let topK = 100

    static let command = Command(
        words: ["evaluate"],
        summary: "evaluate a model file on a test window (AP, ROC AUC, CP@100, threshold metrics)",
        usage:
            "sentinel evaluate --model FILE --data FILE --from DAY --to DAY [--delay-days 7] [--known-from DAY] [--json]",
        details: """
              --model FILE           a model file written by sentinel train
              --data FILE            CSV file, plain or gzip-compressed, or - for standard input; it must hold
                                     the test window and, for the known-frauds rule, the days from the model's
                                     first training day (or --known-from) on
              --from DAY, --to DAY   test window, YYYY-MM-DD, both inclusive
              --delay-days N         label delay: a test transaction of day t is dropped when its card had a
                                     fraud from the model's first training day through t - N - 1 (default 7)
              --known-from DAY       count frauds as known from DAY instead of the model's first training day,
                                     to test models trained on different windows on exactly the same rows
              --label COLUMN         label column, for files of an unrecognised layout
              --json                 print one JSON object instead of text
              --skip-bad-rows        skip and count malformed rows instead of failing
            """
    ) { arguments, console in
        let modelPath = try arguments.required("--model")
        let dataPath = try arguments.required("--data")
        guard let from = try Formatting.day(arguments.required("--from"), option: "--from"),
            let to = try Formatting.day(arguments.required("--to"), option: "--to")
        else {
            throw UsageError("--from and --to are required")
        }
        let delay = try arguments.option("--delay-days", as: Int.self) ?? 7
        let knownFrom = try Formatting.day(arguments.option("--known-from"), option: "--known-from")
        let label = try arguments.option("--label")
        let json = arguments.flag("--json")
        let skipBadRows = arguments.flag("--skip-bad-rows")
        try arguments.finish()
        guard from <= to else { throw UsageError("--to \(to) is before --from \(from)") }
        guard delay >= 0 else { throw UsageError("--delay-days must be 0 or more, got \(delay)") }
        if let knownFrom, knownFrom > from {
            throw UsageError("--known-from \(knownFrom) is after the first test day \(from)")
        }

        let file = try ModelFile(contentsOf: modelPath)
        let artifact = file.artifact
        guard let knownStart = knownFrom ?? artifact.training.firstDay.flatMap({ Day($0) }) else {
            throw ModelError(
                .invalidData,
                "the model was trained on data without dates, so the known-frauds rule needs --known-from DAY")
        }
        let settings = try EvaluationSettings(
            trainingStart: knownStart, testFrom: from, testTo: to, delayDays: delay, topK: topK)
        let dataset = try DatasetLoader.load(
            path: dataPath,
            options: LoadOptions(
                from: min(knownStart, from), to: to, featureColumns: artifact.featureNames, labelColumn: label,
                skipBadRows: skipBadRows))
        TrainCommand.reportSkipped(dataset.skippedRows, console: console)
        if let earliest = dataset.days.min(), earliest > knownStart {
            // The known-frauds rule needs every day from its start; say so rather than undercount.
            let start = knownFrom == nil ? "the model's first training day" : "--known-from"
            console.printError(
                "warning: the data starts on \(earliest), after \(start) \(knownStart); frauds "
                    + "before \(earliest) cannot count as known, so fewer test rows may be dropped than the protocol "
                    + "asks")
        }
        let selection = try TestSelection(dataset: dataset, settings: settings)
        let scores = try artifact.learner.scores(dataset: dataset, rows: selection.rows)
        let report = try Evaluation.evaluate(
            dataset: dataset, selection: selection, scores: scores, threshold: artifact.threshold, settings: settings)

        if json {
            console.print(try jsonText(report: report, file: file))
        } else {
            for line in text(report: report, file: file) { console.print(line) }
        }
        return ExitCode.success
    }

    /// The human-readable report.
    static func text(report: EvaluationReport, file: ModelFile) -> [String] {
        let s = report.settings
        let c = report.confusion
        var lines = [
            "model              \(file.modelVersion) (\(file.artifact.learner.kind)), trained "
                + "\(file.artifact.training.firstDay ?? "?") .. \(file.artifact.training.lastDay ?? "?")",
            "test window        \(s.testFrom) .. \(s.testTo), delay \(s.delayDays) days",
            "rows               \(report.rows) (\(report.frauds) frauds); \(report.droppedKnownCompromisedRows) of "
                + "\(report.testWindowRows) dropped as known compromised cards (frauds \(s.trainingStart) .. t-"
                + "\(s.delayDays + 1))",
            "ROC AUC            \(Formatting.fixed(report.rocAUC))",
            "average precision  \(Formatting.fixed(report.averagePrecision))",
            "CP@\(s.topK)             \(Formatting.fixed(report.cardPrecision.mean))  "
                + "(\(report.cardPrecision.cardOrder.tieRule))",
        ]
        for day in report.cardPrecision.days {
            lines.append(
                "  \(day.day)       \(Formatting.fixed(day.precision, 2))  (\(day.detectedCards) of "
                    + "\(day.compromisedCards) compromised cards among \(day.cards))")
        }
        lines += [
            "threshold          \(Formatting.fixed(report.threshold, 4)): precision \(Formatting.fixed(c.precision)), "
                + "recall \(Formatting.fixed(c.recall)), F1 \(Formatting.fixed(c.f1))",
            "confusion matrix   flagged  not flagged",
            "  fraud            \(pad(c.truePositives))  \(pad(c.falseNegatives))",
            "  genuine          \(pad(c.falsePositives))  \(pad(c.trueNegatives))",
        ]
        return lines
    }

    /// The `--json` object.
    static func jsonText(report: EvaluationReport, file: ModelFile) throws -> String {
        let output = JSONReport(report: report, file: file)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    private static func pad(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, 7 - text.count)) + text
    }

    /// The shape of `--json` output (snake_case keys, sorted).
    private struct JSONReport: Encodable {
        struct Day: Encodable {
            var day: String
            var precision: Double
            var cards: Int
            var compromisedCards: Int
            var detectedCards: Int
            enum CodingKeys: String, CodingKey {
                case day, precision, cards
                case compromisedCards = "compromised_cards"
                case detectedCards = "detected_cards"
            }
        }
        struct Confusion: Encodable {
            var truePositives: Int
            var falsePositives: Int
            var trueNegatives: Int
            var falseNegatives: Int
            enum CodingKeys: String, CodingKey {
                case truePositives = "true_positives"
                case falsePositives = "false_positives"
                case trueNegatives = "true_negatives"
                case falseNegatives = "false_negatives"
            }
        }
        var modelVersion: String
        var algorithm: String
        var trainingStart: String?
        var knownFrom: String
        var testFrom: String
        var testTo: String
        var delayDays: Int
        var rows: Int
        var frauds: Int
        var testWindowRows: Int
        var droppedKnownCompromisedRows: Int
        var averagePrecision: Double
        var rocAUC: Double
        var cardPrecisionAt100: Double
        var cardPrecisionPerDay: [Day]
        var tieRule: String
        var threshold: Double
        var precision: Double
        var recall: Double
        var f1: Double
        var confusionMatrix: Confusion

        enum CodingKeys: String, CodingKey {
            case modelVersion = "model_version"
            case algorithm
            case trainingStart = "training_start"
            case knownFrom = "known_from"
            case testFrom = "test_from"
            case testTo = "test_to"
            case delayDays = "delay_days"
            case rows, frauds
            case testWindowRows = "test_window_rows"
            case droppedKnownCompromisedRows = "dropped_known_compromised_rows"
            case averagePrecision = "average_precision"
            case rocAUC = "roc_auc"
            case cardPrecisionAt100 = "card_precision_at_100"
            case cardPrecisionPerDay = "card_precision_per_day"
            case tieRule = "tie_rule"
            case threshold, precision, recall, f1
            case confusionMatrix = "confusion_matrix"
        }

        init(report: EvaluationReport, file: ModelFile) {
            let c = report.confusion
            modelVersion = file.modelVersion
            algorithm = file.artifact.learner.kind
            trainingStart = file.artifact.training.firstDay
            knownFrom = report.settings.trainingStart.description
            testFrom = report.settings.testFrom.description
            testTo = report.settings.testTo.description
            delayDays = report.settings.delayDays
            rows = report.rows
            frauds = report.frauds
            testWindowRows = report.testWindowRows
            droppedKnownCompromisedRows = report.droppedKnownCompromisedRows
            averagePrecision = report.averagePrecision
            rocAUC = report.rocAUC
            cardPrecisionAt100 = report.cardPrecision.mean
            cardPrecisionPerDay = report.cardPrecision.days.map {
                Day(
                    day: $0.day.description, precision: $0.precision, cards: $0.cards,
                    compromisedCards: $0.compromisedCards, detectedCards: $0.detectedCards)
            }
            tieRule = report.cardPrecision.cardOrder.tieRule
            threshold = report.threshold
            precision = c.precision
            recall = c.recall
            f1 = c.f1
            confusionMatrix = Confusion(
                truePositives: c.truePositives, falsePositives: c.falsePositives, trueNegatives: c.trueNegatives,
                falseNegatives: c.falseNegatives)
        }
    }
}
