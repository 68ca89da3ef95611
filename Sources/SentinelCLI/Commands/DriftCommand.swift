import Foundation
import SentinelArguments
import SentinelData
import SentinelDrift

/// `sentinel drift`: the offline drift report between a reference and a current CSV file, for batch checks
/// and CI pipelines (`--fail-on alert` makes drift fail the job).
enum DriftCommand {
    /// Default quantile bins per column; chosen on the ULB Amount split (benchmarks/RESULTS.md, "Bins on the ULB
    /// Amount split").
    static let defaultBins = 20

    /// Columns left out of the default choice: the ones SentinelData never treats as model inputs (identifiers,
    /// date-times and capture clocks), which differ between any two files by construction.
    static let notInputs: Set<String> = [
        "TRANSACTION_ID", "CUSTOMER_ID", "TERMINAL_ID", "TX_DATETIME", "TX_TIME_SECONDS", "TX_TIME_DAYS",
        "TX_FRAUD_SCENARIO", "Time",
    ]

    static let command = Command(
        words: ["drift"],
        summary: "drift report between two CSV files (PSI, JS, KS, Wasserstein per column)",
        usage: "sentinel drift --reference FILE --current FILE [--columns A,B] [--bins N] [--json] [--html FILE] "
            + "[--psi-warn X] [--psi-alert Y] [--fail-on warn|alert]",
        details: """
              --reference FILE   the reference sample (e.g. training data): CSV, plain or gzip-compressed, or -
              --current FILE     the sample to check, same formats; at most one of the two can be - (stdin)
              --columns A,B      columns to compare (default: every numeric column both files have, except
                                 identifier and time columns; skipped columns are listed on stderr)
              --bins N           quantile bins of the reference per column (default 20; fewer when values repeat)
              --json             print one JSON object: per column psi, js_distance, ks_statistic, ks_p_value,
                                 ks_binned, wasserstein_normed, status, counts; drift_share, alert_share
              --html FILE        also write the report as one self-contained HTML file (inline SVG overlays of
                                 every column and the table; no script, nothing loaded from the network)
              --psi-warn X       PSI at or above which a column is warn (default 0.1)
              --psi-alert Y      PSI at or above which a column is alert (default 0.25)
              --fail-on LEVEL    exit 1 when any column is at LEVEL (warn or alert) or above; without it the
                                 exit code is 0 whatever the drift (1 for a bad file, 64 for a bad command line)
            """
    ) { arguments, console in
        let referencePath = try arguments.required("--reference")
        let currentPath = try arguments.required("--current")
        let columnList = try arguments.option("--columns")
        let bins = try arguments.option("--bins", as: Int.self) ?? defaultBins
        let json = arguments.flag("--json")
        let htmlPath = try arguments.option("--html")
        let psiWarn = try arguments.option("--psi-warn", as: Double.self) ?? DriftThresholds().warn
        let psiAlert = try arguments.option("--psi-alert", as: Double.self) ?? DriftThresholds().alert
        let failOn = try arguments.option("--fail-on").map(parseLevel)
        try arguments.finish()
        guard referencePath != "-" || currentPath != "-" else {
            throw UsageError("only one of --reference and --current can be - (standard input)")
        }
        guard bins >= 2 else { throw UsageError("--bins must be at least 2, got \(bins)") }
        let thresholds = DriftThresholds(metric: .psi, warn: psiWarn, alert: psiAlert)
        do {
            try thresholds.validate()
        } catch let error as DriftError {
            throw UsageError("--psi-warn/--psi-alert: \(error.message)")
        }
        let requested = try columnList.map(parseColumns)

        let reference = try Input(path: referencePath, role: "reference")
        let current = try Input(path: currentPath, role: "current")
        let selection = try select(requested: requested, reference: reference, current: current)
        for skip in selection.skipped { console.printError("skipped column \(skip.column): \(skip.reason)") }

        let report = try DriftReport(
            columns: selection.columns, reference: selection.reference, current: selection.current,
            options: DriftReport.Options(bins: bins, thresholds: thresholds))
        if let htmlPath {
            let html = report.renderHTML(
                title: "Sentinel drift report",
                subtitle: "reference \(reference.name) (\(selection.referenceRows) rows) vs current \(current.name) "
                    + "(\(selection.currentRows) rows)")
            do {
                try Data(html.utf8).write(to: URL(fileURLWithPath: htmlPath))
            } catch {
                console.printError("error: cannot write the HTML report \(htmlPath): \(error.localizedDescription)")
                return ExitCode.failure
            }
        }
        if json {
            console.print(String(report.renderJSON().dropLast()))
        } else {
            console.print("reference  \(reference.name): \(selection.referenceRows) rows")
            console.print("current    \(current.name): \(selection.currentRows) rows")
            console.print(String(report.renderTable().dropLast()))
        }
        if let failOn {
            let failing = report.columns.filter { $0.status >= failOn }
            if !failing.isEmpty {
                console.printError(
                    "drift: \(failing.count) of \(report.columns.count) columns at \(failOn) or above ("
                        + failing.map(\.name).joined(separator: ", ") + "); failing as --fail-on \(failOn) asks")
                return ExitCode.failure
            }
        }
        return ExitCode.success
    }

