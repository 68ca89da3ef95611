// reporter-benchmark: the cost of EventReporter.record(_:) on the scoring path, and delivery throughput.
//
//   swift run -c release reporter-benchmark [--events N] [--rounds R] [--threads T] [--pool P] [--inflight N]
//                                           [--retention-mb N]
//
// Case "down": the monitor address is a closed port, so every batch goes to the disk spool.
// Case "monitor": the real monitor (SentinelMonitor's MonitorService with a durable state directory, in this
// process, behind a TCPServer) ingests every batch; run with 1 request in flight and with --inflight N (default 8).
// Events carry 30 features, as the ULB model does. Per round, `record` timing (wall clock, and the recording threads'
// CPU time, meaningful on a loaded machine) and delivery throughput: events acknowledged by the monitor per second,
// from the first record of the round to the ack of its last event. REPORTER_BENCH_LOG=1 shows the reporter's log.
import Foundation
import Glibc
import SentinelData
import SentinelLog
import SentinelModel
import SentinelMonitor
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelScoring
import SentinelWire
import Synchronization

struct Options {
    var events = 200_000
    var rounds = 5
    var inFlight = 8
    var threads = 1
    /// Distinct events cycled through (small: hot in cache, as a handler's just-built event is; `--pool N` = events
    /// to read every event from memory).
    var pool = 1_024
    /// MiB of acknowledged batches the reporter retains for resends (its default, 64; 0 retains nothing).
    var retentionMegabytes = 64
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        guard let value = arguments.next().flatMap({ Int($0) }), value > 0 || argument == "--retention-mb",
            value >= 0
        else {
            FileHandle.standardError.write(
                Data(
                    ("usage: reporter-benchmark [--events N] [--rounds R] [--threads T] [--pool P] [--inflight N] "
                        + "[--retention-mb N]\n").utf8))
            exit(64)
        }
        switch argument {
        case "--events": options.events = value
        case "--rounds": options.rounds = value
        case "--threads": options.threads = value
        case "--pool": options.pool = value
        case "--inflight": options.inFlight = value
        case "--retention-mb": options.retentionMegabytes = value
        default:
            FileHandle.standardError.write(Data("unknown option \(argument)\n".utf8))
            exit(64)
        }
    }
    return options
}

func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

func template() -> ScoringEvent {
    ScoringEvent(
        transactionId: "tx-000123456", eventTimeMicroseconds: 1_700_000_000_000_000,
        scoredAtMicroseconds: 1_700_000_000_000_100, cardId: "card-4242", terminalId: "term-17", amount: 123.45,
        features: (0..<30).map { Double($0) * 0.37 - 3 }, fraudProbability: 0.0123, decision: .pass,
        modelVersion: modelVersion, serverLatencyNanoseconds: 12_000)
}

/// `count` distinct events (each with its own feature array, as a scoring handler produces them; recording one
/// shared event would measure the contention on that one array's reference count instead).
func makeEvents(_ count: Int) -> [ScoringEvent] {
    let base = template()
    return (0..<count).map { index in
        var event = base
        event.features = base.features.map { $0 + Double(index) }
        return event
    }
}

/// The calling thread's CPU time in nanoseconds (unaffected by other processes on a loaded machine).
func threadCPUNanoseconds() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

/// Records the events, split over `threads` threads at once; returns the wall time and the recording threads'
/// summed CPU time in nanoseconds.
func recordBurst(
    _ reporter: EventReporter, events: [ScoringEvent], count: Int, threads: Int
) -> (wall: Duration, cpu: Int64) {
    let perThread = count / threads
    let cpu = Atomic<Int64>(0)
    let start = ContinuousClock.now
    DispatchQueue.concurrentPerform(iterations: threads) { thread in
        let before = threadCPUNanoseconds()
        for index in (thread * perThread)..<((thread + 1) * perThread) {
            reporter.record(events[index % events.count])
        }
        cpu.add(threadCPUNanoseconds() - before, ordering: .relaxed)
    }
    return (ContinuousClock.now - start, cpu.load(ordering: .relaxed))
}

func nanosecondsPerEvent(_ duration: Duration, _ count: Int) -> Double {
    let (seconds, attoseconds) = duration.components
    return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count)
}

let modelVersion = "bench-model"

/// A logistic model on 30 synthetic features (what the monitor needs to accept events of that version).
func makeArtifact() throws -> ModelArtifact {
    let rows = 2_000
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / Double(1 << 53)
    }
    var columns = [[Double]](repeating: [], count: 30)
    var labels: [UInt8] = []
    for _ in 0..<rows {
        var sum = 0.0
        for column in 0..<30 {
            let value = next() * 10 - 5
            columns[column].append(value)
            sum += value
        }
        labels.append(sum + next() * 6 > 8 ? 1 : 0)
    }
    let start = Day("2018-07-01")!
    let days = (0..<rows).map { Day(daysSinceEpoch: start.daysSinceEpoch + Int32($0 % 10)) }
    let dataset = Dataset(
        schema: .custom, featureNames: (0..<30).map { "f\($0)" }, features: columns, labels: labels,
        cardIDs: (0..<rows).map { String($0 % 97) }, eventTimes: days.map { Int64($0.daysSinceEpoch) * 86_400 },
        days: days, rowCount: rows)
    return try ModelTrainer.train(
        dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())))
}

