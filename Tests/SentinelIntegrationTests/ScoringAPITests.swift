import Foundation
import SentinelData
import SentinelLock
import SentinelModel
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelWire
import Synchronization
import Testing

@Suite(
    "sentinel-api as a process", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct ScoringAPITests {
    static func transaction(row: Int) -> Transaction {
        let features = APIModels.features(row: row)
        return Transaction(
            id: "tx-\(row)", eventTimeMicroseconds: 1_600_000_000_000_000 + Int64(row), cardId: "c\(row % 9)",
            terminalId: "t\(row % 4)", amount: features[features.count - 1], features: features)
    }

    static func address(_ api: RunningService) -> SocketAddress {
        SocketAddress(host: "127.0.0.1", port: api.port)
    }

    static func call<Response: WireMessage>(
        _ client: TCPClient, _ method: MethodID, _ request: some WireMessage, as: Response.Type
    ) async throws -> Response {
        let bytes = try await client.call(method, payload: request.serializedBytes(), timeout: .seconds(10))
        return try Response(serializedBytes: bytes)
    }

    /// The status and message a call fails with, or `nil` when it succeeds.
    static func failure(_ client: TCPClient, _ method: MethodID, _ request: some WireMessage) async -> RPCError? {
        do {
            _ = try await client.call(method, payload: request.serializedBytes(), timeout: .seconds(10))
            return nil
        } catch {
            return error
        }
    }

    @Test("scores over RPC equal the library's, bit for bit; Health SERVING; ModelInfo; Stats")
    func scoresMatchLibrary() async throws {
        let api = try await RunningService.startAPI(model: APIModels.firstPath)
        // Standard output is JSON lines only; the human "listening on" line is on standard error.
        #expect(BuiltProducts.nonJSONLines(api.log).isEmpty, "\(api.log)")
        #expect(api.log.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"time\":\"") }, "\(api.log)")
        #expect(api.errors.contains("listening on 127.0.0.1:\(api.port)\n"))
        let model = APIModels.files.first
        let learner = model.artifact.learner
        try await TCPClient.withClient(address: Self.address(api)) { client in
            let health = try await Self.call(client, .healthCheck, HealthCheckRequest(), as: HealthCheckResponse.self)
            #expect(health.status == .serving)
            let info = try await Self.call(client, .scoringModelInfo, ModelInfoRequest(), as: ModelInfoResponse.self)
            #expect(info.modelVersion == model.modelVersion)
            #expect(info.featureNames == model.artifact.featureNames)
            let rows = Array(0..<APIModels.sample.rowCount)
            for chunk in stride(from: 0, to: rows.count, by: 500) {
                let batch = ScoreBatchRequest(
                    transactions: rows[chunk..<min(chunk + 500, rows.count)].map(Self.transaction))
                let response = try await Self.call(client, .scoringScoreBatch, batch, as: ScoreBatchResponse.self)
                for (offset, item) in response.items.enumerated() {
                    guard case .score(let score) = item.outcome else {
                        Issue.record("row \(chunk + offset) not scored: \(item.outcome)")
                        continue
                    }
                    let features = APIModels.features(row: chunk + offset)
                    let expected = features.withUnsafeBufferPointer { learner.probability(of: $0) }
                    #expect(score.fraudProbability.bitPattern == expected.bitPattern)
                    #expect(score.decision == (expected >= model.artifact.threshold ? .flag : .pass))
                }
            }
            for row in stride(from: 0, to: rows.count, by: 75) {
                let score = try await Self.call(
                    client, .scoringScore, ScoreRequest(transaction: Self.transaction(row: row)), as: ScoreResponse.self
                )
                let expected = APIModels.features(row: row).withUnsafeBufferPointer { learner.probability(of: $0) }
                #expect(score.fraudProbability.bitPattern == expected.bitPattern)
                #expect(score.modelVersion == model.modelVersion)
                #expect(score.serverLatencyNanoseconds > 0)
            }
            let stats = try await Self.call(client, .scoringStats, StatsRequest(), as: StatsResponse.self)
            #expect(stats.transactions == UInt64(rows.count + 20))
            #expect(stats.latency.count == 23)
            #expect(stats.errors.isEmpty)
        }
        api.signal(SIGTERM)
        #expect(await api.waitForExit() == 0)
    }

    @Test("every bad input gets its status code and a message naming the transaction and field")
    func badInputs() async throws {
        let api = try await RunningService.startAPI(model: APIModels.firstPath, arguments: ["--max-batch", "5"])
        try await TCPClient.withClient(address: Self.address(api)) { client in
            func score(_ change: (inout Transaction) -> Void) async -> RPCError? {
                var transaction = Self.transaction(row: 1)
                change(&transaction)
                return await Self.failure(client, .scoringScore, ScoreRequest(transaction: transaction))
            }
            let expectations: [(RPCError?, String)] = [
                (
                    await score { $0.features.removeLast() },
                    "transaction 'tx-1': expected 29 features (V1…Amount), got 28"
                ),
                (await score { $0.features[4] = .nan }, "transaction 'tx-1': features[4] (V5) is NaN"),
                (await score { $0.features[0] = .infinity }, "transaction 'tx-1': features[0] (V1) is +Inf"),
                (await score { $0.features[1] = -.infinity }, "transaction 'tx-1': features[1] (V2) is -Inf"),
                (await score { $0.amount = -1 }, "transaction 'tx-1': amount is negative (-1.0)"),
                (await score { $0.amount = .nan }, "transaction 'tx-1': amount is NaN"),
                (await score { $0.id = "" }, "transaction: id is empty"),
            ]
            for (error, message) in expectations {
                #expect(error == RPCError(.invalidArgument, message))
            }
            let empty = await Self.failure(client, .scoringScoreBatch, ScoreBatchRequest())
            #expect(empty == RPCError(.invalidArgument, "empty batch: ScoreBatch needs at least one transaction"))
            let six = ScoreBatchRequest(transactions: (0..<6).map(Self.transaction))
            let over = await Self.failure(client, .scoringScoreBatch, six)
            #expect(over == RPCError(.invalidArgument, "batch of 6 transactions is over the limit of 5"))
            let pinned = await Self.failure(
                client, .scoringScore, ScoreRequest(transaction: Self.transaction(row: 1), modelVersion: "abc"))
            #expect(pinned?.code == .failedPrecondition)
            #expect(pinned?.message.hasPrefix("model version 'abc' is not served") == true)
            do {
                _ = try await client.call(.scoringScore, payload: [0xFF, 0xFF], timeout: .seconds(10))
                Issue.record("a malformed payload was accepted")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
            }
            var mixed = (0..<3).map(Self.transaction)
            mixed[2].features[7] = .nan
            let batch = try await Self.call(
                client, .scoringScoreBatch, ScoreBatchRequest(transactions: mixed), as: ScoreBatchResponse.self)
            guard case .error(let itemError) = batch.items[2].outcome else {
                Issue.record("the bad item was scored")
                return
            }
            #expect(itemError.statusCode == 3)
            #expect(itemError.field == "features[7]")
            #expect(itemError.message == "transaction 2 ('tx-2'): features[7] (V8) is NaN")
            let failedReload = await Self.failure(
                client, .scoringReloadModel, ReloadModelRequest(path: "/nonexistent/model.sentinel"))
            #expect(failedReload?.code == .failedPrecondition)
            #expect(failedReload?.message.hasPrefix("cannot load model '/nonexistent/model.sentinel'") == true)
            let stats = try await Self.call(client, .scoringStats, StatsRequest(), as: StatsResponse.self)
            #expect(stats.transactions == 2)
            #expect(stats.failedReloads == 1)
            #expect(
                stats.errors == [
                    StatsResponse.ErrorCount(statusCode: 3, count: 11),
                    StatsResponse.ErrorCount(statusCode: 9, count: 2),
                ])
        }
        #expect(api.log.contains("\"msg\":\"model reload failed\""))
        api.signal(SIGTERM)
        #expect(await api.waitForExit() == 0)
    }

    @Test("reloads under concurrent load lose nothing: every request answered OK, versions switch")
    func reloadUnderLoad() async throws {
        let api = try await RunningService.startAPI(model: APIModels.firstPath)
        let versions = [APIModels.files.first.modelVersion, APIModels.files.second.modelVersion]
        let tally = LoadTally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try await TCPClient.withClient(address: Self.address(api)) { client in
                        var row = worker
                        while !tally.stop.load(ordering: .relaxed) {
                            let request = ScoreRequest(transaction: Self.transaction(row: row % 1_500))
                            do {
                                let response = try await Self.call(
                                    client, .scoringScore, request, as: ScoreResponse.self)
                                tally.record(version: response.modelVersion)
                            } catch {
                                tally.fail("\(error)")
                            }
                            row += 4
                        }
                    }
                }
            }
            try await TCPClient.withClient(address: Self.address(api)) { client in
                for round in 0..<6 {
                    let path = round.isMultiple(of: 2) ? APIModels.secondPath : APIModels.firstPath
                    let reload = try await Self.call(
                        client, .scoringReloadModel, ReloadModelRequest(path: path), as: ReloadModelResponse.self)
                    #expect(reload.newVersion == versions[round.isMultiple(of: 2) ? 1 : 0])
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            tally.stop.store(true, ordering: .relaxed)
            try await group.waitForAll()
        }
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(3))")
        let seen = tally.versions
        #expect(seen.count == 2, "\(seen)")
        #expect(seen.keys.allSatisfy(versions.contains))
        #expect(api.log.components(separatedBy: "\"msg\":\"model reloaded\"").count == 7)
        api.signal(SIGTERM)
        #expect(await api.waitForExit() == 0)
    }

    @Test("SIGTERM under load: every accepted request is answered, later ones get UNAVAILABLE, exit 0")
    func sigtermUnderLoad() async throws {
        let api = try await RunningService.startAPI(model: APIModels.firstPath)
        let tally = LoadTally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try await TCPClient.withClient(address: Self.address(api)) { client in
                        var row = worker
                        while true {
                            let batch = ScoreBatchRequest(
                                transactions: (0..<20).map { Self.transaction(row: (row + $0) % 1_500) })
                            do {
                                let response = try await Self.call(
                                    client, .scoringScoreBatch, batch, as: ScoreBatchResponse.self)
                                tally.record(version: response.modelVersion)
                            } catch let error as RPCError where error.code == .unavailable {
                                return
                            } catch {
                                tally.fail("\(error)")
                                return
                            }
                            row += 20
                        }
                    }
                }
            }
            while tally.answered < 50 { try await Task.sleep(for: .milliseconds(5)) }
            api.signal(SIGTERM)
            try await group.waitForAll()
        }
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(3))")
        #expect(await api.waitForExit() == 0)
        let log = api.log
        #expect(log.contains("\"msg\":\"shutting down\",\"signal\":\"SIGTERM\""))
        #expect(log.contains("\"msg\":\"stopped\""))
    }

    @Test("SIGHUP reloads the configured file; a corrupt file keeps the old model and logs why")
    func sighup() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-hup-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("model.sentinel").path
        try APIModels.files.first.write(to: path)
        let api = try await RunningService.startAPI(model: path)
        try APIModels.files.second.write(to: path)
        api.signal(SIGHUP)
        try await TCPClient.withClient(address: Self.address(api)) { client in
            func version() async throws -> String {
                try await Self.call(client, .scoringModelInfo, ModelInfoRequest(), as: ModelInfoResponse.self)
                    .modelVersion
            }
            var attempts = 0
            while try await version() != APIModels.files.second.modelVersion && attempts < 500 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try await version() == APIModels.files.second.modelVersion)
            try Data("not a model".utf8).write(to: URL(fileURLWithPath: path))
            api.signal(SIGHUP)
            attempts = 0
            while !api.log.contains("\"msg\":\"model reload failed\"") && attempts < 500 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(api.log.contains("\"origin\":\"SIGHUP\",\"reason\":\"cannot load model"))
            #expect(try await version() == APIModels.files.second.modelVersion)
            let stats = try await Self.call(client, .scoringStats, StatsRequest(), as: StatsResponse.self)
            #expect(stats.reloads == 1 && stats.failedReloads == 1)
        }
        api.signal(SIGTERM)
        #expect(await api.waitForExit() == 0)
    }

    @Test("--help and --version work; a bad command line exits 64; an unusable model exits 1")
    func commandLine() async throws {
        let help = try await BuiltProducts.run("sentinel-api", ["--help"])
        #expect(help.status == 0 && help.output.contains("SENTINEL_MODEL"))
        #expect(try await BuiltProducts.run("sentinel-api", ["--version"]).output.hasPrefix("sentinel-api "))
        let missing = try await BuiltProducts.run("sentinel-api", [])
        #expect(missing.status == 64 && missing.error.contains("missing --model"))
        #expect(try await BuiltProducts.run("sentinel-api", ["--model", "m", "--bogus"]).status == 64)
        let unusable = try await BuiltProducts.run(
            "sentinel-api",
            ["--model", "/nonexistent.sentinel", "--port", "0", "--http-port", "0", "--host", "127.0.0.1"])
        #expect(unusable.status == 1)
        #expect(unusable.output.contains("\"msg\":\"model load failed\""))
    }

    @Test("with no monitor running the API keeps scoring; events go to the spool; exit 0")
    func noMonitor() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-spool-\(UUID())")
        defer { try? FileManager.default.removeItem(at: spool) }
        // A port nobody listens on: bind one, note it, close it.
        let probe = try await RunningService.startAPI(model: APIModels.firstPath)
        let deadPort = probe.port
        probe.signal(SIGTERM)
        #expect(await probe.waitForExit() == 0)
        let api = try await RunningService.startAPI(
            model: APIModels.firstPath, arguments: ["--monitor", "127.0.0.1:\(deadPort)", "--spool-dir", spool.path])
        try await TCPClient.withClient(address: Self.address(api)) { client in
            for chunk in 0..<5 {
                let batch = ScoreBatchRequest(transactions: (0..<100).map { Self.transaction(row: chunk * 100 + $0) })
                let response = try await Self.call(client, .scoringScoreBatch, batch, as: ScoreBatchResponse.self)
                #expect(response.items.count == 100)
            }
            let stats = try await Self.call(client, .scoringStats, StatsRequest(), as: StatsResponse.self)
            #expect(stats.transactions == 500)
            #expect(stats.events.acknowledged == 0)
        }
        api.signal(SIGTERM)
        #expect(await api.waitForExit() == 0)
        let log = api.log
        #expect(log.contains("\"events_spooled\":500"), "\(log.suffix(600))")
        #expect(log.contains("\"events_dropped\":0"))
    }
}

/// Counters shared by load tasks.
final class LoadTally: Sendable {
    let stop = Atomic<Bool>(false)
    private let state = Lock<(versions: [String: Int], failures: [String])>(([:], []))

    func record(version: String) {
        state.withLock { $0.versions[version, default: 0] += 1 }
    }

    func fail(_ message: String) {
        state.withLock { $0.failures.append(message) }
    }

    var versions: [String: Int] { state.withLock { $0.versions } }
    var failures: [String] { state.withLock { $0.failures } }
    var answered: Int { state.withLock { $0.versions.values.reduce(0, +) } }
}
