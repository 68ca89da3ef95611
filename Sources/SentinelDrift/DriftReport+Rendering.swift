import Foundation

extension DriftReport {
    /// A fixed-width table, one row per column, then the drift share.
    ///
    /// Columns: name, reference and current counts, bins, PSI, JS distance, binned KS, exact KS statistic
    /// and p-value, normalised Wasserstein, status.
    /// - Returns: The table, ending with a newline.
    public func renderTable() -> String {
        let header = [
            "column", "ref n", "cur n", "bins", "psi", "js", "ks_binned", "ks", "ks_p", "wass_norm", "status",
        ]
        var rows: [[String]] = [header]
        for column in columns {
            rows.append([
                column.name,
                String(column.referenceCount),
                String(column.currentCount),
                String(column.profile.binCount),
                Self.fixed(column.statistics.psi),
                Self.fixed(column.statistics.jsDistance),
                Self.fixed(column.statistics.ksStatistic),
                Self.fixed(column.ks.statistic),
                Self.scientific(column.ks.pValue),
                Self.fixed(column.statistics.wassersteinNormed),
                column.status.description,
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = Swift.max(widths[index], cell.count) }
        }
        var text = ""
        for row in rows {
            var line = ""
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                // Names left-aligned, numbers right-aligned.
                line += index == 0 ? cell + padding : padding + cell
                if index + 1 < row.count { line += "  " }
            }
            text += line + "\n"
        }
        let drifting = columns.count { $0.status >= .warn }
        text += "drift share: \(drifting)/\(columns.count) columns at warn or alert "
        text += "(\(options.thresholds.metric.rawValue) warn ≥ \(options.thresholds.warn), "
        text += "alert ≥ \(options.thresholds.alert))\n"
        text += "dataset: \(datasetLevel.description) (\(DatasetDrift.description))\n"
        return text
    }

    /// The report as JSON: `columns` (per column `name`, `psi`, `js_distance`, `ks_statistic`
    /// (exact), `ks_binned`, `ks_p_value`, `ks_method`, `wasserstein_normed`, `status`, counts and bins),
    /// `drift_share`, `alert_share`, `dataset_status` (``DatasetDrift``) and the thresholds.
    /// - Returns: Pretty-printed JSON with sorted keys, ending with a newline.
    public func renderJSON() -> String {
        let document = JSONReport(
            columns: columns.map { column in
                JSONReport.Column(
                    name: column.name,
                    psi: column.statistics.psi,
                    jsDistance: column.statistics.jsDistance,
                    ksStatistic: column.ks.statistic,
                    ksBinned: column.statistics.ksStatistic,
                    ksPValue: column.ks.pValue,
                    ksMethod: column.ks.method.rawValue,
                    wassersteinNormed: column.statistics.wassersteinNormed,
                    status: column.status.description,
                    bins: column.profile.binCount,
                    referenceCount: column.referenceCount,
                    currentCount: column.currentCount,
                    referenceMissing: column.referenceMissing,
                    currentMissing: column.currentMissing
                )
            },
            driftShare: driftShare,
            alertShare: alertShare,
            datasetStatus: datasetLevel.description,
            thresholds: .init(
                metric: options.thresholds.metric.rawValue, warn: options.thresholds.warn,
                alert: options.thresholds.alert)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every value is finite by construction; the strategy only guards against a surprise.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(document), let text = String(data: data, encoding: .utf8) else {
            preconditionFailure("encoding a drift report cannot fail")
        }
        return text + "\n"
    }

    private static func fixed(_ value: Double) -> String {
        String(format: "%.4f", value)
    }

    private static func scientific(_ value: Double) -> String {
        String(format: "%.3g", value)
    }
}

private struct JSONReport: Encodable {
    struct Column: Encodable {
        var name: String
        var psi: Double
        var jsDistance: Double
        var ksStatistic: Double
        var ksBinned: Double
        var ksPValue: Double
        var ksMethod: String
        var wassersteinNormed: Double
        var status: String
        var bins: Int
        var referenceCount: Int
        var currentCount: Int
        var referenceMissing: Int
        var currentMissing: Int
    }

    struct Thresholds: Encodable {
        var metric: String
        var warn: Double
        var alert: Double
    }

    var columns: [Column]
    var driftShare: Double
    var alertShare: Double
    /// The files' level by the ``DatasetDrift`` rule.
    var datasetStatus: String
    var thresholds: Thresholds
}
