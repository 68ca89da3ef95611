public import SentinelMetrics
import SentinelRPC

extension TCPServer {
    /// Registers the server's connection series in `registry`, read from ``statistics`` at every scrape:
    /// `sentinel_rpc_connections`, `sentinel_rpc_connections_accepted_total` and
    /// `sentinel_rpc_disconnects_total{reason}` (every reason present from the start, so `rate()` sees the first
    /// one).
    /// - Parameter registry: The process's registry.
    public func registerMetrics(in registry: MetricsRegistry) {
        // The names are fixed and valid, so registration cannot fail.
        let open = try? registry.makeGauge(name: "sentinel_rpc_connections", help: "RPC connections open now.")
        let accepted = try? registry.makeCounter(
            name: "sentinel_rpc_connections_accepted_total", help: "RPC connections accepted, refused ones included.")
        var disconnects: [DisconnectReason: Counter] = [:]
        for reason in DisconnectReason.allCases {
            disconnects[reason] = try? registry.makeCounter(
                name: "sentinel_rpc_disconnects_total", help: "RPC connections the server closed, by reason.",
                labels: ["reason": reason.rawValue])
        }
        registry.addCollector { [disconnects] in
            let statistics = self.statistics
            open?.set(Double(statistics.open))
            accepted?.advance(to: Double(statistics.accepted))
            for (reason, count) in statistics.disconnects {
                disconnects[reason]?.advance(to: Double(count))
            }
        }
    }
}
