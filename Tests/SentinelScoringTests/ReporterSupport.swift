import Foundation
import Glibc
import SentinelData
import SentinelLock
import SentinelLog
import SentinelModel
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization

@testable import SentinelScoring

/// A minimal monitor for the reporter tests: records every IngestEvents batch and RegisterModel request, in
/// arrival order, and acknowledges each batch through its last sequence number.
final class TestReceiver: Sendable {
    struct State {
        /// Every batch received (resends included), as its events' sequence numbers.
        var batches: [[UInt64]] = []
        /// Every event received, resends included, by sequence: its transaction id.
        var transactions: [UInt64: String] = [:]
        /// Distinct sequence numbers, in first-arrival order.
        var firstArrivals: [UInt64] = []
        /// Model versions registered, in order, and the index of the batch that followed each.
        var registrations: [(version: String, beforeBatch: Int)] = []
        /// `dropped_total` of the last batch.
        var lastDroppedTotal: UInt64 = 0
        /// Producer ids seen.
        var producers: Set<String> = []
        /// Inconsistencies: a resent sequence with different content, or a batch out of order.
        var problems: [String] = []
        /// Sequence numbers the receiver holds now (a restore to an older copy forgets some).
        var held: Set<UInt64> = []
        /// Whether acknowledgements list the missing ranges below the highest number held, as the monitor does.
        var reportsGaps = false
    }

    let state = Lock(State())

    var router: Router {
        var router = Router()
        router.registerRaw(.monitorIngestEvents) { [self] _, request, response in
            let batch = try EventBatch(serializedBytes: request)
            state.withLock { state in
                let sequences = batch.events.map(\.sequence)
                if zip(sequences, sequences.dropFirst()).contains(where: { $0 >= $1 }) {
                    state.problems.append("batch not strictly increasing: \(sequences)")
                }
                state.batches.append(sequences)
                state.producers.insert(batch.producerId)
                state.lastDroppedTotal = batch.droppedTotal
                for event in batch.events {
                    if let known = state.transactions[event.sequence] {
                        if known != event.transactionId {
                            state.problems.append("sequence \(event.sequence) resent with other content")
                        }
                    } else {
                        state.transactions[event.sequence] = event.transactionId
                        state.firstArrivals.append(event.sequence)
                    }
                    state.held.insert(event.sequence)
                }
            }
            let gaps = state.withLock { $0.reportsGaps ? Self.gaps(in: $0.held) : [] }
            IngestAck(
                acknowledgedThrough: batch.events.last?.sequence ?? 0, accepted: UInt64(batch.events.count), gaps: gaps
            )
            .serialize(into: &response)
        }
        router.registerRaw(.monitorRegisterModel) { [self] _, request, response in
            let registration = try RegisterModelRequest(serializedBytes: request)
            state.withLock { $0.registrations.append((registration.modelVersion, $0.batches.count)) }
            RegisterModelResponse(newlyRegistered: true, message: "registered").serialize(into: &response)
        }
        return router
    }

    /// The missing ranges below the highest number in `held`.
    static func gaps(in held: Set<UInt64>) -> [SequenceRange] {
        var result: [SequenceRange] = []
        var next: UInt64 = 1
        for sequence in held.sorted() {
            if sequence > next { result.append(SequenceRange(first: next, last: sequence - 1)) }
            next = sequence + 1
        }
        return result
    }

    /// Forgets every number above `sequence`, as a monitor restored from a copy taken when it held 1...sequence.
    func restore(through sequence: UInt64) {
        state.withLock { $0.held = $0.held.filter { $0 <= sequence } }
    }

    var heldCount: Int { state.withLock { $0.held.count } }
    var distinctCount: Int { state.withLock { $0.transactions.count } }
    var firstArrivals: [UInt64] { state.withLock { $0.firstArrivals } }
    var problems: [String] { state.withLock { $0.problems } }
}

/// A monitor in process, without sockets: each call the reporter starts runs the router's synchronous handlers at
/// once, on the reporter's loop, so requests are handled in the order they are started. While `reachable` is false
/// every call fails with UNAVAILABLE, as when the monitor is down.
final class InProcessTransport: MonitorTransport {
    let router: Router
    let reachable = Atomic(true)

    init(router: Router) {
        self.router = router
    }

    func startCall(
        _ method: MethodID, payload: [UInt8], timeout: Duration?, completion: @escaping ClientConnection.Completion
    ) {
        completion(handle(method, payload: payload, timeout: timeout))
    }

    func call(_ method: MethodID, payload: [UInt8], timeout: Duration?) async throws(RPCError) -> [UInt8] {
        try handle(method, payload: payload, timeout: timeout).get()
    }

    func close() {}

    private func handle(_ method: MethodID, payload: [UInt8], timeout: Duration?) -> Result<[UInt8], RPCError> {
        guard reachable.load(ordering: .relaxed) else { return .failure(RPCError(.unavailable, "monitor down")) }
        let context = RequestContext(requestID: 1, method: method, deadline: timeout.map { .now + $0 })
        var response: [UInt8] = []
        do {
            try payload.withUnsafeBytes { try router.handleSynchronously(context, $0, into: &response) }
            return .success(response)
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(RPCError(.internal, "\(error)"))
        }
    }
}

