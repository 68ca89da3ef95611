import Foundation
import SentinelCLI
import SentinelTestSupport
import Testing

/// The progress bars of evaluate, drift and bench, as the verbs draw them: on a terminal one bar per phase and a
/// final line per phase saying what happened; nothing when standard error is not a terminal, or with `--quiet` or
/// `--json`.
@Suite("Progress bars of evaluate, drift and bench", .serialized)
struct ProgressLinesTests {
    /// Runs `sentinel` in-process with standard error as a terminal or not.
    static func run(_ arguments: [String], terminal: Bool) async -> (status: Int32, output: String, error: String) {
        let capture = CapturedConsole(errorIsTerminal: terminal)
        let status = await SentinelCommandLine.run(arguments, console: capture.console)
        return (status, capture.standardOutput, capture.standardError)
    }

    /// The final lines: what is left on the terminal once the bars are redrawn over (`\r` … `ESC[K`).
    static func finalLines(_ error: String) -> [String] {
        error.split(separator: "\n").map { line in
            String(line.split(separator: "\r").last ?? "").replacingOccurrences(of: "\u{1B}[K", with: "")
        }
    }

    @Test("evaluate: loading and scoring bars, each replaced by a line saying what happened")
    func evaluate() async throws {
        let directory = try ModelCommandFixtures.directory()
        let data = directory.appendingPathComponent("transactions.csv").path
        let model = directory.appendingPathComponent("progress.sentinel").path
        let trained = await Self.run(
            [
                "train", "--data", data, "--from", "2018-07-01", "--to", "2018-07-07", "--algorithm", "logistic",
                "--out", model, "--quiet",
            ], terminal: false)
        #expect(trained.status == 0, "\(trained.error)")
        let arguments = ["evaluate", "--model", model, "--data", data, "--from", "2018-07-15", "--to", "2018-07-21"]

        let shown = await Self.run(arguments, terminal: true)
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.error.contains("\rloading \(data)  ["), "\(shown.error.debugDescription)")
        #expect(shown.error.contains("\rscoring  ["), "\(shown.error.debugDescription)")
        let lines = Self.finalLines(shown.error)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("loaded ") == true && lines.first?.contains(" rows from \(data) ") == true)
        #expect(lines.first?.contains("(2018-07-01 .. 2018-07-21) in ") == true, "\(lines)")
        let rows = try #require(shown.output.split(separator: "\n").first { $0.hasPrefix("rows ") })
        let testRows = try #require(rows.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first)
        #expect(lines.last?.hasPrefix("scored \(testRows) test rows in ") == true, "\(lines) vs \(rows)")

        for (flags, terminal) in [([String](), false), (["--quiet"], true), (["--json"], true)] {
            let hidden = await Self.run(arguments + flags, terminal: terminal)
            #expect(hidden.status == 0)
            #expect(hidden.error.isEmpty, "\(flags) terminal \(terminal): \(hidden.error.debugDescription)")
        }
    }

    @Test("drift: reading and comparing bars, each replaced by a line saying what happened")
    func drift() async throws {
        let files = try DriftFiles()
        let reference = try files.write("reference.csv", DriftCommandTests.referenceText)
        let current = try files.write("current.csv", DriftCommandTests.currentText)
        let arguments = ["drift", "--reference", reference, "--current", current, "--columns", "x", "--bins", "2"]

        let shown = await Self.run(arguments, terminal: true)
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.error.contains("\rreading  ["), "\(shown.error.debugDescription)")
        #expect(shown.error.contains("\rcomparing  ["), "\(shown.error.debugDescription)")
        let lines = Self.finalLines(shown.error)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("read 10 reference and 8 current rows in ") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("compared 1 columns in ") == true, "\(lines)")
        #expect(lines.last?.hasSuffix(": 0 at warn, 1 at alert") == true, "\(lines)")

        for (flags, terminal) in [([String](), false), (["--quiet"], true), (["--json"], true)] {
            let hidden = await Self.run(arguments + flags, terminal: terminal)
            #expect(hidden.status == 0)
            #expect(hidden.error.isEmpty, "\(flags) terminal \(terminal): \(hidden.error.debugDescription)")
        }
    }

    @Test("bench: warm-up and measurement bars timed by the clock, with the requests answered; a final line each")
    func bench() async throws {
        let service = ScoreTestServer(records: false)
        let path = try ScoreTestFiles.write(ScoreTestFiles.csv(), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func bench(_ flags: [String], terminal: Bool) async throws -> (status: Int32, output: String, error: String) {
            let capture = CapturedConsole(errorIsTerminal: terminal)
            let status = try await service.serve { api in
                await SentinelCommandLine.run(
                    ["bench", "--api", api, "--data", path, "--duration", "0.3", "--warmup", "0.2"] + flags,
                    console: capture.console)
            }
            return (status, capture.standardOutput, capture.standardError)
        }

        let shown = try await bench([], terminal: true)
        #expect(shown.status == 0, "\(shown.error)")
        #expect(shown.error.contains("\rwarming up  ["), "\(shown.error.debugDescription)")
        #expect(shown.error.contains("\rmeasuring  ["), "\(shown.error.debugDescription)")
        #expect(shown.error.contains(" requests  "), "the count is of requests: \(shown.error.debugDescription)")
        #expect(shown.error.contains("  ETA "), "\(shown.error.debugDescription)")
        let lines = Self.finalLines(shown.error)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("warming up: ") == true && lines.first?.contains(" requests in ") == true)
        let measured = try #require(lines.last)
        #expect(measured.hasPrefix("measured 0.3 s: "), "\(measured)")
        #expect(measured.hasSuffix(" transactions scored, 0 not scored"), "\(measured)")
        // The final line's count is the summary's.
        let requests = try #require(measured.split(separator: " ").dropFirst(3).first)
        #expect(shown.output.contains("(\(requests) requests)"), "\(measured) vs \(shown.output)")

        for (flags, terminal) in [([String](), false), (["--quiet"], true), (["--json"], true)] {
            let hidden = try await bench(flags, terminal: terminal)
            #expect(hidden.status == 0)
            #expect(hidden.error.isEmpty, "\(flags) terminal \(terminal): \(hidden.error.debugDescription)")
        }
    }
}
