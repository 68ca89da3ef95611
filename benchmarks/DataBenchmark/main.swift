// Loading benchmark for SentinelData: times DatasetLoader on the shared data files (or files given as arguments).
// Run: swift run -c release --scratch-path .build-data data-benchmark [FILE...]
import Foundation
import SentinelData

let sharedDirectory =
    ProcessInfo.processInfo.environment["SENTINEL_SHARED_DIR"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared")
    .standardized.path
let arguments = Array(CommandLine.arguments.dropFirst())
let files =
    arguments.isEmpty
    ? [
        "handbook-sim-transformed-dev.csv.gz", "handbook-sim-raw-dev.csv.gz", "creditcard-time-amount-class-dev.csv.gz",
        "creditcard-dev.csv.gz",
    ].map { "\(sharedDirectory)/data/\($0)" } : arguments
let repetitions = Int(ProcessInfo.processInfo.environment["REPETITIONS"] ?? "3") ?? 3

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

for file in files where file.hasSuffix(".gz") {
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<repetitions {
        let clock = ContinuousClock()
        let start = clock.now
        bytes = 0
        try DataInput.forEachChunk(path: file) { bytes += $0.count }
        times.append(seconds(clock.now - start))
    }
    let best = times.min()!
    print(
        "\((file as NSString).lastPathComponent): gunzip only: \(bytes) bytes out, best \(String(format: "%.3f", best)) s "
            + "= \(String(format: "%.0f", Double(bytes) / best / 1e6)) MB/s")
}

for file in files {
    var times: [Double] = []
    var cpuTimes: [Double] = []
    var dataset: Dataset?
    for _ in 0..<repetitions {
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = processCPUSeconds()
        dataset = try DatasetLoader.load(path: file)
        times.append(seconds(clock.now - start))
        cpuTimes.append(processCPUSeconds() - cpuStart)
    }
    let best = times.min()!
    let median = times.sorted()[times.count / 2]
    let rows = dataset!.rowCount
    let frauds = dataset!.labels.reduce(0) { $0 + Int($1) }
    print(
        "\((file as NSString).lastPathComponent): \(rows) rows, \(frauds) frauds, "
            + "\(dataset!.featureNames.count) features; best \(String(format: "%.3f", best)) s, "
            + "median \(String(format: "%.3f", median)) s over \(repetitions) runs (wall); "
            + "CPU (all threads) best \(String(format: "%.3f", cpuTimes.min()!)) s")
}
