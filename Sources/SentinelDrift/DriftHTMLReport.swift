import Foundation

/// A drift report as one self-contained HTML file: a table of every column's statistics, then each column's
/// overlay (training shares per training-quantile bin against the current window's shares) as inline SVG. No
/// script, no style sheet, nothing loaded from anywhere: it opens offline and can be attached to a ticket.
///
/// `sentinel drift --html` renders it from a ``DriftReport``; the monitor's page links one rendered from its last
/// closed window.
///
/// ```swift
/// let html = DriftHTMLReport(title: "Drift", subtitle: "train.csv vs today.csv", columns: columns).render()
/// ```
public struct DriftHTMLReport: Sendable {
    /// One column: its bins, both histograms and its statistics.
    public struct Column: Sendable {
        /// The column's name.
        public var name: String
        /// Interior bin edges, increasing (the reference's quantiles).
        public var edges: [Double]
        /// The reference's share in each bin (`edges.count + 1`).
        public var referenceShares: [Double]
        /// Non-missing reference values.
        public var referenceCount: Int
        /// The current values in each bin.
        public var currentCounts: [Int]
        /// The statistics; `nil` when the current side has no value.
        public var statistics: DriftStatistics?
        /// The status.
        public var status: DriftLevel?

        /// Creates a column.
        public init(
            name: String, edges: [Double], referenceShares: [Double], referenceCount: Int, currentCounts: [Int],
            statistics: DriftStatistics?, status: DriftLevel?
        ) {
            self.name = name
            self.edges = edges
            self.referenceShares = referenceShares
            self.referenceCount = referenceCount
            self.currentCounts = currentCounts
            self.statistics = statistics
            self.status = status
        }
    }

    /// The heading.
    public var title: String
    /// What is compared with what, and when.
    public var subtitle: String
    /// The columns, in the order shown.
    public var columns: [Column]
    /// The thresholds, for the legend.
    public var thresholds: DriftThresholds

    /// Creates a report.
    public init(title: String, subtitle: String, columns: [Column], thresholds: DriftThresholds = DriftThresholds()) {
        self.title = title
        self.subtitle = subtitle
        self.columns = columns
        self.thresholds = thresholds
    }

