public import SentinelLifecycle

/// An event sink with a lifecycle: the reporter to the monitor.
///
/// `sentinel-api`'s ``ServiceGroup`` starts it before the RPC server and stops it after the server has drained,
/// so every event of every answered request has been recorded first; the reporter then flushes to the monitor or
/// its spool within its own bounded time and ``Service/run()`` returns.
public protocol ScoringEventReporter: ScoringEventSink, Service {}
