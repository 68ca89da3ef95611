import Glibc

extension TCPServer {
    /// SIGTERM and SIGINT: the signals that start a graceful shutdown.
    public static let shutdownSignals: [Int32] = [SIGTERM, SIGINT]

    /// Serves until SIGTERM or SIGINT arrives (or the task is cancelled), then shuts down gracefully and returns.
    ///
    /// The handlers are installed when this is called; to announce readiness only once a signal can no longer
    /// kill the process, create the stream first and use ``run(until:)``.
    /// - Parameter signals: The signals that stop the server.
    /// - Returns: The signal that stopped it, or `nil` when stopped otherwise.
    @discardableResult
    public func runUntilSignalled(_ signals: [Int32] = TCPServer.shutdownSignals) async throws -> Int32? {
        try await run(until: UnixSignals.stream(signals))
    }

    /// Serves until the first element of `signals` arrives (or the task is cancelled), then shuts down gracefully.
    ///
    /// ```swift
    /// let signals = UnixSignals.stream(TCPServer.shutdownSignals)  // handlers installed from here on
    /// print("listening on \(server.address)")
    /// try await server.run(until: signals)
    /// ```
    /// - Parameter signals: A stream from ``UnixSignals/stream(_:)``.
    /// - Returns: The signal that stopped the server, or `nil` when stopped otherwise.
    @discardableResult
    public func run(until signals: AsyncStream<Int32>) async throws -> Int32? {
        try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                for await signal in signals {
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
