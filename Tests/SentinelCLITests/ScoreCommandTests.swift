import Foundation
import SentinelCLI
import SentinelSchema
import SentinelTestSupport
import Testing

@Suite("sentinel score against a test scoring service", .serialized)
struct ScoreCommandTests {
    @Test("one JSON transaction: Score, a table with probability and decision")
    func singleTransaction() async throws {
        let service = ScoreTestServer()
        let path = try ScoreTestFiles.write(
            #"{"id":"t1","features":{"V2":0,"V1":1,"TX_AMOUNT":50}}"#, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(["score", "--api", api, "--data", path], console: capture.console)
        }
        #expect(status == 0)
        let expected = String(format: "%.6f", ScoreTestServer.probability([50, 1, 0]))
        let lines = capture.standardOutput.split(separator: "\n")
        try #require(lines.count == 2, "\(capture.standardError)")
        #expect(lines[0].hasPrefix("id  probability  decision"))
        #expect(
            lines[1].split(separator: " ").map(String.init) == [
                "t1", expected, "flag", "0.5000", "1.5", "test-model-1",
            ])
        #expect(service.transactions.map(\.features) == [[50, 1, 0]])
        #expect(service.transactions.first?.amount == 50)
    }

    @Test("several transactions with --json: ScoreBatch, one object per line, refusals named")
    func batchJSON() async throws {
        let service = ScoreTestServer()
        let text = """
            {"id":"a","features":[10,0,2]}
            {"id":"b","amount":-1,"features":[10,0,2]}
            {"id":"c","features":[300,0,0]}
            """
        let path = try ScoreTestFiles.write(text, suffix: ".jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(
                ["score", "--api", api, "--data", path, "--json", "--batch", "2"], console: capture.console)
        }
        #expect(status == 1)  // one transaction was refused
        #expect(service.requestCount == 2)  // batches of 2 and 1
        let objects = try capture.standardOutput.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        try #require(objects.map { $0["id"] as? String } == ["a", "b", "c"], "\(capture.standardError)")
        #expect(objects[0]["decision"] as? String == "pass")
        // The exact double, in its shortest round-trip form (JSONSerialization's parse may differ in the last bit).
        #expect(capture.standardOutput.contains("\"fraud_probability\":\(ScoreTestServer.probability([10, 0, 2]))"))
        #expect(objects[0]["model_version"] as? String == ScoreTestServer.modelVersion)
        let error = try #require(objects[1]["error"] as? [String: Any])
        #expect(error["code"] as? String == "INVALID_ARGUMENT")
        #expect(error["field"] as? String == "amount")
        #expect(objects[2]["decision"] as? String == "flag")
        #expect(capture.standardError.contains("1 of 3 transactions were not scored"))
    }

    @Test("a CSV file is matched to the model's inputs by column name")
    func csvInput() async throws {
        let service = ScoreTestServer()
        let path = try ScoreTestFiles.write(ScoreTestFiles.csv(rows: 5), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(["score", "--api", api, "--data", path, "--json"], console: capture.console)
        }
        #expect(status == 0)
        #expect(service.transactions.map(\.features) == (0..<5).map { ScoreTestFiles.features(row: $0) })
        #expect(service.transactions.map(\.id) == (0..<5).map { "tx\($0)" })
        #expect(capture.standardOutput.split(separator: "\n").count == 5)
    }

    @Test("a single transaction the service refuses is reported like a refused batch item")
    func singleRefused() async throws {
        let service = ScoreTestServer()
        let path = try ScoreTestFiles.write(#"{"id":"neg","amount":-5,"features":[1,2,3]}"#, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(["score", "--api", api, "--data", path, "--json"], console: capture.console)
        }
        #expect(status == 1)
        let object = try #require(
            JSONSerialization.jsonObject(with: Data(capture.standardOutput.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "neg")
        let error = try #require(object["error"] as? [String: Any])
        #expect(error["code"] as? String == "INVALID_ARGUMENT")
        #expect((error["message"] as? String)?.contains("negative amount") == true)
    }

    @Test("--token-file presents the token; a wrong one is UNAUTHENTICATED")
    func token() async throws {
        let service = ScoreTestServer()
        let data = try ScoreTestFiles.write(#"{"features":[1,2,3]}"#, suffix: ".json")
        let right = try ScoreTestFiles.write("s3cret\n", suffix: ".token")
        let wrong = try ScoreTestFiles.write("guess", suffix: ".token")
        defer { for path in [data, right, wrong] { try? FileManager.default.removeItem(atPath: path) } }
        let accepted = CapturedConsole()
        let refused = CapturedConsole()
        let (good, bad) = try await service.serve(token: "s3cret") { api in
            (
                await SentinelCommandLine.run(
                    ["score", "--api", api, "--data", data, "--token-file", right], console: accepted.console),
                await SentinelCommandLine.run(
                    ["score", "--api", api, "--data", data, "--token-file", wrong], console: refused.console)
            )
        }
        #expect(good == 0, "\(accepted.standardError)")
        #expect(bad == 1)
        #expect(refused.standardError.contains("UNAUTHENTICATED"))
        #expect(service.requestCount == 1)
    }

    @Test("bad JSON fails before scoring, naming the field")
    func badJSON() async throws {
        let service = ScoreTestServer()
        let path = try ScoreTestFiles.write(#"{"id":"z","features":{"TX_AMOUNT":1,"V1":"2","V2":3}}"#, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(["score", "--api", api, "--data", path], console: capture.console)
        }
        #expect(status == 1)
        #expect(capture.standardError.contains("transaction 'z': features.V1 must be a number"))
        #expect(service.requestCount == 0)
    }

    @Test(
        "command-line mistakes exit 64",
        arguments: [
            ["score"], ["score", "--api", "nohost"], ["score", "--api", "127.0.0.1:1", "--batch", "0"],
            ["score", "--api", "127.0.0.1:1", "--bogus"],
        ])
    func usageErrors(arguments: [String]) async {
        let capture = CapturedConsole()
        #expect(await SentinelCommandLine.run(arguments, console: capture.console) == 64)
        #expect(capture.standardError.contains("usage: sentinel score"))
    }

    @Test("an unreachable service is an error naming the address")
    func unreachable() async throws {
        let path = try ScoreTestFiles.write(#"{"features":[1,2,3]}"#, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = CapturedConsole()
        // Port 1 on loopback: nothing listens there (connection refused).
        let status = await SentinelCommandLine.run(
            ["score", "--api", "127.0.0.1:1", "--data", path], console: capture.console)
        #expect(status == 1)
        #expect(capture.standardError.contains("127.0.0.1:1"))
    }
}
