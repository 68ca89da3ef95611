/// An event sink with a lifecycle, owned by ``ScoringServer``: the reporter to the monitor.
///
/// ``ScoringServer/run()`` runs ``run()`` in its task group for the life of the service and calls ``shutdown()``
/// once the RPC server has drained, so every event of every answered request has been recorded first; the reporter
/// then flushes to the monitor or its spool within its own bounded time and ``run()`` returns.
public protocol ScoringEventReporter: ScoringEventSink {
    /// Delivers events until ``shutdown()`` (or cancellation), then flushes and returns.
    func run() async throws

    /// Starts the flush-and-stop; callable from any thread.
    func shutdown()
}