extension EventReporter {
    /// A reporter that delivers to `transport` instead of a TCP client (the configuration's monitor address is
    /// never used).
    static func inProcess(
        configuration: Configuration, log: JSONLog = JSONLog { _ in }, transport: InProcessTransport
    ) throws -> EventReporter {
        try EventReporter(configuration: configuration, log: log) { _ in transport }
    }
}

/// A running receiver on a fixed port.
struct RunningReceiver {
    let server: TCPServer
    let task: Task<Void, any Error>

    static func start(_ receiver: TestReceiver, port: UInt16) throws -> RunningReceiver {
        var configuration = ServerConfiguration()
        configuration.shutdownGracePeriod = .seconds(1)  // the reporter's idle connection need not hold a stop up
        let server = try TCPServer(
            host: "127.0.0.1", port: port, router: receiver.router, configuration: configuration, loopCount: 1)
        return RunningReceiver(server: server, task: Task { try await server.run() })
    }

    func stop() async throws {
        server.beginGracefulShutdown()
        try await task.value
    }
}

/// A running reporter.
struct RunningReporter {
    let reporter: EventReporter
    let task: Task<Void, Never>

    static func start(_ reporter: EventReporter) -> RunningReporter {
        RunningReporter(reporter: reporter, task: Task { await reporter.run() })
    }

    func stop() async {
        reporter.beginGracefulShutdown()
        await task.value
    }
}

enum ReporterFixtures {
    /// A port nothing listens on (bound and released; the kernel does not hand it out again at once).
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SystemError(errno: errno, function: "bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "sentinel-reporter-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Test settings: short delays so the tests finish quickly; no timing is asserted.
    static func configuration(port: UInt16, directory: String) -> EventReporter.Configuration {
        var configuration = EventReporter.Configuration(
            monitor: SocketAddress(host: "127.0.0.1", port: port), spoolDirectory: directory)
        configuration.batchSize = 100
        configuration.maximumBatchDelay = .milliseconds(10)
        configuration.retryDelay = .milliseconds(20)
        configuration.maximumRetryDelay = .milliseconds(200)
        configuration.callTimeout = .seconds(2)
        configuration.shutdownTimeout = .seconds(5)
        configuration.pendingCapacityBytes = 64_000  // about 1,000 test events
        configuration.producerId = "test-producer"
        return configuration
    }

    /// An event with a transaction id derived from `index`.
    static func event(_ index: Int, modelVersion: String = "m1", featureCount: Int = 3) -> ScoringEvent {
        ScoringEvent(
            transactionId: "tx-\(index)", eventTimeMicroseconds: Int64(index), scoredAtMicroseconds: Int64(index),
            cardId: "card-\(index % 97)", terminalId: "t", amount: Double(index % 500),
            features: Array([Double(index), 1.5, -2.25].prefix(featureCount)), fraudProbability: 0.125,
            decision: index % 10 == 0 ? .flag : .pass,
            modelVersion: modelVersion, serverLatencyNanoseconds: 1_000)
    }

    /// The segment files of a spool directory, sorted.
    static func segments(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("segment-") && $0.hasSuffix(".spool") }.sorted().map { directory + "/" + $0 }
    }

    /// A small logistic-regression artifact (3 inputs), trained on a fixed synthetic dataset.
    static func artifact() throws -> ModelArtifact {
        var a: [Double] = []
        var b: [Double] = []
        var labels: [UInt8] = []
        var cards: [String] = []
        var times: [Int64] = []
        var days: [Day] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        let start = Day("2018-07-01")!
        for day in 0..<10 {
            for i in 0..<60 {
                let x = next() * 10
                let y = next() * 4 - 2
                a.append(x)
                b.append(y)
                labels.append(x + 3 * y + 4 * next() > 11 ? 1 : 0)
                cards.append(String((day * 13 + i * 7) % 97))
                let dayValue = Day(daysSinceEpoch: start.daysSinceEpoch + Int32(day))
                days.append(dayValue)
                times.append(Int64(dayValue.daysSinceEpoch) * 86_400 + Int64(i * 1_000))
            }
        }
        let dataset = Dataset(
            schema: .custom, featureNames: ["a", "b"], features: [a, b], labels: labels, cardIDs: cards,
            eventTimes: times, days: days, rowCount: labels.count)
        return try ModelTrainer.train(
            dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())))
    }
}

/// Waits until `condition` holds, checking every 5 ms, for at most `timeout` (a bound against hangs, not a
/// timing assertion). Returns whether it held.
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// Collects log lines.
final class LogLines: Sendable {
    private let lines = Lock<[String]>([])
    var sink: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
    func containing(_ text: String) -> [String] { all.filter { $0.contains(text) } }
}
