import Foundation
import Glibc
import SentinelPosix
import SentinelTestSupport
import Testing

/// A small tmpfs mounted for one test: a disk that fills up, and that can be given more room.
final class SmallDisk: Sendable {
    let path: String

    /// Whether this process may mount file systems (root with CAP_SYS_ADMIN, not in every container or CI runner).
    static let permitted: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("disk-probe-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil,
            mount("tmpfs", probe, "tmpfs", 0, "size=64k") == 0
        else { return false }
        umount2(probe, 0)
        return true
    }()

    /// Mounts a tmpfs of `kilobytes` at `path` (created if missing).
    init(at path: String, kilobytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(kilobytes)k") == 0 else {
            throw SystemError(errno: errno, function: "mount")
        }
        self.path = path
    }

    /// Gives the file system `kilobytes` in all (its files stay).
    func resize(kilobytes: Int) throws {
        guard mount("tmpfs", path, "tmpfs", UInt(MS_REMOUNT), "size=\(kilobytes)k") == 0 else {
            throw SystemError(errno: errno, function: "mount (remount)")
        }
    }

    /// Fills every free byte with one file.
    func fill() {
        let fd = open(path + "/filler", O_WRONLY | O_CREAT, 0o644)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 4096)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    func unmount() {
        umount2(path, Int32(MNT_DETACH))
    }
}

/// A full disk under the reporter's spool and under the monitor's state directory, on the real processes: scoring
/// never fails, and nothing answered is lost without being counted and reported. Needs permission to mount a tmpfs
/// (root); skipped elsewhere.
@Suite(
    "disk full under the spool and the state directory", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"),
    .enabled(if: SmallDisk.permitted, "mounting a small tmpfs needs root with CAP_SYS_ADMIN"))
struct DiskFullTests {
    typealias Cluster = FaultHarnessTests.Cluster

    /// Waits until the service's log contains `text` (lower-case, compared without case), or `limit` passes.
    static func waitForLog(_ service: RunningService, _ text: String, within limit: Duration = .seconds(20)) async
        -> Bool
    {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if service.log.lowercased().contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The events the producers told the monitor they dropped, from `/api/snapshot`.
    static func reportedDropped(_ cluster: Cluster) async throws -> UInt64 {
        let body = try await httpGet(port: cluster.monitor.httpPort, path: "/api/snapshot").body
        guard case .object(let root) = try JSONValue(parsing: body), case .array(let producers) = root["producers"]
        else { return 0 }
        return producers.reduce(0) { total, producer in
            guard case .object(let fields) = producer, case .integer(let dropped) = fields["reported_dropped"] else {
                return total
            }
            return total + UInt64(dropped)
        }
    }

    @Test(
        "the spool's disk full while the monitor is down: every request scored; what could not be kept is dropped, counted and reported exactly",
        arguments: [64, 0])
    func spoolDiskFull(memoryMegabytes: Int) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-spool-\(UUID())")
        let disk = try SmallDisk(at: root.appendingPathComponent("spool-0").path, kilobytes: 96)
        defer { disk.unmount() }
        let cluster = try await Cluster(
            replicas: 1, root: root, replicaArguments: ["--report-memory-mb", "\(memoryMegabytes)"])
        let (answered, asked) = try await FaultHarnessTests.streamCounting(cluster) {
            cluster.monitor.signal(SIGKILL)
            _ = await cluster.monitor.waitForExit()
            #expect(
                await Self.waitForLog(cluster.replicas[0], "no space left on device"),
                "the replica says why: \(cluster.replicas[0].log.suffix(2_000))")
            try disk.resize(kilobytes: 65_536)
            try await cluster.restartMonitor()
        }
        #expect(answered == asked, "scoring never fails: \(answered) of \(asked) answered")
        let result = try await cluster.accounting { counted, missing in counted + missing >= answered }
        let dropped = try await Self.reportedDropped(cluster)
        #expect(result.counted + result.missing == answered, "\(result) for \(answered) answered")
        #expect(dropped == result.missing, "the producer reports exactly the events missing: \(dropped), \(result)")
        if memoryMegabytes > 0 {
            // What the full disk refused waited in memory, which had room: nothing lost.
            #expect(result.missing == 0, "memory had room for what the spool refused: \(result)")
            #expect(cluster.replicas[0].log.contains("the spool cannot take events; keeping them in memory"))
        } else {
            #expect(result.missing > 0, "no memory to keep them in: the disk filled up and events were dropped")
        }
        FaultHarnessTests.report("spoolDiskFull(memory \(memoryMegabytes) MiB)", answered: answered, result)
        await cluster.stop()
    }

    @Test(
        "the state directory's disk full: the monitor stops with the reason, scoring goes on, a restart with room counts everything once"
    )
    func stateDiskFull() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-state-\(UUID())")
        let disk = try SmallDisk(at: root.appendingPathComponent("state").path, kilobytes: 512)
        defer { disk.unmount() }
        let cluster = try await Cluster(replicas: 2, root: root)
        let (answered, asked) = try await FaultHarnessTests.streamCounting(cluster) {
            let status = await cluster.monitor.waitForExit(timeout: 60)
            #expect(status == 1, "the monitor stops (fail-stop) when its log cannot be written")
            #expect(cluster.monitor.log.contains("\"level\":\"error\",\"msg\":\"state store failed: stopping\""))
            #expect(
                cluster.monitor.log.lowercased().contains("no space left on device"),
                "\(cluster.monitor.log.suffix(2_000))")
            try disk.resize(kilobytes: 65_536)
            try await cluster.restartMonitor()
        }
        #expect(answered == asked, "scoring never fails: \(answered) of \(asked) answered")
        let result = try await cluster.accounting { counted, _ in counted >= answered }
        #expect(result.counted == answered && result.missing == 0, "\(result) for \(answered) answered")
        FaultHarnessTests.report("stateDiskFull", answered: answered, result)
        await cluster.stop()
    }

    @Test("a service started on a full disk refuses with the reason", arguments: ["sentinel-api", "sentinel-monitor"])
    func startOnFullDisk(product: String) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-start-\(UUID())")
        let disk = try SmallDisk(at: root.path, kilobytes: 64)
        defer { disk.unmount() }
        disk.fill()
        let arguments =
            product == "sentinel-api"
            ? [
                "--model", APIModels.firstPath, "--port", "0", "--http-port", "0", "--monitor", "127.0.0.1:9",
                "--spool-dir", root.path,
            ]
            : ["--port", "0", "--http-port", "0", "--state-dir", root.path]
        do {
            let service = try await RunningService.start(product, arguments: arguments, timeout: 15)
            Issue.record("\(product) started on a full disk: \(service.log)")
            _ = await service.terminate()
        } catch {
            #expect("\(error)".lowercased().contains("no space left on device"), "\(error)")
        }
    }
}
