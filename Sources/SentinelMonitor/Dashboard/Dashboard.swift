public import SentinelHTTP
public import SentinelMetrics
public import SentinelSchema

/// The monitor's web face: the routes of sentinel-monitor's HTTP port.
///
/// `/` the dashboard (one self-contained HTML page that polls `/api/snapshot`; no external assets), `/api/snapshot`
/// the snapshot as JSON (``SnapshotJSON``), `/metrics` Prometheus text 0.0.4, `/healthz` `ok`.
///
/// ```swift
/// let dashboard = Dashboard(metrics: registry) { try await monitor.snapshot(historyWindows: 60) }
/// let server = try HTTPServer(host: "0.0.0.0", port: 8501, router: dashboard.makeRouter())
/// ```
public struct Dashboard: Sendable {
    /// Produces the current snapshot; throwing answers `/api/snapshot` with 503 and the error's text.
    public typealias SnapshotProvider = @Sendable () async throws -> MonitorSnapshotResponse

    /// The paths served, in the order the routes are registered.
    public static let paths = ["/", "/api/snapshot", "/metrics", "/healthz"]

    private let snapshot: SnapshotProvider
    private let metrics: MetricsRegistry?

    /// Creates the routes' handlers.
    /// - Parameters:
    ///   - metrics: The registry `/metrics` renders; `nil` leaves `/metrics` unrouted (404).
    ///   - snapshot: Produces the snapshot for `/api/snapshot`.
    public init(metrics: MetricsRegistry?, snapshot: @escaping SnapshotProvider) {
        self.metrics = metrics
        self.snapshot = snapshot
    }

    /// Registers the dashboard's routes.
    /// - Parameter router: The router; none of the paths may be registered already.
    public func register(on router: inout HTTPRouter) {
        let page = Array(DashboardPage.html.utf8)
        router.register("/") { _ in
            HTTPResponse(
                status: .ok, contentType: "text/html; charset=utf-8",
                headers: [
                    HTTPHeader(name: "Cache-Control", value: "no-store"),
                    // The page may load nothing from elsewhere: it must work air-gapped, and this proves it.
                    HTTPHeader(
                        name: "Content-Security-Policy",
                        value:
                            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                            + "connect-src 'self'; img-src data:"),
                ], body: page)
        }
        let snapshot = self.snapshot
        router.registerAsync("/api/snapshot") { _ in
            do {
                let value = try await snapshot()
                return HTTPResponse(
                    status: .ok, contentType: "application/json",
                    headers: [HTTPHeader(name: "Cache-Control", value: "no-store")],
                    body: Array(SnapshotJSON.render(value).utf8))
            } catch {
                return HTTPResponse(status: .serviceUnavailable, text: "snapshot unavailable: \(error)")
            }
        }
        if let metrics {
            router.register("/metrics") { _ in
                HTTPResponse(
                    status: .ok, contentType: MetricsRegistry.prometheusContentType,
                    headers: [HTTPHeader(name: "Cache-Control", value: "no-store")],
                    body: Array(metrics.renderPrometheus().utf8))
            }
        }
        router.register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
    }

    /// A router with only the dashboard's routes.
    /// - Returns: The router.
    public func makeRouter() -> HTTPRouter {
        var router = HTTPRouter()
        register(on: &router)
        return router
    }
}
