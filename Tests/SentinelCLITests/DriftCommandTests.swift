import Foundation
import SentinelCLI
import SentinelTestSupport
import Testing

/// Small CSV files in a fresh temporary directory, removed when the value is dropped.
final class DriftFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-drift-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` to `name` and returns the path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

/// Runs `sentinel` in-process.
func runSentinel(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
    let capture = CapturedConsole()
    let status = await SentinelCommandLine.run(arguments, console: capture.console)
    return (status, capture.standardOutput, capture.standardError)
}

@Suite("sentinel drift")
struct DriftCommandTests {
    let files: DriftFiles
    let reference: String
    let current: String

    // Hand-checked case, --bins 2. Reference x = 1…10: edge at the 5th order statistic's successor, 6, so the bins
    // are [1, 6) and [6, 10] with proportions 0.5 / 0.5. Current x = 1, 2, 6…11: 2 and 6 values, 0.25 / 0.75.
    //   PSI  = (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5) = 0.274653  → alert (≥ 0.25)
    //   JS   = √(½KL(r‖m) + ½KL(c‖m)) in bits, m = (0.375, 0.625) = 0.220896
    //   binned KS = |0.5 − 0.25| = 0.25; exact KS: max |F_r − F_c| is at x = 5: 5/10 − 2/8 = 0.25
    //   Wasserstein: mid-points 3.5 and 8, |ΔCDF| 0.25 × 4.5 = 1.125, over the population std √8.25 → 0.391675
    //   KS p-value (exact, 10 × 8): 0.898236 (scipy.stats.ks_2samp; the only number not done by hand)
    static let referenceText = "id,x,label\n" + (1...10).map { "\($0),\($0),0" }.joined(separator: "\n") + "\n"
    static let currentText =
        "id,x,label\n" + [1, 2, 6, 7, 8, 9, 10, 11].map { "\($0),\($0),0" }.joined(separator: "\n")

    init() throws {
        files = try DriftFiles()
        reference = try files.write("reference.csv", Self.referenceText)
        current = try files.write("current.csv", Self.currentText)
    }

    func column(_ output: String, _ name: String) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let columns = try #require(object["columns"] as? [[String: Any]])
        return try #require(columns.first { $0["name"] as? String == name })
    }

    @Test("--json gives the hand-computed measures per column")
    func json() async throws {
        let result = await runSentinel([
            "drift", "--reference", reference, "--current", current, "--columns", "x", "--bins", "2", "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let x = try column(result.output, "x")
        let number = { (key: String) in x[key] as? Double ?? .nan }
        #expect(abs(number("psi") - 0.274_653_072_167) < 1e-9)
        #expect(abs(number("js_distance") - 0.220_895_768_849) < 1e-9)
        #expect(number("ks_statistic") == 0.25)
        #expect(number("ks_binned") == 0.25)
        #expect(abs(number("ks_p_value") - 0.898_235_751_177) < 1e-9)
        #expect(abs(number("wasserstein_normed") - 0.391_674_725_900) < 1e-9)
        #expect(x["status"] as? String == "alert")
        #expect(x["reference_count"] as? Int == 10)
        #expect(x["current_count"] as? Int == 8)
        #expect(x["bins"] as? Int == 2)
    }

    @Test("the table names both files, the columns and the drift share; drift alone does not fail the run")
    func table() async throws {
        let result = await runSentinel([
            "drift", "--reference", reference, "--current", current, "--columns", "x", "--bins", "2",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("reference  \(reference): 10 rows"))
        #expect(result.output.contains("current    \(current): 8 rows"))
        let row = try #require(result.output.split(separator: "\n").first { $0.hasPrefix("x ") })
        #expect(row.contains("0.2747"))
        #expect(row.contains("0.2209"))
        #expect(row.hasSuffix("alert"))
        #expect(result.output.contains("drift share: 1/1 columns at warn or alert"))
    }

    @Test(
        "--fail-on sets the exit code from the worst status; --psi-alert moves the alert threshold",
        arguments: [
            (["--fail-on", "alert"], 1),
            (["--fail-on", "warn"], 1),
            (["--fail-on", "alert", "--psi-alert", "0.3"], 0),
            (["--fail-on", "warn", "--psi-warn", "0.28", "--psi-alert", "0.3"], 0),
            ([], 0),
        ] as [([String], Int32)])
    func failOn(options: [String], status: Int32) async throws {
        let result = await runSentinel(
            ["drift", "--reference", reference, "--current", current, "--columns", "x", "--bins", "2"] + options)
        #expect(result.status == status, "\(result.error)")
        if status == 1 {
            #expect(result.error.contains("1 of 1 columns at"))
            #expect(result.error.contains("(x)"))
        }
    }

    @Test("identical files: every measure is zero, the KS p-value is 1, the status ok")
    func identical() async throws {
        let result = await runSentinel([
            "drift", "--reference", reference, "--current", reference, "--columns", "x", "--json", "--fail-on", "warn",
        ])
        #expect(result.status == 0, "\(result.error)")
        let x = try column(result.output, "x")
        for key in ["psi", "js_distance", "ks_statistic", "ks_binned", "wasserstein_normed"] {
            #expect(x[key] as? Double == 0, "\(key)")
        }
        #expect(x["ks_p_value"] as? Double == 1)
        #expect(x["status"] as? String == "ok")
    }

    @Test("without --columns: every shared numeric column, the others listed as skipped with the reason")
    func defaultColumns() async throws {
        let reference = try files.write(
            "wide-reference.csv",
            "TRANSACTION_ID,a,merchant,b,only_reference,TX_DATETIME\n"
                + "1,1.5,shop,7,0,2018-04-01 00:00:01\n2,2.5,cafe,,1,2018-04-01 00:00:02\n"
                + "3,3.5,shop,8,0,2018-04-01 00:00:03\n")
        let current = try files.write(
            "wide-current.csv",
            "b,a,merchant,TRANSACTION_ID,only_current,TX_DATETIME\nx9,1.5,shop,4,1,2018-04-02 00:00:01\n"
                + "7,2.5,bar,5,1,2018-04-02 00:00:02\n")
        let result = await runSentinel(["drift", "--reference", reference, "--current", current, "--json"])
        #expect(result.status == 0, "\(result.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let names = (object["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["a"])
        #expect(result.error.contains("skipped column TRANSACTION_ID: identifier or time column"))
        #expect(result.error.contains("skipped column TX_DATETIME: identifier or time column"))
        #expect(result.error.contains("skipped column merchant: not numeric (\(reference):2: column merchant: 'shop'"))
        #expect(result.error.contains("skipped column b: not numeric (\(current):2: column b: 'x9'"))
        #expect(result.error.contains("skipped column only_reference: only in the reference file"))
        #expect(result.error.contains("skipped column only_current: only in the current file"))
    }

    @Test("a numeric column with one cell that is not a number is an error (exit 1) naming it, not a skipped column")
    func unreadableColumn() async throws {
        let current = try files.write("one-bad-cell.csv", "id,x,label\n1,1,0\n2,oops,0\n3,3,1\n")
        for extra in [[], ["--columns", "x,label"]] {
            let result = await runSentinel(["drift", "--reference", reference, "--current", current] + extra)
            #expect(result.status == 1, "\(extra): \(result.output)")
            #expect(result.error.contains("\(current):3") && result.error.contains("column x"), "\(result.error)")
            #expect(result.output.isEmpty)
        }
    }

    @Test("--html writes one self-contained file: the table and an inline SVG overlay per column, nothing external")
    func htmlReport() async throws {
        let path = files.directory.appendingPathComponent("report.html").path
        let result = await runSentinel([
            "drift", "--reference", reference, "--current", current, "--columns", "x,label", "--bins", "2", "--html",
            path,
        ])
        #expect(result.status == 0, "\(result.error)")
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!doctype html>") && html.hasSuffix("</html>\n"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(html.contains("id=\"c-x\"") && html.contains("<polyline"))
        #expect(html.contains("0.2747"))  // x's PSI, as in the table test above.
        // Nothing to load: no script, no source, no link out; the only URL is the SVG namespace.
        #expect(!html.contains("<script") && !html.contains("src="))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        let unwritable = await runSentinel([
            "drift", "--reference", reference, "--current", current, "--html", "/nonexistent-dir/report.html",
        ])
        #expect(unwritable.status == 1 && unwritable.error.contains("cannot write the HTML report"))
    }

    @Test("empty fields are missing values: counted, left out of the measures")
    func missingValues() async throws {
        let withComma = try files.write("holes.csv", "x,y\n1,\n,\n2,\n3,\n")
        let result = await runSentinel([
            "drift", "--reference", reference, "--current", withComma, "--columns", "x", "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let x = try column(result.output, "x")
        #expect(x["current_count"] as? Int == 3)
        #expect(x["current_missing"] as? Int == 1)
        #expect(x["reference_missing"] as? Int == 0)
    }

    @Test(
        "bad command lines exit 64 with the reason and the usage",
        arguments: [
            (["--columns", "x,x"], "--columns names 'x' twice"),
            (["--columns", "x,"], "--columns has an empty name"),
            (["--bins", "1"], "--bins must be at least 2"),
            (["--bins", "ten"], "invalid value for --bins: 'ten'"),
            (["--fail-on", "sometimes"], "--fail-on must be warn or alert"),
            (["--psi-warn", "0.3", "--psi-alert", "0.2"], "thresholds need 0 ≤ warn ≤ alert"),
            (["--psi-warn", "-1"], "thresholds need 0 ≤ warn ≤ alert"),
            (["--frobnicate"], "unknown option '--frobnicate'"),
        ] as [([String], String)])
    func usageErrors(options: [String], message: String) async throws {
        let result = await runSentinel(["drift", "--reference", reference, "--current", current] + options)
        #expect(result.status == 64)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.error.contains("usage: sentinel drift"))
        #expect(result.output.isEmpty)
    }

    @Test("both sides on standard input, or a side missing, is a usage error")
    func usageErrorsOnFiles() async throws {
        let both = await runSentinel(["drift", "--reference", "-", "--current", "-"])
        #expect(both.status == 64)
        #expect(both.error.contains("only one of --reference and --current can be -"))
        let missing = await runSentinel(["drift", "--reference", reference])
        #expect(missing.status == 64)
        #expect(missing.error.contains("missing --current"))
    }

    @Test("bad files fail with exit 1 and an error naming the file, column or line")
    func badFiles() async throws {
        let empty = try files.write("empty.csv", "")
        let headerOnly = try files.write("header-only.csv", "id,x,label\n")
        let text = try files.write("text.csv", "id,x,label\n1,2,0\n2,abc,0\n")
        let allEmpty = try files.write("all-empty.csv", "id,x,label\n1,,0\n2,,0\n")
        let other = try files.write("other.csv", "name,city\nann,paris\n")
        let cases: [([String], String)] = [
            (["--current", current, "--columns", "nope"], "\(reference):1: no column named 'nope'"),
            (["--current", text, "--columns", "x"], "\(text):3: column x: 'abc' is not a number"),
            (["--current", empty], "\(empty): the file is empty (no header line)"),
            (["--current", headerOnly, "--columns", "x"], "the current file \(headerOnly) has a header but no rows"),
            (["--current", headerOnly], "the current file \(headerOnly) has a header but no rows"),
            (["--current", allEmpty, "--columns", "x"], "column x has no values in current \(allEmpty)"),
            (["--current", other], "have no numeric column in common"),
            (["--current", files.directory.appendingPathComponent("absent.csv").path], "absent.csv"),
        ]
        for (options, message) in cases {
            let result = await runSentinel(["drift", "--reference", reference] + options)
            #expect(result.status == 1, "\(options)")
            #expect(result.error.contains(message), "\(options): \(result.error)")
            #expect(result.output.isEmpty, "\(options)")
        }
    }

    @Test("a column with no values on one side is skipped in the default choice, and said so")
    func emptyColumnSkipped() async throws {
        let allEmpty = try files.write("x-empty.csv", "id,x,label\n1,,0\n2,,1\n")
        let result = await runSentinel(["drift", "--reference", reference, "--current", allEmpty, "--json"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("skipped column x: no values in the current file"))
        #expect(try column(result.output, "label")["current_count"] as? Int == 2)
    }

    @Test("sentinel --help lists the verb; sentinel drift --help documents --fail-on and the exit codes")
    func help() async throws {
        let overview = await runSentinel(["--help"])
        #expect(overview.output.contains("drift "))
        let help = await runSentinel(["drift", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--fail-on LEVEL"))
        #expect(help.output.contains("exit 1 when any column is at LEVEL"))
    }
}