    /// The HTML document.
    public func render() -> String {
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, \
            initial-scale=1"><title>\(Self.escape(title))</title></head>
            <body style="font:14px/1.4 system-ui,sans-serif;margin:20px;color:#1f2328">
            <h1 style="font-size:20px">\(Self.escape(title))</h1><p>\(Self.escape(subtitle))</p>
            <p>\(thresholds.metric.rawValue) warn ≥ \(thresholds.warn), alert ≥ \(thresholds.alert). Bins are the \
            training quantiles, drawn equally wide; grey bars are the training shares, the blue line the current \
            shares.</p>
            <table style="border-collapse:collapse;font-variant-numeric:tabular-nums">
            <tr><th align="left">column</th><th>n</th><th>PSI</th><th>JS</th><th>KS</th><th>W</th><th>status</th></tr>

            """
        for column in columns {
            let statistics = column.statistics
            let cells = [
                statistics?.psi, statistics?.jsDistance, statistics?.ksStatistic, statistics?.wassersteinNormed,
            ].map { $0.map { String(format: "%.4f", $0) } ?? "–" }
            html += "<tr><td><a href=\"#c-\(Self.anchor(column.name))\">\(Self.escape(column.name))</a></td>"
            html += "<td align=\"right\">\(column.currentCounts.reduce(0, +))</td>"
            html += cells.map { "<td align=\"right\" style=\"padding:0 8px\">\($0)</td>" }.joined()
            html += "<td>\(column.status.map { $0.description } ?? "–")</td></tr>\n"
        }
        html += "</table>\n"
        for column in columns {
            html += "<h2 id=\"c-\(Self.anchor(column.name))\" style=\"font-size:15px;margin-top:24px\">"
            html += "\(Self.escape(column.name))</h2>\n\(Self.overlay(column))\n"
        }
        html += "</body></html>\n"
        return html
    }

    /// The overlay of one column as an SVG element.
    static func overlay(_ column: Column) -> String {
        let (width, height, left, right, top, bottom) = (560.0, 220.0, 48.0, 10.0, 10.0, 34.0)
        let live = column.currentCounts.reduce(0, +)
        let shares = column.currentCounts.map { live > 0 ? Double($0) / Double(live) : 0 }
        let highest = Swift.max(column.referenceShares.max() ?? 0, shares.max() ?? 0, 1e-9) * 1.1
        let bins = Double(Swift.max(1, column.referenceShares.count))
        let barWidth = (width - left - right) / bins
        func y(_ value: Double) -> Double { top + (height - top - bottom) * (1 - value / highest) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"560\" height=\"220\" viewBox=\"0 0 560 220\">"
        for step in 0...4 {
            let value = highest * Double(step) / 4
            svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\(Self.attribute(y(value))) "
            svg += "y2=\(Self.attribute(y(value))) stroke=\"#eaeef2\"/>"
            svg += "<text x=\"\(left - 6)\" y=\(Self.attribute(y(value) + 4)) text-anchor=\"end\" font-size=\"11\" "
            svg += "fill=\"#59636e\">\(String(format: value < 0.1 ? "%.1f" : "%.0f", value * 100)) %</text>"
        }
        for (index, share) in column.referenceShares.enumerated() {
            svg += "<rect x=\(Self.attribute(left + Double(index) * barWidth + 1)) y=\(Self.attribute(y(share))) "
            svg += "width=\(Self.attribute(Swift.max(1, barWidth - 2))) height=\(Self.attribute(y(0) - y(share))) "
            svg += "fill=\"#c9d1d9\"/>"
        }
        if live > 0 {
            let points = shares.enumerated().map { index, share in
                "\(Self.number(left + (Double(index) + 0.5) * barWidth)),\(Self.number(y(share)))"
            }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#0969da\" "
            svg += "stroke-width=\"2\"/>"
        }
        let every = Swift.max(1, (column.edges.count + 7) / 8)
        for (index, edge) in column.edges.enumerated() where index % every == 0 {
            svg += "<text x=\(Self.attribute(left + Double(index + 1) * barWidth)) y=\"\(height - 18)\" "
            svg += "text-anchor=\"middle\" font-size=\"11\" fill=\"#59636e\">\(Self.short(edge))</text>"
        }
        svg += "<text x=\"\((width + left) / 2)\" y=\"\(height - 3)\" text-anchor=\"middle\" font-size=\"11\" "
        svg += "fill=\"#59636e\">\(live) current values · \(column.referenceCount) training values</text></svg>"
        return svg
    }

    private static func number(_ value: Double) -> String { String(format: "%.1f", value) }
    private static func attribute(_ value: Double) -> String { "\"\(number(value))\"" }

    private static func short(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1e6 { return String(format: "%.1fM", value / 1e6) }
        if magnitude >= 1e3 { return String(format: "%.1fk", value / 1e3) }
        if magnitude >= 10 { return String(format: "%.0f", value) }
        return String(format: magnitude >= 1 ? "%.1f" : "%.2f", value)
    }

    /// Text safe in HTML content and attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func anchor(_ name: String) -> String {
        String(name.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" })
    }
}

extension DriftReport {
    /// The report as one self-contained HTML file (see ``DriftHTMLReport``).
    /// - Parameters:
    ///   - title: The heading.
    ///   - subtitle: What is compared with what.
    public func renderHTML(title: String, subtitle: String) -> String {
        DriftHTMLReport(
            title: title, subtitle: subtitle,
            columns: columns.map { column in
                DriftHTMLReport.Column(
                    name: column.name, edges: column.profile.edges, referenceShares: column.profile.proportions,
                    referenceCount: column.referenceCount, currentCounts: column.currentCounts,
                    statistics: column.statistics, status: column.status)
            },
            thresholds: options.thresholds
        ).render()
    }
}
