// Batch scoring throughput of a 100-tree, depth-6 GBDT on one core.
//
// Usage: scoring-benchmark [--data FILE] [--trees N] [--depth D] [--repeat R]
// The model is trained on the Handbook training week (2018-07-25 .. 07-31) when the data file exists, otherwise on
// a synthetic problem of the same shape (15 inputs); every loaded row (2018-07-01 .. 08-31) is then scored
// R times in blocks on the calling thread, and once row by row for comparison.
import Foundation
import SentinelData
import SentinelModel

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// CPU time of the calling thread: on a loaded machine it says what the code costs, wall time what it got.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// A deterministic stand-in for the Handbook data: 15 inputs, about 1 % positives.
func synthetic(rows: Int) -> (features: [[Double]], labels: [UInt8]) {
    var state: UInt64 = 0x1234_5678
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1.0p-53
    }
    var features = [[Double]](repeating: [], count: 15)
    var labels: [UInt8] = []
    for _ in 0..<rows {
        var sum = 0.0
        for feature in 0..<15 {
            let x = next() * 100
            features[feature].append(x)
            sum += feature < 3 ? x : 0
        }
        labels.append(sum > 265 || next() < 0.003 ? 1 : 0)
    }
    return (features, labels)
}

func run() throws {
    var data = "../shared/data/handbook-sim-transformed-dev.csv.gz"
    var trees = 100
    var depth = 6
    var repeats = 5
    var index = 1
    let arguments = CommandLine.arguments
    while index < arguments.count {
        guard index + 1 < arguments.count else { throw BenchmarkError("\(arguments[index]) needs a value") }
        let value = arguments[index + 1]
        switch arguments[index] {
        case "--data": data = value
        case "--trees": trees = Int(value) ?? 0
        case "--depth": depth = Int(value) ?? 0
        case "--repeat": repeats = Int(value) ?? 0
        default: throw BenchmarkError("unknown argument \(arguments[index])")
        }
        index += 2
    }
    guard trees > 0, depth > 0, repeats > 0 else { throw BenchmarkError("--trees, --depth, --repeat must be > 0") }

    let trainingFeatures: [[Double]]
    let trainingLabels: [UInt8]
    let scoringFeatures: [[Double]]
    if FileManager.default.fileExists(atPath: data) {
        let dataset = try DatasetLoader.load(path: data)
        let week = dataset.selecting(rows: try dataset.rowIndices(from: Day("2018-07-25"), to: Day("2018-07-31")))
        (trainingFeatures, trainingLabels) = (week.features, week.labels)
        scoringFeatures = dataset.features
        print("data: \(data) (\(dataset.rowCount) rows)")
    } else {
        (trainingFeatures, trainingLabels) = synthetic(rows: 67_240)
        scoringFeatures = synthetic(rows: 593_487).features
        print("data: \(data) not found; synthetic rows")
    }
    var parameters = GradientBoostingParameters(treeCount: trees, maxDepth: depth, maxLeaves: 1 << depth)
    parameters.earlyStoppingRounds = 0
    let (model, _) = try GradientBoostingTrainer(parameters: parameters).fit(
        features: trainingFeatures, labels: trainingLabels)
    let depths = model.trees.map(\.depth)
    print("model: \(model.trees.count) trees, depth \(depths.min() ?? 0)...\(depths.max() ?? 0)")

    let count = scoringFeatures[0].count
    let clock = ContinuousClock()
    var best = Double.infinity
    var bestCPU = Double.infinity
    var checksum = 0.0
    for _ in 0..<repeats {
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        let scores = model.probabilities(features: scoringFeatures, rows: 0..<count)
        bestCPU = min(bestCPU, threadCPUSeconds() - cpuStart)
        best = min(best, seconds(clock.now - start))
        checksum += scores.reduce(0, +)
    }
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    var row = [Double](repeating: 0, count: model.featureCount)
    var rowChecksum = 0.0
    for index in 0..<count {
        for feature in 0..<model.featureCount { row[feature] = scoringFeatures[feature][index] }
        rowChecksum += row.withUnsafeBufferPointer { model.probability(of: $0) }
    }
    let rowSeconds = seconds(clock.now - start)
    let rowCPU = threadCPUSeconds() - cpuStart
    print("| path | rows | wall s | rows/s (wall) | CPU s | rows per CPU-second |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(
        String(
            format: "| batch (blocks of 64, best of %d) | %d | %.4f | %.2f M | %.4f | %.2f M |", repeats, count, best,
            Double(count) / best / 1e6, bestCPU, Double(count) / bestCPU / 1e6))
    print(
        String(
            format: "| row by row | %d | %.4f | %.2f M | %.4f | %.2f M |", count, rowSeconds,
            Double(count) / rowSeconds / 1e6, rowCPU, Double(count) / rowCPU / 1e6))
    print(String(format: "checksums %.6f %.6f", checksum / Double(repeats), rowChecksum))
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("scoring-benchmark: \(error)\n".utf8))
    exit(1)
}
