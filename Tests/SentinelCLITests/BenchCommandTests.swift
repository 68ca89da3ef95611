import Foundation
import SentinelCLI
import SentinelTestSupport
import Testing

@Suite("sentinel bench against a test scoring service", .serialized)
struct BenchCommandTests {
    static func run(_ arguments: [String], service: ScoreTestServer) async throws -> (Int32, [String: Any], String) {
        let capture = CapturedConsole()
        let status = try await service.serve { api in
            await SentinelCommandLine.run(["bench", "--api", api] + arguments, console: capture.console)
        }
        let object =
            (try? JSONSerialization.jsonObject(with: Data(capture.standardOutput.utf8))) as? [String: Any] ?? [:]
        return (status, object, capture.standardError)
    }

    @Test(
        "closed loop over shared loops: every counted request was served, none failed",
        arguments: [(1, 1, 1), (8, 2, 1), (4, 1, 25)])
    func closedLoop(connections: Int, loops: Int, batch: Int) async throws {
        let service = ScoreTestServer(records: false)
        let path = try ScoreTestFiles.write(ScoreTestFiles.csv(), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, result, errors) = try await Self.run(
            [
                "--data", path, "--connections", "\(connections)", "--loops", "\(loops)", "--batch", "\(batch)",
                "--duration", "0.3", "--warmup", "0.1", "--json",
            ], service: service)
        #expect(status == 0, "\(errors)")
        let requests = try #require(result["requests"] as? Int)
        #expect(requests > 0)
        #expect(requests <= service.requestCount)  // warm-up and drained requests are served but not counted
        #expect(result["transactions"] as? Int == requests * batch)
        #expect(result["errors"] as? Int == 0)
        for key in ["requests_per_second", "transactions_per_second", "p50_us", "p99_us", "p999_us"] {
            #expect(try #require(result[key] as? Double) > 0, "\(key)")
        }
        #expect(try #require(result["p50_us"] as? Double) <= (result["p999_us"] as? Double ?? 0))
        #expect(result["connections"] as? Int == connections)
    }

    @Test("refused transactions are counted as errors by code, and the exit code is 1")
    func errorsCounted() async throws {
        let service = ScoreTestServer(records: false)
        // Every amount is negative, so the service refuses every transaction.
        let path = try ScoreTestFiles.write("TX_AMOUNT,V1,V2\n-1,0,0\n-2,0,0\n", suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, result, _) = try await Self.run(
            ["--data", path, "--batch", "2", "--duration", "0.2", "--warmup", "0", "--json"], service: service)
        #expect(status == 1)
        let errors = try #require(result["errors"] as? Int)
        #expect(errors > 0)
        #expect(errors == 2 * (result["requests"] as? Int ?? -1))
        #expect((result["errors_by_code"] as? [String: Int]) == ["INVALID_ARGUMENT": errors])
        #expect(result["transactions"] as? Int == 0)
    }

    @Test("without --data or --model, all-zero transactions are sent, and a note says so")
    func zeroTransactions() async throws {
        let service = ScoreTestServer(records: false)
        let (status, result, errors) = try await Self.run(
            ["--duration", "0.2", "--warmup", "0", "--json"], service: service)
        #expect(status == 0)
        #expect(try #require(result["requests"] as? Int) > 0)
        #expect(errors.contains("every input 0"))
    }

    @Test(
        "command-line mistakes exit 64",
        arguments: [
            ["bench", "--api", "127.0.0.1:1", "--data", "x", "--model", "y"],
            ["bench", "--api", "127.0.0.1:1", "--data", "x", "--connections", "0"],
            ["bench", "--api", "127.0.0.1:1", "--data", "x", "--duration", "-1"],
            ["bench", "--api", "127.0.0.1:1", "--data", "x", "--batch", "0"],
        ])
    func usageErrors(arguments: [String]) async {
        let capture = CapturedConsole()
        #expect(await SentinelCommandLine.run(arguments, console: capture.console) == 64)
        #expect(capture.standardError.contains("usage: sentinel bench"))
    }
}
