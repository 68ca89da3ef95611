import Foundation
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization
import Testing

@testable import SentinelScoring

@Suite("Model reload")
struct ModelReloadTests {
    @Test("a reload to another version with the same features swaps it in and says so")
    func success() async throws {
        let (service, sink, directory) = try await ScoringFixtures.service()
        let path = try ScoringFixtures.write(ScoringFixtures.sibling, to: directory, name: "sibling.sentinel")
        let response = try await service.reload(ReloadModelRequest(path: path), origin: "rpc")
        #expect(response.oldVersion == ScoringFixtures.model.modelVersion)
        #expect(response.newVersion == ScoringFixtures.sibling.modelVersion)
        #expect(!response.featuresChanged)
        #expect(response.message.hasPrefix("features unchanged; smoke score 0."))
        #expect(service.store.current?.version == ScoringFixtures.sibling.modelVersion)
        #expect(service.statistics.reloads == 1)
        #expect(sink.models == [ScoringFixtures.model.modelVersion, ScoringFixtures.sibling.modelVersion])
        let score = try ScoreResponse(
            serializedBytes: call(
                service, .scoringScore, ScoreRequest(transaction: ScoringFixtures.transaction(row: 9))))
        #expect(score.modelVersion == ScoringFixtures.sibling.modelVersion)
    }

