public import SentinelMetrics

extension HTTPRouter {
    /// Registers what orchestrators and Prometheus ask of every Sentinel service: `/metrics` (the registry in the
    /// Prometheus text format), `/healthz` (liveness: `ok` while the process serves HTTP) and `/readyz` (readiness:
    /// 200 `ready`, or 503 `not ready` while `isReady` is false — before start-up completes and while draining).
    /// - Parameters:
    ///   - metrics: The registry `/metrics` renders.
    ///   - isReady: Whether the service should receive traffic now.
    public mutating func registerOperations(metrics: MetricsRegistry, isReady: @escaping @Sendable () -> Bool) {
        register("/metrics") { _ in
            HTTPResponse(
                status: .ok, contentType: MetricsRegistry.prometheusContentType,
                headers: [HTTPHeader(name: "Cache-Control", value: "no-store")],
                body: Array(metrics.renderPrometheus().utf8))
        }
        register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
        register("/readyz") { _ in
            isReady()
                ? HTTPResponse(status: .ok, text: "ready")
                : HTTPResponse(status: .serviceUnavailable, text: "not ready")
        }
    }
}
