import Foundation
import SentinelLock
import SentinelMonitor
import SentinelTestSupport
import Synchronization
import Testing

/// Renders the dashboard in headless Chromium at 1440×900 and 390×844 against a server fed with fixture snapshots;
/// skipped without Chromium (`apt-get install -y chromium`). Screenshots at both sizes go to a temporary directory,
/// or to `SENTINEL_DASHBOARD_SCREENSHOTS` when set.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    @Test(
        "The rendered DOM holds the drift rows (Amount first), the alerts and the charts",
        .enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install -y chromium)"))
    func renderedDOM() async throws {
        let calls = Lock(0)
        let dashboard = Dashboard(metrics: nil) { _ in
            // Each poll sees one more closed window, as a live monitor would.
            let step = calls.withLock { count in
                defer { count += 1 }
                return min(count, 4)
            }
            return DashboardFixture.snapshot(step: step)
        }
        try await withDashboardServer(dashboard) { port in
            let url = "http://127.0.0.1:\(port)/"
            let dom = try await Chromium.dumpDOM(url, size: "1440,900")
            let rows = try rowNames(dom, table: "drift")
            #expect(rows.first == "Amount")
            #expect(rows.count == DashboardFixture.features.count + 1)
            #expect(rows.last == "score")
            #expect(Set(rows) == Set(DashboardFixture.features + ["score"]))
            #expect(dom.contains("drift in Amount"))
            #expect(dom.contains("gbdt-2026-11-28"))
            #expect(dom.contains("412,388"))
            #expect(dom.contains("<polygon"))  // The flag rate's confidence band.
            #expect(dom.contains("● live"))
            // Latency in the unit that keeps its digits (p99 611 µs), never "0.00 ms"; the axis names its unit.
            #expect(dom.contains("611 µs") && !dom.contains("0.00 ms"))
            #expect(dom.contains("<span id=\"lat-unit\">ms</span>"))
            // Every figure names its window: the last closed one; the open one only as "in progress".
            #expect(dom.contains("window 06:1") && dom.contains("in progress since 06:1"))
            // The Amount and score overlays: ten training bins and a live series each.
            #expect(occurrences(of: "<rect class=\"ref\"", in: dom) == 20)
            #expect(occurrences(of: "<path class=\"live\"", in: dom) == 2)
            #expect(dom.contains("Amount · window 06:1"))
            #expect(dom.contains("data-overflow-x=\"false\""))
            // Precision and recall per day and for all kept days; intervals only on the partially labelled day.
            #expect(dom.contains("<td>0.867</td>"), "2026-11-27 is fully labelled: 52/60, exact")
            #expect(dom.contains("0.818 <span class=\"ci\">"), "2026-11-28: 18/22 with its Wilson interval")
            #expect(dom.contains("<td>all kept</td>"))
            #expect(dom.contains("95 % Wilson interval from the labelled counts"))
            // A phone: one column, alerts first, nothing scrolls sideways.
            let phone = try await Chromium.dumpDOM(url, size: "390,844")
            #expect(phone.contains("data-overflow-x=\"false\""), "the page scrolls sideways at 390 px")
            // Screenshots at both sizes, in a temporary directory (or SENTINEL_DASHBOARD_SCREENSHOTS).
            let directory = try Chromium.screenshotDirectory("sentinel-dashboard")
            for (name, size) in [
                ("dashboard-fixture-1440x900.png", "1440,900"), ("dashboard-fixture-390x844.png", "390,844"),
            ] {
                calls.withLock { $0 = 0 }
                let path = "\(directory)/\(name)"
                try await Chromium.screenshot(url, size: size, to: path)
                #expect(FileManager.default.fileExists(atPath: path), "no screenshot at \(path)")
            }
        }
    }

    private func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The first cell of each row of a table's body, in order.
    private func rowNames(_ dom: String, table: String) throws -> [String] {
        let start = try #require(dom.range(of: "<table id=\"\(table)\">"))
        let end = try #require(dom.range(of: "</table>", range: start.upperBound..<dom.endIndex))
        let body = dom[start.upperBound..<end.lowerBound]
        var names: [String] = []
        var cursor = body.startIndex
        while let row = body.range(of: "<tr class=\"", range: cursor..<body.endIndex),
            let cell = body.range(of: "<td>", range: row.upperBound..<body.endIndex),
            let close = body.range(of: "</td>", range: cell.upperBound..<body.endIndex)
        {
            names.append(String(body[cell.upperBound..<close.lowerBound]))
            cursor = close.upperBound
        }
        return names
    }
}
