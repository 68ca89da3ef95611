import Foundation
import SentinelArguments
import SentinelMonitor
import Testing

@Suite("Persistence: backup of a state directory")
struct StateBackupTests {
    /// 60 durable records with a snapshot at 30 (small segments, so the copy spans several), then 5 enqueued
    /// without waiting: the backup may catch them synced or not.
    private func makeHistory(_ directory: String) async throws -> StateStore {
        let (store, _) = try openCollecting(directory, options: smallOptions(segmentBytes: 4096))
        for index in 0..<60 {
            try await store.append([LogRecord(type: 1, payload: testPayload(index, count: 200))])
            if index == 29 { try await store.writeSnapshot(Array("at 30".utf8), covering: LogPosition(30)) }
        }
        for index in 60..<65 { _ = try store.enqueue([LogRecord(type: 1, payload: testPayload(index, count: 200))]) }
        return store
    }

    @Test("while the store runs: the copy recovers the snapshot and a synced prefix of the log, cleanly")
    func whileRunning() async throws {
        let source = PersistenceScratch()
        let destination = PersistenceScratch()
        defer {
            source.remove()
            destination.remove()
        }
        let store = try await makeHistory(source.path)
        let result = try StateBackup.copy(from: source.path, to: destination.path + "/copy")
        #expect(result.whileRunning)
        #expect(result.snapshot == "snapshot-00000000000000000030.snap")
        #expect((60...65).contains(result.position), "\(result)")
        #expect(!result.files.contains("LOCK") && !result.files.contains("log-mark"))
        let (copy, recovered) = try openCollecting(
            destination.path + "/copy", options: smallOptions(segmentBytes: 4096))
        #expect(recovered.snapshot?.bytes == Array("at 30".utf8))
        #expect(recovered.positions == Array(30..<result.position))
        #expect(recovered.payloads == (30..<Int(result.position)).map { testPayload($0, count: 200) })
        #expect(copy.recovery.issues.isEmpty, "\(copy.recovery.issues)")
        await copy.close()
        await store.close()
    }

    @Test("while the store is stopped: every record is copied, and the source opens afterwards")
    func whileStopped() async throws {
        let source = PersistenceScratch()
        let destination = PersistenceScratch()
        defer {
            source.remove()
            destination.remove()
        }
        try await makeHistory(source.path).close()
        let result = try StateBackup.copy(from: source.path, to: destination.path)
        #expect(!result.whileRunning && result.position == 65, "\(result)")
        let (copy, recovered) = try openCollecting(destination.path, options: smallOptions(segmentBytes: 4096))
        #expect(recovered.positions == Array(30..<65))
        await copy.close()
        let (reopened, _) = try openCollecting(source.path, options: smallOptions(segmentBytes: 4096))
        await reopened.close()
    }

    @Test("a destination that is not empty, or a source that is not a state directory, is refused")
    func refusals() async throws {
        let source = PersistenceScratch()
        let destination = PersistenceScratch()
        defer {
            source.remove()
            destination.remove()
        }
        #expect(throws: PersistenceError.self) { try StateBackup.copy(from: source.path, to: destination.path) }
        try await makeHistory(source.path).close()
        destination.write("unrelated", [1])
        let error = #expect(throws: PersistenceError.self) {
            try StateBackup.copy(from: source.path, to: destination.path)
        }
        #expect(error?.message.contains("not empty") == true)
        var missing = Arguments(["/tmp/x"])
        #expect(throws: UsageError.self) { try StateBackup.command(&missing) }
        var noDestination = Arguments(["--state-dir", source.path])
        #expect(throws: UsageError.self) { try StateBackup.command(&noDestination) }
    }
}
