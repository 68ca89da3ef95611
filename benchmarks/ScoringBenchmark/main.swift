// Scoring throughput of GBDT models on one core: the compiled forest's paths beside the reference node-array walk.
//
// Usage: scoring-benchmark [--data FILE] [--models 100x6,252x4] [--repeat R]
// Each model (TREESxDEPTH) is trained on the Handbook training week (2018-07-25 .. 07-31) when the data file exists,
// otherwise on a synthetic problem of the same shape (15 inputs); every loaded row (2018-07-01 .. 08-31) is then
// scored on the calling thread by each path, best of R runs:
// - reference walk: `baseScore + Σ RegressionTree.value(of:)` row by row, the semantics the compiled paths keep;
// - one row: `probability(of:)`, as the API scores a single transaction;
// - row-major batches of 100: `probabilities(rowMajor:count:into:)`, as the API scores a ScoreBatch;
// - column-major table: `probabilities(features:rows:)`, as evaluation scores a test window.
// Every path must give the reference walk's scores bit for bit; the benchmark fails otherwise.
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

/// Best wall and CPU seconds of `repeats` runs of `body`, and the scores of the last run.
func measure(repeats: Int, _ body: () -> [Double]) -> (wall: Double, cpu: Double, scores: [Double]) {
    let clock = ContinuousClock()
    var wall = Double.infinity
    var cpu = Double.infinity
    var scores: [Double] = []
    for _ in 0..<repeats {
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        scores = body()
        cpu = min(cpu, threadCPUSeconds() - cpuStart)
        wall = min(wall, seconds(clock.now - start))
    }
    return (wall, cpu, scores)
}

func benchmark(
    trees: Int, depth: Int, repeats: Int, training: (features: [[Double]], labels: [UInt8]), scoring: [[Double]]
) throws {
    var parameters = GradientBoostingParameters(treeCount: trees, maxDepth: depth, maxLeaves: 1 << depth)
    parameters.earlyStoppingRounds = 0
    let (model, _) = try GradientBoostingTrainer(parameters: parameters).fit(
        features: training.features, labels: training.labels)
    let depths = model.trees.map(\.depth)
    print("")
    print("model: \(model.trees.count) trees, depth \(depths.min() ?? 0)...\(depths.max() ?? 0)")

    let width = model.featureCount
    let count = scoring[0].count
    var flat = [Double](repeating: 0, count: count * width)
    for feature in 0..<width {
        for row in 0..<count { flat[row * width + feature] = scoring[feature][row] }
    }
    let paths: [(name: String, run: () -> [Double])] = [
        (
            "reference walk (node arrays, row by row)",
            {
                flat.withUnsafeBufferPointer { flat in
                    (0..<count).map { row in
                        let input = UnsafeBufferPointer(rebasing: flat[(row * width)..<((row + 1) * width)])
                        let raw = model.trees.reduce(model.baseScore) { $0 + $1.value(of: input) }
                        return 1 / (1 + exp(-raw))
                    }
                }
            }
        ),
        (
            "one row: probability(of:)",
            {
                flat.withUnsafeBufferPointer { flat in
                    (0..<count).map { row in
                        model.probability(of: UnsafeBufferPointer(rebasing: flat[(row * width)..<((row + 1) * width)]))
                    }
                }
            }
        ),
        (
            "row-major batches of 100: probabilities(rowMajor:)",
            {
                var scores = [Double](repeating: 0, count: count)
                flat.withUnsafeBufferPointer { flat in
                    scores.withUnsafeMutableBufferPointer { scores in
                        var start = 0
                        while start < count {
                            let batch = min(100, count - start)
                            model.probabilities(
                                rowMajor: UnsafeBufferPointer(
                                    rebasing: flat[(start * width)..<((start + batch) * width)]),
                                count: batch, into: UnsafeMutableBufferPointer(rebasing: scores[start...]))
                            start += batch
                        }
                    }
                }
                return scores
            }
        ),
        (
            "column-major table: probabilities(features:rows:)",
            { model.probabilities(features: scoring, rows: 0..<count) }
        ),
    ]
    print("| path | rows | wall s | rows/s (wall) | CPU s | rows per CPU-second | × reference walk (CPU) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    var reference: (cpu: Double, scores: [Double])?
    for path in paths {
        let (wall, cpu, scores) = measure(repeats: repeats, path.run)
        if let reference {
            guard scores.map(\.bitPattern) == reference.scores.map(\.bitPattern) else {
                throw BenchmarkError("\(path.name): scores differ from the reference walk")
            }
        }
        let ratio = reference.map { $0.cpu / cpu } ?? 1
        if reference == nil { reference = (cpu, scores) }
        print(
            String(
                format: "| %@ | %d | %.4f | %.2f M | %.4f | %.2f M | %.2f |", path.name, count, wall,
                Double(count) / wall / 1e6, cpu, Double(count) / cpu / 1e6, ratio))
    }
    print("every path gives the reference walk's scores bit for bit")
}

func run() throws {
    var data = "../shared/data/handbook-sim-transformed-dev.csv.gz"
    var models = "100x6,252x4"
    var repeats = 3
    var index = 1
    let arguments = CommandLine.arguments
    while index < arguments.count {
        guard index + 1 < arguments.count else { throw BenchmarkError("\(arguments[index]) needs a value") }
        let value = arguments[index + 1]
        switch arguments[index] {
        case "--data": data = value
        case "--models": models = value
        case "--repeat": repeats = Int(value) ?? 0
        default: throw BenchmarkError("unknown argument \(arguments[index])")
        }
        index += 2
    }
    guard repeats > 0 else { throw BenchmarkError("--repeat must be > 0") }
    let shapes = try models.split(separator: ",").map { shape -> (trees: Int, depth: Int) in
        let parts = shape.split(separator: "x")
        guard parts.count == 2, let trees = Int(parts[0]), let depth = Int(parts[1]), trees > 0, depth > 0 else {
            throw BenchmarkError("--models wants TREESxDEPTH[,TREESxDEPTH...], got \(shape)")
        }
        return (trees, depth)
    }

    let training: (features: [[Double]], labels: [UInt8])
    let scoring: [[Double]]
    if FileManager.default.fileExists(atPath: data) {
        let dataset = try DatasetLoader.load(path: data)
        let week = dataset.selecting(rows: try dataset.rowIndices(from: Day("2018-07-25"), to: Day("2018-07-31")))
        training = (week.features, week.labels)
        scoring = dataset.features
        print("data: \(data) (\(dataset.rowCount) rows)")
    } else {
        training = synthetic(rows: 67_240)
        scoring = synthetic(rows: 593_487).features
        print("data: \(data) not found; synthetic rows")
    }
    for shape in shapes {
        try benchmark(trees: shape.trees, depth: shape.depth, repeats: repeats, training: training, scoring: scoring)
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("scoring-benchmark: \(error)\n".utf8))
    exit(1)
}
