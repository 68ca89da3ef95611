import Foundation
import SentinelLock
import SentinelMonitor
import Synchronization
import Testing

/// Renders the dashboard in headless Chromium against a server fed with fixture snapshots; skipped without
/// Chromium (`apt-get install -y chromium`). Set `SENTINEL_DASHBOARD_SCREENSHOT=/path.png` to also save a
/// screenshot (`SENTINEL_DASHBOARD_SIZE=W,H`, default 1280,900).
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(
        "The rendered DOM holds the drift rows (Amount first), the alerts and the charts",
        .enabled(if: chromium != nil, "chromium is not installed"))
    func renderedDOM() async throws {
        let chromium = try #require(Self.chromium)
        let calls = Lock(0)
        let dashboard = Dashboard(metrics: nil) {
            // Each poll sees one more closed window, as a live monitor would.
            let step = calls.withLock { count in
                defer { count += 1 }
                return min(count, 4)
            }
            return DashboardFixture.snapshot(step: step)
        }
        try await withDashboardServer(dashboard) { port in
            let url = "http://127.0.0.1:\(port)/"
            let dom = try await run(
                chromium, Self.flags + ["--virtual-time-budget=8000", "--dump-dom", url])
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
            // The fixture's window is the current one (41 s in, with events), and the page says so.
            #expect(dom.contains("current window since 06:1"))
            if let path = ProcessInfo.processInfo.environment["SENTINEL_DASHBOARD_SCREENSHOT"] {
                calls.withLock { $0 = 0 }
                let size = ProcessInfo.processInfo.environment["SENTINEL_DASHBOARD_SIZE"] ?? "1280,900"
                _ = try await run(
                    chromium,
                    Self.flags + [
                        "--virtual-time-budget=8000", "--hide-scrollbars", "--screenshot=\(path)",
                        "--window-size=\(size)", url,
                    ])
            }
        }
    }

    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

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

    /// Runs a process to completion on a thread of its own and returns its standard output.
    private func run(_ executable: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
