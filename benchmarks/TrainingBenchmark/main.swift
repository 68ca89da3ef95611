// Training benchmark: Sentinel's GBDT on the Handbook data, the Chapter 3 week and all of July, timed and scored
// with the Swift evaluator on the test week 2018-08-08 .. 08-14 (known compromised cards removed).
//
// Usage: training-benchmark [--data FILE] [--trees N] [--depth D] [--threads T] [--tsv FILE]
// Run through benchmarks/training.sh, which also times LightGBM and XGBoost on the same rows.
import Foundation
import SentinelData
import SentinelModel

struct Options {
    var data = "../shared/data/handbook-sim-transformed-dev.csv.gz"
    var trees = 300
    var depth = 6
    var threads = 2
    var tsv: String?

    init(arguments: [String]) throws {
        var index = 1
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchmarkError("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number(_ text: String) throws -> Int {
            guard let n = Int(text), n > 0 else { throw BenchmarkError("not a positive integer: \(text)") }
            return n
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--data": data = try value()
            case "--trees": trees = try number(value())
            case "--depth": depth = try number(value())
            case "--threads": threads = try number(value())
            case "--tsv": tsv = try value()
            default: throw BenchmarkError("unknown argument \(arguments[index])")
            }
            index += 1
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// CPU time of the whole process (all threads): on a loaded machine it says what training costs, wall time what it got.
func processCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func run() throws {
    let options = try Options(arguments: CommandLine.arguments)
    let clock = ContinuousClock()
    let loadStart = clock.now
    let data = try DatasetLoader.load(
        path: options.data, options: LoadOptions(from: Day("2018-07-01"), to: Day("2018-08-14")))
    print(String(format: "loaded %d rows in %.2f s", data.rowCount, seconds(clock.now - loadStart)))
    var lines: [String] = []
    let scenarios = [("week", "2018-07-25"), ("july", "2018-07-01")]
    for (name, first) in scenarios {
        let trainingRows = try data.rowIndices(from: Day(first), to: Day("2018-07-31"))
        let training = data.selecting(rows: trainingRows)
        var parameters = GradientBoostingParameters()
        parameters.treeCount = options.trees
        parameters.maxDepth = options.depth
        parameters.maxLeaves = 1 << options.depth
        parameters.threadCount = options.threads
        parameters.earlyStoppingRounds = 0
        let start = clock.now
        let cpuStart = processCPUSeconds()
        let (model, report) = try GradientBoostingTrainer(parameters: parameters).fit(
            features: training.features, labels: training.labels)
        let elapsed = seconds(clock.now - start)
        let cpu = processCPUSeconds() - cpuStart
        let settings = try EvaluationSettings(
            trainingStart: Day(first)!, testFrom: Day("2018-08-08")!, testTo: Day("2018-08-14")!, delayDays: 7)
        let selection = try TestSelection(dataset: data, settings: settings)
        let columns = data.features.map { column in selection.rows.map { column[$0] } }
        let scores = model.probabilities(features: columns, rows: 0..<selection.rows.count)
        let evaluation = try Evaluation.evaluate(
            dataset: data, selection: selection, scores: scores, threshold: 0.5, settings: settings)
        let line = [
            "sentinel-gbdt", name, String(training.rowCount), String(format: "%.3f", elapsed),
            String(format: "%.3f", cpu),
            String(format: "%.4f", evaluation.averagePrecision), String(format: "%.4f", evaluation.cardPrecision.mean),
            String(evaluation.rows), String(evaluation.frauds),
        ].joined(separator: "\t")
        lines.append(line)
        print(
            String(
                format:
                    "%@: %d rows, %d trees depth %d, %.2f s, CPU %.2f s (binning %.2f s); test %d rows %d frauds: AP %.4f, "
                    + "ROC AUC %.4f, CP@100 %.4f",
                name, training.rowCount, model.trees.count, options.depth, elapsed, cpu, report.binningSeconds,
                evaluation.rows, evaluation.frauds, evaluation.averagePrecision, evaluation.rocAUC,
                evaluation.cardPrecision.mean))
    }
    if let tsv = options.tsv {
        try (lines.joined(separator: "\n") + "\n").write(toFile: tsv, atomically: true, encoding: .utf8)
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("training-benchmark: \(error)\n".utf8))
    exit(1)
}
