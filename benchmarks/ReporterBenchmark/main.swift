// reporter-benchmark: the cost of EventReporter.record(_:) on the scoring path, and delivery throughput.
//
//   swift run -c release reporter-benchmark [--events N] [--rounds R] [--threads T]
//
// Case "down": the monitor address is a closed port, so every batch goes to the disk spool (the brief's case).
// Case "up": an in-process receiver (TCPServer answering IngestEvents) acknowledges every batch.
// Events carry 30 features, as the ULB model does. Timing covers `record` calls only: wall clock, and the recording
// threads' CPU time (meaningful on a loaded machine). REPORTER_BENCH_LOG=1 shows the reporter's log on stderr.
import Foundation
import Glibc
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelScoring
import SentinelWire
import Synchronization

struct Options {
    var events = 1_000_000
    var rounds = 5
    var threads = 1
    /// Distinct events cycled through (small: hot in cache, as a handler's just-built event is; `--pool N` = events
    /// to read every event from memory).
    var pool = 1_024
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        guard let value = arguments.next().flatMap({ Int($0) }), value > 0 else {
            FileHandle.standardError.write(
                Data("usage: reporter-benchmark [--events N] [--rounds R] [--threads T] [--pool P]\n".utf8))
            exit(64)
        }
        switch argument {
        case "--events": options.events = value
        case "--rounds": options.rounds = value
        case "--threads": options.threads = value
        case "--pool": options.pool = value
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
        modelVersion: "c6f32f5a31ac", serverLatencyNanoseconds: 12_000)
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

func run(case name: String, receiverUp: Bool, options: Options) async throws {
    let directory = NSTemporaryDirectory() + "reporter-benchmark-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let port = freePort()
    var server: TCPServer?
    var serverTask: Task<Void, any Error>?
    let acknowledged = Atomic<Int>(0)
    if receiverUp {
        var router = Router()
        router.register(.monitorIngestEvents) { _, request, response in
            let batch = try EventBatch(serializedBytes: request)
            acknowledged.add(batch.events.count, ordering: .relaxed)
            IngestAck(acknowledgedThrough: batch.events.last?.sequence ?? 0, accepted: UInt64(batch.events.count))
                .serialize(into: &response)
        }
        let receiver = try TCPServer(host: "127.0.0.1", port: port, router: router, loopCount: 1)
        server = receiver
        serverTask = Task { try await receiver.run() }
    }
    var configuration = EventReporter.Configuration(
        monitor: SocketAddress(host: "127.0.0.1", port: port), spoolDirectory: directory)
    configuration.producerId = "bench"
    configuration.queueCapacity = 1 << 20
    configuration.spoolCapacityBytes = 4 << 30
    configuration.shutdownTimeout = .seconds(30)
    let showLog = ProcessInfo.processInfo.environment["REPORTER_BENCH_LOG"] != nil
    let reporter = try EventReporter(configuration: configuration) { line in
        if showLog { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
    let reporterTask = Task { await reporter.run() }

    var samples: [Double] = []
    var cpuSamples: [Double] = []
    let total = ContinuousClock.now
    let events = makeEvents(min(options.pool, options.events))
    var round = 0
    for _ in 0..<options.rounds {
        let elapsed = recordBurst(reporter, events: events, count: options.events, threads: options.threads)
        samples.append(nanosecondsPerEvent(elapsed.wall, options.events))
        cpuSamples.append(Double(elapsed.cpu) / Double(options.events))

        // Let the reporter catch up (everything spooled, or acknowledged) before the next round (not timed).
        round += 1
        while true {
            let stats = reporter.statistics
            let settled = receiverUp ? stats.acknowledged : stats.spooled
            if settled + stats.dropped >= UInt64(round * options.events) { break }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
    let recorded = options.events * options.rounds
    if receiverUp {
        while acknowledged.load(ordering: .relaxed) < recorded && reporter.statistics.dropped == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
    let deliveryTime = ContinuousClock.now - total
    reporter.shutdown()
    await reporterTask.value
    server?.beginGracefulShutdown()
    try await serverTask?.value
    let stats = reporter.statistics
    samples.sort()
    cpuSamples.sort()
    func format(_ value: Double) -> String { String(format: "%.1f", value) }
    print(
        "\(name): record() wall \(format(samples[samples.count / 2])) ns/event median "
            + "(min \(format(samples[0])), max \(format(samples.last!))); thread CPU "
            + "\(format(cpuSamples[cpuSamples.count / 2])) ns/event median (min \(format(cpuSamples[0]))) over "
            + "\(options.rounds) rounds of \(options.events) events, \(options.threads) thread(s), pool \(events.count)"
    )
    print(
        "  recorded \(recorded), sent \(stats.sent), acknowledged \(stats.acknowledged), spooled \(stats.spooled), "
            + "dropped \(stats.dropped), spool bytes at end \(stats.spoolBytes)")
    if receiverUp {
        let seconds = nanosecondsPerEvent(deliveryTime, 1) / 1e9
        print("  end to end: \(String(format: "%.0f", Double(recorded) / seconds)) events/s acknowledged")
    }
}

let options = parseOptions()
try await run(case: "monitor down (spooling)", receiverUp: false, options: options)
try await run(case: "monitor up (in-process receiver)", receiverUp: true, options: options)
