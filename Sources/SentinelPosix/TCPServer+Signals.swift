import Glibc

extension TCPServer {
    /// Serves until SIGTERM or SIGINT arrives (or the task is cancelled), then shuts down gracefully and returns.
    /// - Parameter signals: The signals that stop the server.
    /// - Returns: The signal that stopped it, or `nil` when stopped otherwise.
    @discardableResult
    public func runUntilSignalled(_ signals: [Int32] = TCPServer.shutdownSignals) async throws -> Int32? {
        let stream = UnixSignals.stream(signals)
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await signal in stream {
                    self.beginGracefulShutdown()
                    return signal
                }
                return nil
            }
            try await run()
            group.cancelAll()
            var received: Int32?
            for try await signal in group { received = received ?? signal }
            return received
        }
    }
}

extension TCPServer {
    /// SIGTERM and SIGINT: the signals that start a graceful shutdown.
    public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT]
}
