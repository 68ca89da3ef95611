// Scores a window of a data file with a model file (an imported one, typically) the way sentinel-api does a batch,
// on one core: writes every row's probability (to compare with the source library's) and the best batch rate.
//
// Usage: import-benchmark --model FILE --data FILE --from DAY --to DAY [--scores OUT.tsv] [--repeat R]
// OUT.tsv: TRANSACTION_ID <tab> probability (shortest round-trip decimal), one line per row of the window.

import Foundation
import SentinelData
import SentinelModel

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// CPU time of the calling thread: on a loaded machine it says what the code costs, wall time what it got.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func run() throws {
    var options: [String: String] = ["--repeat": "5"]
    let arguments = CommandLine.arguments
    var index = 1
    while index < arguments.count {
        guard index + 1 < arguments.count else { throw BenchmarkError("\(arguments[index]) needs a value") }
        guard ["--model", "--data", "--from", "--to", "--scores", "--repeat"].contains(arguments[index]) else {
            throw BenchmarkError("unknown argument \(arguments[index])")
        }
        options[arguments[index]] = arguments[index + 1]
        index += 2
    }
    guard let modelPath = options["--model"], let dataPath = options["--data"],
        let from = options["--from"].flatMap(Day.init), let to = options["--to"].flatMap(Day.init),
        let repeats = options["--repeat"].flatMap(Int.init), repeats > 0
    else {
        throw BenchmarkError("usage: import-benchmark --model FILE --data FILE --from DAY --to DAY [--scores OUT]")
    }
    let artifact = try ModelFile(contentsOf: modelPath).artifact
    let dataset = try DatasetLoader.load(
        path: dataPath, options: LoadOptions(from: from, to: to, featureColumns: artifact.featureNames))
    let count = dataset.rowCount
    let width = artifact.featureNames.count
    // Row-major, as a ScoreBatch request's transactions arrive.
    var rows = [Double](repeating: 0, count: count * width)
    for row in 0..<count {
        for feature in 0..<width {
            rows[row * width + feature] = dataset.features[feature][row]
        }
    }
    var scores = [Double](repeating: 0, count: count)
    var best = Double.infinity
    var bestCPU = Double.infinity
    for _ in 0..<repeats {
        let clock = ContinuousClock.now
        let cpu = threadCPUSeconds()
        rows.withUnsafeBufferPointer { input in
            scores.withUnsafeMutableBufferPointer { out in
                artifact.learner.probabilities(rowMajor: input, count: count, into: out)
            }
        }
        let elapsed = ContinuousClock.now - clock
        best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        bestCPU = min(bestCPU, threadCPUSeconds() - cpu)
    }
    let source = artifact.training.algorithm.source.map { "\($0.format) \($0.sourceFile)" } ?? artifact.learner.kind
    print(
        "sentinel\t\(source)\t\(count) rows\t\(Int(Double(count) / best)) rows/s wall\t"
            + "\(Int(Double(count) / bestCPU)) rows/s cpu")
    if let out = options["--scores"] {
        var text = ""
        for row in 0..<count {
            text += "\(dataset.transactionIDs.isEmpty ? String(row) : dataset.transactionIDs[row])\t\(scores[row])\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: out))
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("import-benchmark: \(error)\n".utf8))
    exit(1)
}
