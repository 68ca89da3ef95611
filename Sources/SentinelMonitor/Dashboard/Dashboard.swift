public import SentinelHTTP
public import SentinelMetrics
public import SentinelSchema

/// The monitor's web face: the routes of sentinel-monitor's HTTP port.
///
/// `/` the dashboard page, with its styles and script at `/dashboard.css` and `/dashboard.js` (files compiled into the
/// binary; the page polls `/api/snapshot` and loads nothing from another origin), `/api/snapshot` the snapshot as JSON
/// (``SnapshotJSON``; `?since=µs` asks for the closed windows from that time on, `&features=1` for every column's
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
        "/", "/dashboard.css", "/dashboard.js", "/api/snapshot", "/metrics", "/healthz", "/readyz",
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

    /// A router with only the dashboard's routes.
    /// - Returns: The router.
    public func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        register(on: &router)
        return router
    }
}
