import Foundation
import SentinelDrift
public import SentinelHTTP
public import SentinelMetrics
public import SentinelSchema

/// The monitor's web face: the routes of sentinel-monitor's HTTP port.
///
/// `/` the dashboard page, with its styles and script at `/dashboard.css` and `/dashboard.js` (files compiled into the
/// binary; the page polls `/api/snapshot` and loads nothing from another origin), `/api/snapshot` the snapshot as JSON
/// (``SnapshotJSON``), `/report.html` a version's last closed window as one self-contained HTML drift report
/// (``SentinelDrift/DriftHTMLReport``; the page's "download report") (snapshot query: `?since=µs` asks for the closed windows from that time on, `&features=1` for every column's
/// statistics in them, `?history=n` for the last n windows, default 60), `/metrics` Prometheus text 0.0.4, `/healthz` `ok` and `/readyz` (see
/// `HTTPRouter.registerOperations(metrics:isReady:)`).
///
/// ```swift
/// let dashboard = Dashboard(metrics: registry) { request in monitor.snapshot(request) }
/// let server = try HTTPServer(host: "0.0.0.0", port: 8501, router: dashboard.makeRouter())
/// ```
public struct Dashboard: Sendable {
    /// Produces the snapshot a request asks for; throwing answers `/api/snapshot` with 503 and the error's text.
    public typealias SnapshotProvider = @Sendable (MonitorSnapshotRequest) async throws -> MonitorSnapshotResponse

    /// Closed windows in `/api/snapshot` without `since` or `history`.
    public static let defaultHistoryWindows: UInt32 = 60

    /// The paths served, in the order the routes are registered.
    public static let paths = [
        "/", "/dashboard.css", "/dashboard.js", "/api/snapshot", "/report.html", "/metrics", "/healthz", "/readyz",
    ]

    private let snapshot: SnapshotProvider
    private let metrics: MetricsRegistry?
    private let isReady: @Sendable () -> Bool

    /// Creates the routes' handlers.
    /// - Parameters:
    ///   - metrics: The registry `/metrics` renders; `nil` leaves `/metrics` and `/readyz` unrouted (404).
    ///   - isReady: What `/readyz` reports (default: always ready).
    ///   - snapshot: Produces the snapshot for `/api/snapshot`.
    public init(
        metrics: MetricsRegistry?, isReady: @escaping @Sendable () -> Bool = { true },
        snapshot: @escaping SnapshotProvider
    ) {
        self.metrics = metrics
        self.isReady = isReady
        self.snapshot = snapshot
    }

    /// Registers the dashboard's routes.
    /// - Parameter router: The router; none of the paths may be registered already.
    public func register(on router: inout HTTPRouter) {
        for asset in DashboardAsset.all {
            var headers = [
                // SentinelHTTP has no validators (ETag, Last-Modified, 304), and a max-age could pair a new page with
                // an old script across an upgrade: every load fetches the current bytes (18 KB, from memory).
                HTTPHeader(name: "Cache-Control", value: "no-cache"),
                HTTPHeader(name: "X-Content-Type-Options", value: "nosniff"),
            ]
            if asset.path == DashboardAsset.page.path {
                // The page may load nothing from elsewhere, nor run inline code: it must work air-gapped, and this
                // proves it.
                headers.append(
                    HTTPHeader(
                        name: "Content-Security-Policy",
                        value:
                            "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
                            + "img-src data:"))
            }
            let response = HTTPResponse(
                status: .ok, contentType: asset.contentType, headers: headers, body: asset.bytes)
            router.register(asset.path) { _ in response }
        }
        let snapshot = self.snapshot
        router.registerAsync("/api/snapshot") { request in
            let query: MonitorSnapshotRequest
            switch Result(catching: { () throws(MonitorError) in try Self.snapshotRequest(request) }) {
            case .success(let value): query = value
            case .failure(let error): return HTTPResponse(status: .badRequest, text: error.message)
            }
            do {
                let value = try await snapshot(query)
                return HTTPResponse(
                    status: .ok, contentType: "application/json",
                    headers: [HTTPHeader(name: "Cache-Control", value: "no-store")],
                    body: Array(SnapshotJSON.render(value).utf8))
            } catch {
                return HTTPResponse(status: .serviceUnavailable, text: "snapshot unavailable: \(error)")
            }
        }
        // The page's "download report": the last closed window of a version (?model=, default the newest one that
        // is not idle) as one self-contained HTML file.
        router.registerAsync("/report.html") { request in
            do {
                let snapshot = try await snapshot(
                    MonitorSnapshotRequest(modelVersion: request.queryItem("model").flatMap { $0.isEmpty ? nil : $0 }))
                guard let html = Self.report(snapshot) else {
                    return HTTPResponse(status: .notFound, text: "no model version to report on")
                }
                return HTTPResponse(
                    status: .ok, contentType: "text/html; charset=utf-8",
                    headers: [
                        HTTPHeader(name: "Cache-Control", value: "no-store"),
                        HTTPHeader(name: "Content-Disposition", value: "attachment; filename=\"sentinel-drift.html\""),
                    ],
                    body: Array(html.utf8))
            } catch {
                return HTTPResponse(status: .serviceUnavailable, text: "snapshot unavailable: \(error)")
            }
        }
        if let metrics {
            router.registerOperations(metrics: metrics, isReady: isReady)
        } else {
            router.register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
        }
    }

