import Foundation
import SentinelCLI
import SentinelSchema
import SentinelTestSupport
import Testing

@Suite("sentinel replay against a test scoring service", .serialized)
struct ReplayCommandTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Writes `csv` to a temporary file, runs `sentinel replay --api <service> --data <file>` plus `arguments`
    /// against a fresh test service, and returns the exit status, the captured console and the service.
    static func replay(csv: String, _ arguments: [String]) async throws -> (
        status: Int32, capture: CapturedConsole, service: ScoreTestServer
    ) {
        let service = ScoreTestServer()
        let path = try ScoreTestFiles.write(csv, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(
                ["replay", "--api", api, "--data", path] + arguments, console: capture.console)
        }
        return (status, capture, service)
    }

    @Test("every row is sent once, mapped to model order; the summary counts scored and flagged")
    func replaysAll() async throws {
        let (status, capture, service) = try await Self.replay(csv: ScoreTestFiles.csv(), ["--batch", "32", "--json"])
        #expect(status == 0)
        let received = service.transactions.sorted { Int($0.id.dropFirst(2))! < Int($1.id.dropFirst(2))! }
        try #require(received.count == 250, "\(capture.standardError)")
        #expect(received.map(\.id) == (0..<250).map { "tx\($0)" })
        #expect(received.map(\.features) == (0..<250).map { ScoreTestFiles.features(row: $0) })
        #expect(received.map(\.amount) == (0..<250).map { ScoreTestFiles.features(row: $0)[0] })
        #expect(received[3].cardId == "c3" && received[3].terminalId == "t3")
        #expect(service.requestCount == 8)  // ⌈250 / 32⌉
        let expectedFlagged = (0..<250).filter {
            ScoreTestServer.probability(ScoreTestFiles.features(row: $0)) >= ScoreTestServer.threshold
        }.count
        let summary = try Self.json(capture.standardOutput)
        #expect(summary["sent"] as? Int == 250)
        #expect(summary["scored"] as? Int == 250)
        #expect(summary["flagged"] as? Int == expectedFlagged)
        #expect(summary["errors"] as? Int == 0)
        #expect(summary["requests"] as? Int == 8)
    }

    @Test("--drift changes the inputs (and the amount) before sending; --from/--to and --limit select rows")
    func driftAndSelection() async throws {
        let (status, capture, service) = try await Self.replay(
            csv: ScoreTestFiles.csv(),
            ["--from", "2018-07-02", "--to", "2018-07-03", "--limit", "60", "--drift", "TX_AMOUNT*1.5,V2=9", "--json"])
        #expect(status == 0)
        // Days 2–3 are rows 50…149; the limit keeps the first 60.
        let received = service.transactions.sorted { Int($0.id.dropFirst(2))! < Int($1.id.dropFirst(2))! }
        #expect(received.map(\.id) == (50..<110).map { "tx\($0)" })
        for (row, transaction) in zip(50..<110, received) {
            let original = ScoreTestFiles.features(row: row)
            #expect(transaction.features == [original[0] * 1.5, original[1], 9])
            #expect(transaction.amount == original[0] * 1.5)
        }
        let summary = try Self.json(capture.standardOutput)
        #expect(summary["sent"] as? Int == 60)
        #expect(summary["drift"] as? String == "TX_AMOUNT*1.5,V2=9.0")
    }

    @Test("refused transactions are counted by code, named on stderr, and make the exit code 1")
    func errorsCounted() async throws {
        // Amounts are 0…98; minus 50 makes 50 of the 100 negative, which the service refuses.
        let (status, capture, _) = try await Self.replay(
            csv: ScoreTestFiles.csv(rows: 100), ["--drift", "TX_AMOUNT-50", "--json"])
        #expect(status == 1)
        let negative = (0..<100).filter { ScoreTestFiles.features(row: $0)[0] - 50 < 0 }.count
        let summary = try Self.json(capture.standardOutput)
        #expect(summary["sent"] as? Int == 100)
        #expect(summary["errors"] as? Int == negative)
        #expect(summary["scored"] as? Int == 100 - negative)
        #expect((summary["errors_by_code"] as? [String: Int]) == ["INVALID_ARGUMENT": negative])
        #expect(capture.standardError.contains("transaction 'tx0': INVALID_ARGUMENT"))
    }

    @Test("--rate paces the batches: 40 transactions at 200/s in batches of 10 send after a burst of 20")
    func rateLimited() async throws {
        let (status, capture, _) = try await Self.replay(
            csv: ScoreTestFiles.csv(rows: 40), ["--batch", "10", "--rate", "200", "--json"])
        #expect(status == 0)
        let summary = try Self.json(capture.standardOutput)
        #expect(summary["sent"] as? Int == 40)
        // Burst max(10, 20) = 20 tokens, then 20 more at 200/s: at least 0.1 s (a lower bound, not a timing race).
        #expect(try #require(summary["seconds"] as? Double) >= 0.099)
    }

    @Test("a data file without one of the model's inputs is an error naming it")
    func missingColumn() async throws {
        let (status, capture, service) = try await Self.replay(csv: "TX_AMOUNT,V1\n1,2\n", [])
        #expect(status == 1)
        #expect(capture.standardError.contains("V2"))
        #expect(service.requestCount == 0)
    }

    @Test("an unknown feature in --drift is a usage error (64) listing the model's inputs")
    func unknownDriftFeature() async throws {
        let (status, capture, service) = try await Self.replay(
            csv: ScoreTestFiles.csv(rows: 5), ["--drift", "Amount*2"])
        #expect(status == 64)
        #expect(capture.standardError.contains("no feature 'Amount' (features: TX_AMOUNT, V1, V2)"))
        #expect(service.requestCount == 0)
    }
}