enum Target {
    case down
    case monitor(inFlight: Int)
}

func run(case name: String, target: Target, artifact: ModelArtifact, options: Options) async throws {
    let directory = NSTemporaryDirectory() + "reporter-benchmark-" + UUID().uuidString
    let stateDirectory = directory + "-monitor"
    defer {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }
    let port = freePort()
    var server: TCPServer?
    var serverTask: Task<Void, any Error>?
    var service: MonitorService?
    var configuration = EventReporter.Configuration(
        monitor: SocketAddress(host: "127.0.0.1", port: port), spoolDirectory: directory)
    configuration.producerId = "bench"
    configuration.shutdownTimeout = .seconds(30)
    switch target {
    case .down:
        configuration.spoolCapacityBytes = 4 << 30
    case .monitor(let inFlight):
        let monitor = try MonitorService.open(
            settings: MonitorSettings(), stateDirectory: stateDirectory, logger: JSONLog { _ in })
        var router = Router()
        monitor.register(on: &router)
        let receiver = try TCPServer(host: "127.0.0.1", port: port, router: router, loopCount: 1)
        server = receiver
        service = monitor
        serverTask = Task { try await receiver.run() }
        configuration.maximumInFlight = inFlight
    }
    // Room for a whole round in memory: the benchmark measures delivery, not the overflow to disk.
    configuration.queueCapacity = max(options.events, 1 << 18)
    configuration.queueCapacityBytes = max(options.events * 400, 32 << 20)
    configuration.pendingCapacityBytes = max(options.events * 400, 64 << 20)
    configuration.retentionBytes = options.retentionMegabytes << 20
    let showLog = ProcessInfo.processInfo.environment["REPORTER_BENCH_LOG"] != nil
    let log = JSONLog { line in
        if showLog { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
    let reporter = try EventReporter(configuration: configuration, log: log)
    reporter.registerModel(version: modelVersion, artifact: artifact)
    let reporterTask = Task { await reporter.run() }

    var samples: [Double] = []
    var cpuSamples: [Double] = []
    var rates: [Double] = []
    let events = makeEvents(min(options.pool, options.events))
    var round = 0
    for _ in 0..<options.rounds {
        let start = ContinuousClock.now
        let elapsed = recordBurst(reporter, events: events, count: options.events, threads: options.threads)
        samples.append(nanosecondsPerEvent(elapsed.wall, options.events))
        cpuSamples.append(Double(elapsed.cpu) / Double(options.events))

        // Wait until the round is delivered (acknowledged, or spooled when the monitor is down).
        round += 1
        while true {
            let stats = reporter.statistics
            let settled: UInt64
            if case .down = target { settled = stats.spooled } else { settled = stats.acknowledged }
            if settled + stats.dropped >= UInt64(round * options.events) { break }
            try await Task.sleep(for: .microseconds(500))
        }
        let seconds = nanosecondsPerEvent(ContinuousClock.now - start, 1) / 1e9
        rates.append(Double(options.events) / seconds)
    }
    let recorded = options.events * options.rounds
    reporter.beginGracefulShutdown()
    await reporterTask.value
    server?.beginGracefulShutdown()
    try await serverTask?.value
    let monitorEvents = service?.currentState.producers["bench"]?.events
    await service?.close()
    let stats = reporter.statistics
    samples.sort()
    cpuSamples.sort()
    rates.sort()
    func format(_ value: Double) -> String { String(format: "%.1f", value) }
    print(
        "\(name): record() wall \(format(samples[samples.count / 2])) ns/event median "
            + "(min \(format(samples[0])), max \(format(samples.last!))); thread CPU "
            + "\(format(cpuSamples[cpuSamples.count / 2])) ns/event median (min \(format(cpuSamples[0]))) over "
            + "\(options.rounds) rounds of \(options.events) events, \(options.threads) thread(s), pool \(events.count)"
    )
    let verb: String
    if case .down = target { verb = "spooled" } else { verb = "acknowledged by the monitor" }
    print(
        "  delivery: \(String(format: "%.0f", rates[rates.count / 2])) events/s \(verb), median of rounds "
            + "(min \(String(format: "%.0f", rates[0])), max \(String(format: "%.0f", rates.last!)))")
    print(
        "  recorded \(recorded), sent \(stats.sent), acknowledged \(stats.acknowledged), spooled \(stats.spooled), "
            + "dropped \(stats.dropped), spool bytes at end \(stats.spoolBytes), retained bytes at end "
            + "\(stats.retainedBytes)"
            + (monitorEvents.map { ", monitor counted \($0)" } ?? ""))
}

let options = parseOptions()
let artifact = try makeArtifact()
try await run(case: "monitor down (spooling)", target: .down, artifact: artifact, options: options)
try await run(
    case: "real monitor, 1 request in flight", target: .monitor(inFlight: 1), artifact: artifact, options: options)
if options.inFlight != 1 {
    try await run(
        case: "real monitor, \(options.inFlight) requests in flight", target: .monitor(inFlight: options.inFlight),
        artifact: artifact, options: options)
}
