import Foundation
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@Suite(
    "sentinel-monitor ingestion across SIGKILL, as a process", .serialized,
    .enabled(if: BuiltProducts.available, "the sentinel and sentinel-monitor executables are not built"))
struct MonitorRestartTests {
    static func registration() -> RegisterModelRequest {
        func profile(_ name: String) -> RegisterModelRequest.FeatureProfile {
            RegisterModelRequest.FeatureProfile(
                name: name, edges: [-1, 0, 1], proportions: [0.25, 0.25, 0.25, 0.25], count: 1_000, mean: 0,
                standardDeviation: 1, minimum: -3, maximum: 3, missingFraction: 0)
        }
        var score = profile("score")
        score.edges = [0.25, 0.5, 0.75]
        return RegisterModelRequest(
            modelVersion: "v1",
            reference: RegisterModelRequest.ReferenceProfile(
                features: [profile("a"), profile("b"), profile("c")], score: score, baseFraudRate: 0.01,
                baseFlagRate: 0.25),
            threshold: 0.75, learner: "logistic", producerId: "integration")
    }

    static func batch(_ producer: String, _ sequences: ClosedRange<UInt64>) -> EventBatch {
        let values: [Double] = [-1.5, -0.5, 0.5, 1.5]
        return EventBatch(
            producerId: producer,
            events: sequences.map { sequence in
                let score = [0.1, 0.3, 0.6, 0.9][Int(sequence % 4)]
                return ScoringEvent(
                    sequence: sequence, transactionId: "\(producer)-\(sequence)", cardId: "card-\(sequence % 50)",
                    features: [Double](repeating: values[Int(sequence % 4)], count: 3), fraudProbability: score,
                    decision: score >= 0.75 ? .flag : .pass, modelVersion: "v1", serverLatencyNanoseconds: 80_000)
            })
    }

    static let batches: [EventBatch] = (0..<10).map { (index: Int) -> EventBatch in
        let first = UInt64(index / 2 * 200 + 1)
        return batch(index % 2 == 0 ? "api-a" : "api-b", first...(first + 199))
    }

    func call<Reply: WireMessage>(
        _ client: TCPClient, _ method: MethodID, _ request: some WireMessage, as: Reply.Type
    ) async throws -> Reply {
        try Reply(
            serializedBytes: try await client.call(method, payload: request.serializedBytes(), timeout: .seconds(10)))
    }

    func eventsTotal(_ client: TCPClient) async throws -> UInt64 {
        try await call(client, .monitorSnapshot, MonitorSnapshotRequest(), as: MonitorSnapshotResponse.self).eventsTotal
    }

    @Test("acknowledged events survive SIGKILL; resending them after the restart changes nothing")
    func killAndRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-state-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["--state-dir", directory.path, "--window", "60s", "--http-port", "0"]
        let first = try await RunningService.startMonitor(arguments: arguments)
        let address = SocketAddress(host: "127.0.0.1", port: first.port)
        let before = try await TCPClient.withClient(address: address) { client in
            // Events before registration: FAILED_PRECONDITION.
            do {
                _ = try await call(client, .monitorIngestEvents, Self.batches[0], as: IngestAck.self)
                Issue.record("events of an unregistered model were accepted")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition)
            }
            let registered = try await call(
                client, .monitorRegisterModel, Self.registration(), as: RegisterModelResponse.self)
            #expect(registered.newlyRegistered)
            var accepted: UInt64 = 0
            for batch in Self.batches {
                accepted += try await call(client, .monitorIngestEvents, batch, as: IngestAck.self).accepted
            }
            #expect(accepted == 2_000)
            return try await eventsTotal(client)
        }
        #expect(before == 2_000)
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        #expect(first.process.terminationReason == .uncaughtSignal)

        let second = try await RunningService.startMonitor(arguments: arguments)
        #expect(second.log.contains("\"msg\":\"state restored\""))
        let after = try await TCPClient.withClient(address: SocketAddress(host: "127.0.0.1", port: second.port)) {
            client in
            let restored = try await eventsTotal(client)
            var duplicates: UInt64 = 0
            var accepted: UInt64 = 0
            for batch in Self.batches.reversed() {
                let ack = try await call(client, .monitorIngestEvents, batch, as: IngestAck.self)
                duplicates += ack.duplicates
                accepted += ack.accepted
            }
            #expect(accepted == 0 && duplicates == 2_000)
            let again = try await call(
                client, .monitorRegisterModel, Self.registration(), as: RegisterModelResponse.self)
            #expect(!again.newlyRegistered)
            let view = try await call(
                client, .monitorSnapshot, MonitorSnapshotRequest(), as: MonitorSnapshotResponse.self)
            #expect(view.producers.map(\.producerId) == ["api-a", "api-b"])
            #expect(view.producers.allSatisfy { $0.missing == 0 && $0.lastSequence == 1_000 })
            return (restored, view.eventsTotal)
        }
        #expect(after.0 == 2_000)
        #expect(after.1 == 2_000)
        #expect(await second.terminate() == 0)
    }
}
