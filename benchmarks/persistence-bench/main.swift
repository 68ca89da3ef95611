// persistence-bench: appends/s and fsyncs/s of the monitor's write-ahead log (StateStore) for event batches of
// ~1,000 real encoded events, at several concurrency levels; plus snapshot write and recovery (replay) times.
//
//   swift run -c release --scratch-path .build-persist persistence-bench [--dir DIR] [--seconds S]
//       [--concurrency 1,4,16,64] [--events 1000]
//
// The state directory defaults to a fresh one under the system temporary directory (same disk as the build on
// this machine); it is removed at the end.

import Foundation
import SentinelMonitor
import SentinelSchema

struct Settings {
    var directory = FileManager.default.temporaryDirectory.path + "/sentinel-persistence-bench-" + UUID().uuidString
    var seconds = 3.0
    var concurrency = [1, 4, 16, 64]
    var events = 1000
}

func parse() -> Settings {
    var settings = Settings()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard let value = arguments.next() else { fatalError("\(flag) needs a value") }
        switch flag {
        case "--dir": settings.directory = value + "/sentinel-persistence-bench-" + UUID().uuidString
        case "--seconds": settings.seconds = Double(value) ?? settings.seconds
        case "--concurrency": settings.concurrency = value.split(separator: ",").compactMap { Int($0) }
        case "--events": settings.events = Int(value) ?? settings.events
        default: fatalError("unknown flag \(flag)")
        }
    }
    return settings
}

/// One encoded EventBatch of `count` events shaped like the ULB data (30 features).
func makeBatch(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    let events = (0..<count).map { index in
        ScoringEvent(
            sequence: seed * 1_000_000 + UInt64(index) + 1, transactionId: "tx-\(seed)-\(index)",
            eventTimeMicroseconds: 1_700_000_000_000_000 + Int64(index), scoredAtMicroseconds: 1_700_000_000_000_100,
            cardId: "card-\(index % 5000)", terminalId: "term-\(index % 700)", amount: next() * 500,
            features: (0..<30).map { _ in next() * 4 - 2 }, fraudProbability: next(),
            decision: next() < 0.01 ? .flag : .pass, modelVersion: "gbdt-v1",
            serverLatencyNanoseconds: 40_000 + UInt64(next() * 10_000))
    }
    return EventBatch(producerId: "bench", events: events, sentAtMicroseconds: 1_700_000_000_000_200)
        .serializedBytes()
}

func seconds(_ duration: Duration) -> Double {
    let (s, attoseconds) = duration.components
    return Double(s) + Double(attoseconds) / 1e18
}

let settings = parse()
let payload = makeBatch(count: settings.events, seed: 1)
print(
    "persistence-bench: \(settings.events)-event EventBatch = \(payload.count) bytes; state dir \(settings.directory)"
)
defer { try? FileManager.default.removeItem(atPath: settings.directory) }

let clock = ContinuousClock()
for concurrency in settings.concurrency {
    let directory = settings.directory + "/c\(concurrency)"
    let store = try StateStore.open(directory: directory) { _ in
    } replay: { _, _ in
    }
    let deadline = clock.now + .milliseconds(Int(settings.seconds * 1000))
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var latencies: [Double] = []
                while clock.now < deadline {
                    let begin = clock.now
                    try await store.append([LogRecord(type: 1, payload: payload)])
                    latencies.append(seconds(clock.now - begin))
                }
                return latencies
            }
        }
        var all: [Double] = []
        for try await part in group { all += part }
        return all.sorted()
    }
    let elapsed = seconds(clock.now - start)
    let stats = store.statistics
    await store.close()
    let appends = Double(stats.appends)
    let line = String(
        format:
            "concurrency %3d: %7.1f appends/s = %9.0f events/s, %6.1f fdatasync/s (%5.2f appends per sync), "
            + "%6.1f MB/s, append latency p50 %6.2f ms p99 %6.2f ms",
        concurrency, appends / elapsed, appends * Double(settings.events) / elapsed, Double(stats.syncs) / elapsed,
        appends / max(1, Double(stats.syncs)), Double(stats.logBytesWritten) / elapsed / 1e6,
        latencies[latencies.count / 2] * 1e3, latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1e3)
    print(line)
}

// Recovery: replay the log the last run wrote.
if let last = settings.concurrency.last {
    let directory = settings.directory + "/c\(last)"
    var records = 0
    var bytes = 0
    let begin = clock.now
    let store = try StateStore.open(directory: directory) { _ in
    } replay: { record, _ in
        records += 1
        bytes += record.payload.count
    }
    let elapsed = seconds(clock.now - begin)
    print(
        String(
            format: "recovery: %d records, %.1f MB replayed in %.3f s (%.0f MB/s)", records, Double(bytes) / 1e6,
            elapsed, Double(bytes) / 1e6 / elapsed))
    // Snapshot: an 8 MiB state (about the size of 24 h of window history).
    let snapshot = [UInt8](repeating: 0x5A, count: 8 << 20)
    let snapshotBegin = clock.now
    try await store.writeSnapshot(snapshot, covering: store.enqueuedPosition)
    print(
        String(
            format: "snapshot: 8 MiB written, synced and renamed in %.1f ms", seconds(clock.now - snapshotBegin) * 1e3))
    await store.close()
}