    @Test("changed features are refused unless allowed; the old model keeps serving")
    func featuresChanged() async throws {
        let (service, _, directory) = try await ScoringFixtures.service()
        let path = try ScoringFixtures.write(ScoringFixtures.fewerFeatures, to: directory, name: "fewer.sentinel")
        await #expect(throws: ScoringError.self) {
            try await service.reload(ReloadModelRequest(path: path), origin: "rpc")
        }
        do {
            try await service.reload(ReloadModelRequest(path: path), origin: "rpc")
        } catch let error as ScoringError {
            #expect(error.code == .reloadFailed)
            #expect(error.statusCode == .failedPrecondition)
            #expect(error.message.contains("has different features (29 → 28 inputs)"))
            #expect(
                error.message.hasSuffix(
                    "set allow_feature_change to accept; still serving \(ScoringFixtures.model.modelVersion)"))
        }
        #expect(service.store.current?.version == ScoringFixtures.model.modelVersion)
        #expect(service.statistics.failedReloads == 2)
        let allowed = try await service.reload(ReloadModelRequest(path: path, allowFeatureChange: true), origin: "rpc")
        #expect(allowed.featuresChanged)
        #expect(allowed.message.hasPrefix("features changed (29 → 28 inputs)"))
        #expect(service.store.current?.featureNames.count == 28)
    }

    @Test(
        "a corrupt, missing or truncated file fails with the reason and keeps the old model",
        arguments: [
            "corrupt", "missing", "truncated", "empty",
        ])
    func badFile(_ kind: String) async throws {
        let directory = try ScoringFixtures.directory()
        _ = try ScoringFixtures.write(ScoringFixtures.model, to: directory)
        let path = directory.appendingPathComponent("bad.sentinel").path
        var bytes = ScoringFixtures.sibling.encoded()
        switch kind {
        case "corrupt":
            // Flip one digit inside the body: the hash no longer matches.
            let index = try #require(bytes.lastIndex(of: UInt8(ascii: "1")))
            bytes[index] = UInt8(ascii: "2")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        case "truncated": try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
        case "empty": try Data().write(to: URL(fileURLWithPath: path))
        default: break
        }
        let log = CapturedLog()
        let logged = ScoringService(
            store: ModelStore(configuredPath: directory.appendingPathComponent("model.sentinel").path), log: log.log)
        try await logged.reload(ReloadModelRequest(), origin: "startup")
        // Through the router and a connection (in memory): the answer is FAILED_PRECONDITION with the reason.
        let transport = InMemoryTransport(router: logged.makeRouter())
        do {
            _ = try await transport.call(
                .scoringReloadModel, payload: ReloadModelRequest(path: path).serializedBytes(), timeout: nil)
            Issue.record("the reload of a \(kind) file succeeded")
        } catch {
            #expect(error.code == .failedPrecondition)
            #expect(error.message.hasPrefix("cannot load model '\(path)': "), "\(error.message)")
        }
        #expect(logged.store.current?.version == ScoringFixtures.model.modelVersion)
        #expect(log.text.contains("\"msg\":\"model reload failed\""))
        #expect(log.text.contains("\"serving\":\"\(ScoringFixtures.model.modelVersion)\""))
        #expect(logged.statistics.failedReloads == 1)
        #expect(logged.statistics.errors == [StatsResponse.ErrorCount(statusCode: 9, count: 1)])
    }

    @Test("an expected version that does not match fails")
    func expectedVersion() async throws {
        let (service, _, directory) = try await ScoringFixtures.service()
        let path = try ScoringFixtures.write(ScoringFixtures.sibling, to: directory, name: "sibling.sentinel")
        do {
            try await service.reload(ReloadModelRequest(path: path, expectedVersion: "000000000000"), origin: "rpc")
            Issue.record("a reload with the wrong expected version succeeded")
        } catch let error as ScoringError {
            #expect(
                error.message.contains("has version \(ScoringFixtures.sibling.modelVersion), expected 000000000000"))
        }
        let ok = try await service.reload(
            ReloadModelRequest(path: path, expectedVersion: ScoringFixtures.sibling.modelVersion), origin: "rpc")
        #expect(ok.newVersion == ScoringFixtures.sibling.modelVersion)
    }

    @Test("concurrent readers always see a whole model, and a handle taken before a swap keeps scoring with it")
    func concurrentReaders() async throws {
        let (service, _, directory) = try await ScoringFixtures.service()
        let first = directory.appendingPathComponent("model.sentinel").path
        let second = try ScoringFixtures.write(ScoringFixtures.sibling, to: directory, name: "sibling.sentinel")
        let held = try #require(service.store.current)
        let row = ScoringFixtures.transaction(row: 11).features
        let expected: [String: UInt64] = [
            ScoringFixtures.model.modelVersion: row.withUnsafeBufferPointer {
                ScoringFixtures.model.artifact.learner.probability(of: $0)
            }.bitPattern,
            ScoringFixtures.sibling.modelVersion: row.withUnsafeBufferPointer {
                ScoringFixtures.sibling.artifact.learner.probability(of: $0)
            }.bitPattern,
        ]
        let state = ReaderState()
        let store = service.store
        // Readers on threads of their own: spinning tasks would starve the cooperative pool the reloads resume on.
        let readers = (0..<3).map { _ in
            Task {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    Thread.detachNewThread {
                        while !state.stop.load(ordering: .relaxed) {
                            guard let model = store.current else { continue }
                            let p = row.withUnsafeBufferPointer { model.learner.probability(of: $0) }
                            if expected[model.version] != p.bitPattern { state.mismatches.add(1, ordering: .relaxed) }
                            state.reads.add(1, ordering: .relaxed)
                        }
                        done.resume()
                    }
                }
            }
        }
        for round in 0..<20 {
            try await service.reload(ReloadModelRequest(path: round.isMultiple(of: 2) ? second : first), origin: "rpc")
        }
        state.stop.store(true, ordering: .relaxed)
        for reader in readers { await reader.value }
        #expect(state.mismatches.load(ordering: .relaxed) == 0)
        #expect(state.reads.load(ordering: .relaxed) > 0)
        #expect(service.statistics.reloads == 20)
        // The handle taken before the reloads still scores with the original model.
        #expect(held.version == ScoringFixtures.model.modelVersion)
        let p = row.withUnsafeBufferPointer { held.learner.probability(of: $0) }
        #expect(p.bitPattern == expected[ScoringFixtures.model.modelVersion])
    }
}

/// Shared by the reader tasks of the concurrency test.
private final class ReaderState: Sendable {
    let stop = Atomic<Bool>(false)
    let mismatches = Atomic<Int>(0)
    let reads = Atomic<Int>(0)
}