    /// The snapshot request of `/api/snapshot`'s query: `since` (µs since the epoch), `features` (`1` or `0`),
    /// `history` (windows) and `model`.
    /// - Throws: ``MonitorError`` `.invalidRequest` naming a bad parameter (answered 400).
    static func snapshotRequest(_ request: HTTPRequest) throws(MonitorError) -> MonitorSnapshotRequest {
        var query = MonitorSnapshotRequest(historyWindows: defaultHistoryWindows)
        if let text = request.queryItem("since") {
            guard let since = Int64(text), since > 0 else {
                throw MonitorError(
                    .invalidRequest, "since must be a positive time in µs since the epoch, got '\(text)'")
            }
            query.sinceMicroseconds = since
        }
        if let text = request.queryItem("history") {
            guard let count = UInt32(text) else {
                throw MonitorError(.invalidRequest, "history must be a number of windows, got '\(text)'")
            }
            query.historyWindows = count
        }
        if let text = request.queryItem("features") {
            guard text == "1" || text == "0" else {
                throw MonitorError(.invalidRequest, "features must be 1 or 0, got '\(text)'")
            }
            query.historyFeatures = text == "1"
        }
        if let model = request.queryItem("model"), !model.isEmpty { query.modelVersion = model }
        return query
    }

    /// The drift report of a snapshot's newest model version that is not idle (or of its only one): every column's
    /// overlay and statistics in its last closed window; `nil` without a model.
    static func report(_ snapshot: MonitorSnapshotResponse) -> String? {
        let active = snapshot.models.filter { !$0.windowState.idle }
        guard
            let model = (active.isEmpty ? snapshot.models : active)
                .max(by: { $0.windowState.registeredAtMicroseconds < $1.windowState.registeredAtMicroseconds })
        else { return nil }
        let drifts = model.drift.features + [model.drift.score]
        let columns = zip(model.distributions, drifts).map { distribution, drift in
            DriftHTMLReport.Column(
                name: distribution.name, edges: distribution.edges, referenceShares: distribution.referenceShares,
                referenceCount: Int(clamping: distribution.referenceCount),
                currentCounts: distribution.closedCounts.map { Int(clamping: $0) },
                statistics: drift.count == 0
                    ? nil
                    : DriftStatistics(
                        psi: drift.psi, jsDistance: drift.jsDistance, ksStatistic: drift.ksStatistic,
                        wassersteinNormed: drift.wassersteinNormed),
                status: level(drift.status))
        }
        let format = ISO8601DateFormatter()
        func time(_ microseconds: Int64) -> String {
            format.string(from: Date(timeIntervalSince1970: Double(microseconds) / 1e6))
        }
        let window =
            model.windowState.closed
            ? "window \(time(model.windowStartMicroseconds)) – \(time(model.windowState.endMicroseconds))"
            : "no window closed yet"
        return DriftHTMLReport(
            title: "Sentinel drift report · \(model.modelVersion)",
            subtitle: "The monitor's last closed \(window), \(model.windowRates.events) events, against the model's "
                + "training profile; generated \(time(snapshot.generatedAtMicroseconds)).",
            columns: columns
        ).render()
    }

    private static func level(_ level: AlertLevel) -> DriftLevel? {
        switch level {
        case .ok: .ok
        case .warn: .warn
        case .alert: .alert
        default: nil
        }
    }

    /// A router with only the dashboard's routes.
    /// - Returns: The router.
    public func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        register(on: &router)
        return router
    }
}
