import Foundation
import SentinelTestSupport
import Testing

/// The dashboard in headless Chromium on real traffic: the real monitor and API, the held-out demo sample replayed
/// clean and then with every amount tripled, labels reported inline. Checked at 1440×900 and 390×844 after each
/// phase's window has closed; screenshots go to a temporary directory, or to `SENTINEL_DASHBOARD_SCREENSHOTS`.
@Suite(
    "the dashboard in a browser on real traffic", .serialized,
    .enabled(if: BuiltProducts.available && RunningService.apiAvailable, "the executables are not built"),
    .enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install -y chromium)"))
struct DashboardLiveBrowserTests {
    /// Windows long enough to hold a whole phase; a window judges drift only with 600 events or more.
    static let window = 4.0

    /// The model's snapshot object from `/api/snapshot`.
    func model(_ monitor: RunningService) async throws -> [String: Any]? {
        let body = try await httpGet(port: monitor.httpPort, path: "/api/snapshot?history=1").body
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?["models"] as? [[String: Any]])?.first
    }

    /// Waits (polling the monitor's clock, at most 15 s) until a window has just opened, so a phase sent now falls
    /// in one window: windows are aligned to multiples of their length since the epoch.
    func waitForFreshWindow(_ monitor: RunningService) async throws {
        let length = Int(Self.window * 1e6)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let body = try await httpGet(port: monitor.httpPort, path: "/api/snapshot?history=0").body
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            if (object["generated_at_unix_us"] as? Int ?? 0) % length < 300_000 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits (polling, at most 15 s) until the window holding everything sent before `sent` has closed.
    func waitForWindow(_ monitor: RunningService, after sent: Date) async throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let model = try await model(monitor), model["window_closed"] as? Bool == true,
                let end = model["window_end_unix_us"] as? Int, Double(end) / 1e6 >= sent.timeIntervalSince1970
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no window closed after the phase within 15 s")
    }

    /// The inner HTML of the element with `id` up to its first closing `tag`.
    func element(_ dom: String, id: String, closing tag: String = "</div>") -> String {
        guard let start = dom.range(of: "id=\"\(id)\""),
            let open = dom.range(of: ">", range: start.upperBound..<dom.endIndex),
            let end = dom.range(of: tag, range: open.upperBound..<dom.endIndex)
        else { return "" }
        return String(dom[open.upperBound..<end.lowerBound])
    }

    /// The cells of each body row of a table.
    func rows(_ dom: String, table: String) -> [[String]] {
        element(dom, id: table, closing: "</table>").components(separatedBy: "<tr").dropFirst().map { row in
            row.components(separatedBy: "<td").dropFirst().map { cell in
                let text = cell.drop { $0 != ">" }.dropFirst()
                return String(text.prefix { $0 != "<" })
            }
        }
    }

    /// The live panels hold numbers, the Amount overlay has its training bars and a live line, and a labelled day
    /// shows AP and CP@100.
    func checkPanels(_ dom: String, size: String) {
        #expect(element(dom, id: "k-flag").contains(" %"), "flag rate at \(size)")
        #expect(
            element(dom, id: "k-p99").range(of: #"^[0-9.]+ (ns|µs|ms)"#, options: .regularExpression) != nil,
            "latency at \(size): \(element(dom, id: "k-p99"))")
        #expect(element(dom, id: "k-events") != "–" && element(dom, id: "k-events") != "0", "events at \(size)")
        #expect(element(dom, id: "flag", closing: "</svg>").contains("<circle"), "flag-rate chart at \(size)")
        #expect(element(dom, id: "lat", closing: "</svg>").contains("<circle"), "latency chart at \(size)")
        let amount = element(dom, id: "ov-amount", closing: "</svg>")
        #expect(amount.contains("<rect class=\"ref\"") && amount.contains("<path class=\"live\""), "overlay at \(size)")
        #expect(element(dom, id: "ov-amount-title", closing: "</h2>").hasPrefix("Amount · window "))
        let labelled = rows(dom, table: "labels").filter { $0.count == 9 && $0[0].hasPrefix("day ") }
        let number = #"^[0-9]+\.[0-9]+$"#
        #expect(
            labelled.contains {
                $0[7].range(of: number, options: .regularExpression) != nil
                    && $0[8].range(of: number, options: .regularExpression) != nil
            }, "a labelled day with AP and CP@100 at \(size): \(labelled)")
        #expect(dom.contains("data-overflow-x=\"false\""), "the page scrolls sideways at \(size)")
    }

    @Test(
        "clean, then Amount*3 traffic with labels: live panels, the drift alert only after the drift phase, AP/CP@100",
        .timeLimit(.minutes(1)))
    func cleanThenDrift() async throws {
        let began = ContinuousClock.now
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-live-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelPath = try DemoSampleTests.trainDemoModel(in: directory)
        let monitor = try await RunningService.startMonitor(
            arguments: ["--http-port", "0", "--window", "\(Int(Self.window))s", "--min-count", "600"])
        let api = try await RunningService.startAPI(
            model: modelPath,
            arguments: ["--monitor", monitor.address, "--spool-dir", directory.appendingPathComponent("spool").path])
        let url = "http://127.0.0.1:\(monitor.httpPort)/"
        let labels = ["--monitor", monitor.address, "--labels-after", "100"]

        try await waitForFreshWindow(monitor)
        let clean = try await BuiltProducts.run(
            "sentinel", ["replay", "--api", api.address, "--data", DemoSampleTests.holdout, "--shuffle", "1"] + labels)
        #expect(clean.status == 0, "\(clean.error)")
        try await waitForWindow(monitor, after: Date())
        // Both sizes at once, while the phase's window is still the last closed one.
        async let laptop = Chromium.dumpDOM(url, size: Chromium.sizes[0], budget: 3_000)
        async let phone = Chromium.dumpDOM(url, size: Chromium.sizes[1], budget: 3_000)
        for (size, dom) in zip(Chromium.sizes, try await [laptop, phone]) {
            checkPanels(dom, size: size)
            #expect(!element(dom, id: "alerts", closing: "</ul>").contains("drift in "), "clean at \(size)")
        }

        try await waitForFreshWindow(monitor)
        let drifted = try await BuiltProducts.run(
            "sentinel",
            [
                "replay", "--api", api.address, "--data", DemoSampleTests.holdout, "--shuffle", "2", "--drift",
                "Amount*3",
            ]
                + labels)
        #expect(drifted.status == 0, "\(drifted.error)")
        try await waitForWindow(monitor, after: Date())
        let screenshots = try Chromium.screenshotDirectory("sentinel-dashboard-live")
        async let driftLaptop = Chromium.dumpDOM(url, size: Chromium.sizes[0], budget: 3_000)
        async let driftPhone = Chromium.dumpDOM(url, size: Chromium.sizes[1], budget: 3_000)
        for (size, dom) in zip(Chromium.sizes, try await [driftLaptop, driftPhone]) {
            checkPanels(dom, size: size)
            let alerts = element(dom, id: "alerts", closing: "</ul>")
            #expect(
                alerts.contains("<span class=\"chip alert\">alert</span><div><div class=\"what\">drift in Amount"),
                "drift at \(size): \(alerts)")
        }
        let names = Chromium.sizes.map { "\(screenshots)/dashboard-\($0.replacingOccurrences(of: ",", with: "x")).png" }
        async let shotLaptop: Void = Chromium.screenshot(url, size: Chromium.sizes[0], to: names[0], budget: 3_000)
        async let shotPhone: Void = Chromium.screenshot(url, size: Chromium.sizes[1], to: names[1], budget: 3_000)
        _ = try await (shotLaptop, shotPhone)
        for name in names { #expect(FileManager.default.fileExists(atPath: name), "no screenshot at \(name)") }
        _ = await api.terminate()
        _ = await monitor.terminate()
        #expect(ContinuousClock.now - began < .seconds(60))
    }
}