    /// One column left out of the default choice, and why.
    struct Skip: Equatable {
        var column: String
        var reason: String
    }

    /// The columns to compare and their values on both sides.
    struct Selection {
        var columns: [String]
        var reference: [[Double]]
        var current: [[Double]]
        var referenceRows: Int
        var currentRows: Int
        var skipped: [Skip]
    }

    /// Chooses the columns and reads them. Named columns must exist and be numeric in both files (a
    /// `DataError` otherwise); without names, every shared numeric column except identifiers and clocks is
    /// taken and the rest reported as skipped.
    static func select(requested: [String]?, reference: Input, current: Input) throws -> Selection {
        var skipped: [Skip] = []
        let referenceValues: [[Double]]
        let currentValues: [[Double]]
        var columns: [String]
        if let requested {
            columns = requested
            referenceValues = try reference.read(columns)
            currentValues = try current.read(columns)
        } else {
            let referenceHeader = try reference.header()
            let currentHeader = try current.header()
            let currentNames = Set(currentHeader)
            let referenceNames = Set(referenceHeader)
            var candidates: [String] = []
            for name in referenceHeader {
                if !currentNames.contains(name) {
                    skipped.append(Skip(column: name, reason: "only in the reference file"))
                } else if notInputs.contains(name) {
                    skipped.append(
                        Skip(column: name, reason: "identifier or time column (name it in --columns to compare it)"))
                } else {
                    candidates.append(name)
                }
            }
            for name in currentHeader where !referenceNames.contains(name) {
                skipped.append(Skip(column: name, reason: "only in the current file"))
            }
            var referenceRead = try reference.readNumeric(candidates, skipped: &skipped)
            let currentRead = try current.readNumeric(referenceRead.columns, skipped: &skipped)
            // A column the current file rejected was read from the reference already: keep only the survivors.
            let kept = Set(currentRead.columns)
            referenceRead.values = zip(referenceRead.columns, referenceRead.values).filter { kept.contains($0.0) }
                .map(\.1)
            columns = currentRead.columns
            referenceValues = referenceRead.values
            currentValues = currentRead.values
        }
        let referenceRows = referenceValues.first?.count ?? 0
        let currentRows = currentValues.first?.count ?? 0
        if !columns.isEmpty {
            guard referenceRows > 0 else { throw noRows(reference) }
            guard currentRows > 0 else { throw noRows(current) }
        }
        var keptReference: [[Double]] = []
        var keptCurrent: [[Double]] = []
        var keptColumns: [String] = []
        for (index, name) in columns.enumerated() {
            let side: Input? =
                !referenceValues[index].contains(where: { !$0.isNaN })
                ? reference : !currentValues[index].contains(where: { !$0.isNaN }) ? current : nil
            if let side {
                guard requested == nil else {
                    throw DriftError(
                        .emptySample, "column \(name) has no values in \(side.role) \(side.name)")
                }
                skipped.append(Skip(column: name, reason: "no values in the \(side.role) file"))
                continue
            }
            keptColumns.append(name)
            keptReference.append(referenceValues[index])
            keptCurrent.append(currentValues[index])
        }
        guard !keptColumns.isEmpty else {
            throw DriftError(
                .unknownColumn,
                "\(reference.name) and \(current.name) have no numeric column in common to compare"
                    + (skipped.isEmpty ? "" : " (\(skipped.count) skipped: see above)"))
        }
        return Selection(
            columns: keptColumns, reference: keptReference, current: keptCurrent, referenceRows: referenceRows,
            currentRows: currentRows, skipped: skipped)
    }

    /// Parses `--columns A,B`.
    /// - Throws: `UsageError` for an empty or repeated name.
    static func parseColumns(_ text: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var seen: Set<String> = []
        for name in names {
            guard !name.isEmpty else { throw UsageError("--columns has an empty name: '\(text)'") }
            guard seen.insert(name).inserted else { throw UsageError("--columns names '\(name)' twice") }
        }
        return names
    }

    /// Parses `--fail-on warn|alert`.
    /// - Throws: `UsageError` for any other value.
    static func parseLevel(_ text: String) throws -> DriftLevel {
        switch text {
        case "warn": .warn
        case "alert": .alert
        default: throw UsageError("--fail-on must be warn or alert, got '\(text)'")
        }
    }

    private static func noRows(_ input: Input) -> DriftError {
        DriftError(.emptySample, "the \(input.role) file \(input.name) has a header but no rows")
    }
}
