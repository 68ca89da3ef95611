import Foundation
import SentinelLock
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Synchronization
import Testing

/// The fault harness: one monitor with a state directory and two API replicas, real processes on loopback, a
/// stream of ScoreBatch requests, and a fault in the middle of it. Afterwards, from the outside: every transaction
/// a replica answered is counted by the monitor exactly once, or, where a fault can lose events (a replica killed
/// before it handed them on, an acknowledged log record destroyed), the loss is stated exactly.
@Suite(
    "fault harness: faults in the middle of a stream, accounted from the outside", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct FaultHarnessTests {
    /// The monitor and the replicas of one scenario, with their directories.
    final class Cluster: @unchecked Sendable {
        // @unchecked: mutated only by the test's own task, between stream phases.
        let root: URL
        var monitor: RunningService
        var replicas: [RunningService]
        let monitorPort: UInt16
        let snapshotInterval: String
        /// Flags every replica gets besides its monitor and spool.
        let replicaArguments: [String]

        /// Starts the monitor and the replicas, with their directories under `root` (default: a new temporary
        /// directory; a test may mount file systems there first).
        init(
            replicas count: Int = 2, snapshotInterval: String = "1s", root: URL? = nil, replicaArguments: [String] = []
        ) async throws {
            self.root = root ?? FileManager.default.temporaryDirectory.appendingPathComponent("harness-\(UUID())")
            self.snapshotInterval = snapshotInterval
            self.replicaArguments = replicaArguments
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
            monitor = try await RunningService.startMonitor(
                arguments: Self.monitorArguments(self.root, snapshotInterval: snapshotInterval))
            monitorPort = monitor.port
            replicas = []
            for index in 0..<count { replicas.append(try await startReplica(index)) }
        }

        static func monitorArguments(_ root: URL, snapshotInterval: String) -> [String] {
            [
                "--http-port", "0", "--state-dir", root.appendingPathComponent("state").path, "--snapshot-interval",
                snapshotInterval,
            ]
        }

        var stateDirectory: URL { root.appendingPathComponent("state") }

        func startReplica(_ index: Int) async throws -> RunningService {
            try await RunningService.startAPI(
                model: APIModels.firstPath,
                arguments: [
                    "--monitor", "127.0.0.1:\(monitorPort)", "--spool-dir",
                    root.appendingPathComponent("spool-\(index)").path,
                ] + replicaArguments)
        }

        /// Starts the monitor again on its port, on its state directory.
        func restartMonitor() async throws {
            monitor = try await RunningService.start(
                "sentinel-monitor",
                arguments: Self.monitorArguments(root, snapshotInterval: snapshotInterval) + [
                    "--port", "\(monitorPort)",
                ],
                timeout: 20)
        }

        func stop() async {
            for replica in replicas { _ = await replica.terminate() }
            _ = await monitor.terminate()
            try? FileManager.default.removeItem(at: root)
        }

        /// The monitor's accounting once it has settled: every producer's events counted or missing up to the
        /// highest sequence it sent, and `settled(counted, missing)` true (or the deadline passed).
        func accounting(
            within limit: Duration = .seconds(30), until settled: (UInt64, UInt64) -> Bool
        ) async throws -> (counted: UInt64, missing: UInt64, producers: Int) {
            try await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: monitorPort)) { client in
                let deadline = ContinuousClock.now + limit
                var last = (counted: UInt64(0), missing: UInt64(0), producers: 0)
                repeat {
                    if let reply = try? await client.call(
                        .monitorSnapshot, payload: MonitorSnapshotRequest().serializedBytes(), timeout: .seconds(5)),
                        let snapshot = try? MonitorSnapshotResponse(serializedBytes: reply)
                    {
                        last = (
                            snapshot.eventsTotal, snapshot.producers.reduce(0) { $0 + $1.missing },
                            snapshot.producers.count
                        )
                        if settled(last.counted, last.missing) { return last }
                    }
                    try await Task.sleep(for: .milliseconds(100))
                } while ContinuousClock.now < deadline
                return last
            }
        }
    }

    /// Sends ScoreBatch requests of 40 transactions to the replicas in turn until stopped; counts what was
    /// answered OK. A refused or failed request (a replica down or draining) scores nothing and is not counted.
    final class Stream: Sendable {
        let answered = Atomic<UInt64>(0)
        let requests = Atomic<UInt64>(0)
        private let stopped = Atomic<Bool>(false)
        private let nextRow = Atomic<Int>(0)

        func run(_ ports: @escaping @Sendable () -> [UInt16]) -> Task<Void, Never> {
            Task {
                var turn = 0
                while !stopped.load(ordering: .acquiring) {
                    let targets = ports()
                    let port = targets[turn % targets.count]
                    turn += 1
                    let first = nextRow.add(40, ordering: .relaxed).newValue - 40
                    let batch = ScoreBatchRequest(
                        transactions: (first..<(first + 40)).map { row in
                            var transaction = ScoringAPITests.transaction(row: row % 1_000)
                            transaction.id = "harness-\(row)"
                            return transaction
                        })
                    requests.add(1, ordering: .relaxed)
                    let reply = try? await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: port)) {
                        client in
                        try await client.call(
                            .scoringScoreBatch, payload: batch.serializedBytes(), timeout: .seconds(5))
                    }
                    if let reply, let decoded = try? ScoreBatchResponse(serializedBytes: reply) {
                        answered.add(UInt64(decoded.items.count), ordering: .relaxed)
                    }
                }
            }
        }

        func stop() { stopped.store(true, ordering: .releasing) }

        /// Waits until `count` more requests have been sent (the stream is making progress).
        func waitForRequests(_ count: UInt64) async {
            let target = requests.load(ordering: .relaxed) + count
            while requests.load(ordering: .relaxed) < target { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }

    /// Runs a stream over the cluster's replicas around `fault`, then stops it and returns what was answered.
    static func stream(_ cluster: Cluster, around fault: () async throws -> Void) async throws -> UInt64 {
        try await streamCounting(cluster, around: fault).answered
    }

    /// ``stream(_:around:)``, returning also the transactions asked for (40 per request sent); `clients` send
    /// concurrently, one request at a time each.
    static func streamCounting(
        _ cluster: Cluster, clients: Int = 1, around fault: () async throws -> Void
    ) async throws -> (answered: UInt64, asked: UInt64) {
        let stream = Stream()
        let ports = Lock(cluster.replicas.map(\.port))
        let tasks = (0..<clients).map { _ in stream.run { ports.withLock { $0 } } }
        await stream.waitForRequests(20)
        try await fault()
        ports.withLock { $0 = cluster.replicas.map(\.port) }
        await stream.waitForRequests(20)
        stream.stop()
        for task in tasks { await task.value }
        return (stream.answered.load(ordering: .relaxed), stream.requests.load(ordering: .relaxed) * 40)
    }

    @Test("monitor SIGKILL and restart mid-stream: every answered transaction counted once, nothing missing")
    func monitorKilled() async throws {
        let cluster = try await Cluster()
        let answered = try await Self.stream(cluster) {
            cluster.monitor.signal(SIGKILL)
            _ = await cluster.monitor.waitForExit()
            try await cluster.restartMonitor()
        }
        let result = try await cluster.accounting { counted, _ in counted >= answered }
        #expect(result.counted == answered && result.missing == 0, "\(result) for \(answered) answered")
        #expect(result.producers == 2)
        Self.report("monitorKilled", answered: answered, result)
        await cluster.stop()
    }

    @Test("a replica SIGTERMed and restarted on its spool while the monitor is down: nothing lost, nothing twice")
    func replicaRestartedWhileMonitorDown() async throws {
        let cluster = try await Cluster()
        let answered = try await Self.stream(cluster) {
            #expect(await cluster.monitor.terminate() == 0)
            #expect(await cluster.replicas[0].terminate() == 0)
            cluster.replicas[0] = try await cluster.startReplica(0)
            try await cluster.restartMonitor()
        }
        let result = try await cluster.accounting { counted, _ in counted >= answered }
        #expect(result.counted == answered && result.missing == 0, "\(result) for \(answered) answered")
        Self.report("replicaRestartedWhileMonitorDown", answered: answered, result)
        await cluster.stop()
    }

    @Test("a replica SIGKILLed and restarted on its spool: counted + missing covers every event, the gap is the loss")
    func replicaKilled() async throws {
        let cluster = try await Cluster()
        let answered = try await Self.stream(cluster) {
            cluster.replicas[1].signal(SIGKILL)
            _ = await cluster.replicas[1].waitForExit()
            cluster.replicas[1] = try await cluster.startReplica(1)
        }
        let result = try await cluster.accounting { counted, missing in counted + missing >= answered }
        // A killed replica may have scored a batch whose answer it never sent: those events are counted or missing
        // but not answered. What is missing is at most what the replica held in memory, never its leased block.
        #expect(result.counted + result.missing >= answered, "\(result) for \(answered) answered")
        #expect(result.missing < 10_000, "the gap is the events lost, not the sequence lease: \(result)")
        Self.report("replicaKilled", answered: answered, result)
        await cluster.stop()
    }

    @Test(
        "the newest snapshot corrupted while the monitor is down: recovery from an older one and the log, nothing lost")
    func snapshotCorrupted() async throws {
        let cluster = try await Cluster()
        let answered = try await Self.stream(cluster) {
            // Let a snapshot or two be written (--snapshot-interval 1s), then stop the monitor hard and damage the
            // newest one.
            let directory = cluster.stateDirectory.path
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, Self.snapshots(in: directory).isEmpty {
                try await Task.sleep(for: .milliseconds(100))
            }
            cluster.monitor.signal(SIGKILL)
            _ = await cluster.monitor.waitForExit()
            let newest = try #require(Self.snapshots(in: directory).last)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + newest)))
            bytes[bytes.count / 2] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + newest))
            try await cluster.restartMonitor()
            #expect(cluster.monitor.log.contains("\"kind\":\"corrupt_snapshot\""))
        }
        let result = try await cluster.accounting { counted, _ in counted >= answered }
        #expect(result.counted == answered && result.missing == 0, "\(result) for \(answered) answered")
        Self.report("snapshotCorrupted", answered: answered, result)
        await cluster.stop()
    }

    @Test("backup mid-stream, monitor SIGKILLed later and restored from the backup: resent from retention, none lost")
    func restoredFromBackup() async throws {
        try await Self.restoreFromBackup(name: "restoredFromBackup") { _ in }
    }

    /// Streams; takes a backup mid-stream; streams on until the monitor has counted 800 more; runs
    /// `afterBackup`; SIGKILLs the monitor, replaces its state directory with the backup and restarts it. Then the
    /// replicas must resend from their retention what the restored monitor lacks: counted = answered, nothing
    /// missing, nothing stated unrecoverable.
    static func restoreFromBackup(name: String, afterBackup: (Cluster) async throws -> Void) async throws {
        let cluster = try await Cluster()
        let backup = cluster.root.appendingPathComponent("backup").path
        let answered = try await Self.stream(cluster) {
            let atBackup = try await cluster.accounting(within: .seconds(10)) { counted, _ in counted >= 400 }
            let run = try await BuiltProducts.run(
                "sentinel-monitor", ["backup", "--state-dir", cluster.stateDirectory.path, backup])
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output.contains("monitor running"), "\(run.output)")
            // Events acknowledged after the backup: the restored monitor lacks them, only the replicas have them.
            let later = try await cluster.accounting(within: .seconds(10)) { counted, _ in
                counted >= atBackup.counted + 800
            }
            #expect(later.counted >= atBackup.counted + 800)
            try await afterBackup(cluster)
            cluster.monitor.signal(SIGKILL)
            _ = await cluster.monitor.waitForExit()
            let state = cluster.stateDirectory.path
            try FileManager.default.removeItem(atPath: state)
            try FileManager.default.copyItem(atPath: backup, toPath: state)
            try await cluster.restartMonitor()
        }
        let result = try await cluster.accounting { counted, missing in counted >= answered && missing == 0 }
        #expect(result.counted == answered && result.missing == 0, "\(result) for \(answered) answered")
        let resent = cluster.replicas.filter { $0.log.contains("resending them from the retention") }
        #expect(!resent.isEmpty, "a replica resent what the restored monitor lacked")
        #expect(cluster.replicas.allSatisfy { !$0.log.contains("cannot be resent") })
        Self.report(name, answered: answered, result)
        await cluster.stop()
    }

    @Test("the log's last acknowledged record cut while the monitor is down: the loss is reported, never silent")
    func acknowledgedRecordCut() async throws {
        // No periodic snapshot: the log alone holds the history, so cutting its last record loses acknowledged data.
        let cluster = try await Cluster(snapshotInterval: "1h")
        let answered = try await Self.stream(cluster) {}
        // Everything answered is acknowledged (counted) before the fault.
        let before = try await cluster.accounting { counted, _ in counted >= answered }
        #expect(before.counted == answered)
        cluster.monitor.signal(SIGKILL)
        _ = await cluster.monitor.waitForExit()
        let directory = cluster.stateDirectory.path
        let segment = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory).filter {
                $0.hasPrefix("wal-") && $0.hasSuffix(".log")
            }.sorted().last)
        let path = directory + "/" + segment
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(truncate(path, off_t(size - 5)) == 0)
        try await cluster.restartMonitor()
        #expect(cluster.monitor.log.contains("\"kind\":\"acknowledged_lost\""), "\(cluster.monitor.log)")
        #expect(cluster.monitor.log.contains("\"level\":\"error\",\"msg\":\"state recovery issue\""))
        // The cut batch was acknowledged, so no producer resends it: the count falls short, and the monitor says so.
        let after = try await cluster.accounting(within: .seconds(3)) { _, _ in false }
        #expect(after.counted < answered, "\(after) for \(answered) answered")
        let metrics = try await httpGet(port: cluster.monitor.httpPort, path: "/metrics").body
        #expect(metrics.contains("\nsentinel_monitor_recovery_lost_records 1\n"), "\(metrics)")
        Self.report("acknowledgedRecordCut", answered: answered, after)
        await cluster.stop()
    }

    /// One line per scenario in the test output, for Docs/Reliability.md.
    static func report(
        _ scenario: String, answered: UInt64, _ result: (counted: UInt64, missing: UInt64, producers: Int)
    ) {
        print("fault-harness \(scenario): answered \(answered), counted \(result.counted), missing \(result.missing)")
    }

    static func snapshots(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(".snap") }.sorted()
    }
}
