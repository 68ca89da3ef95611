/// The decisions of the reporter's send loop, without I/O: how many IngestEvents calls may be in flight, what a
/// failed call does (no new call, wait for the others, then rewind, spill and back off with a doubling delay), what
/// a failed spool read does, when to poll, when the spool replay starts and ends, and when to stop.
///
/// The send loop works in turns. At the start of each it reports the shutdown state (``shutdownBegan(deadline:)``,
/// ``drainFinished()``) and asks ``resume(at:)`` what to do; it performs the returned ``Action`` and reports what
/// happened, which returns the next action, until the turn ends with a wait, a pause or a stop:
///
/// ```swift
/// var machine = DeliveryStateMachine(configuration: configuration)
/// var action = machine.resume(at: .now)
/// // .issue: register models, take the next request; then machine.issued(…) / .outboxEmpty(…) / .readFailed() …
/// // .wait: await one completion; report it (acknowledged(), rejected(), callFailed(_:), ticked()); next turn.
/// ```
///
/// Time only enters through the `now` arguments, so every decision can be tested without sockets or clocks.
struct DeliveryStateMachine {
    /// What the delivery is doing, apart from the calls in flight (``inFlight``).
    ///
    /// Transitions (`resume` is ``resume(at:)``, the start of a turn):
    /// ```
    /// issuing ──outboxEmpty──▶ idle ──resume──▶ issuing
    /// issuing, idle ──callFailed, registrationFailed──▶ failed(readFailed: false)
    /// issuing ──readFailed──▶ readFailed ──callFailed──▶ failed(readFailed: true)
    /// failed, once nothing is in flight ──▶ (backOff) issuing, or readFailed when readFailed: true
    ///                                   ──▶ (rewindAndStop) stopped, once the shutdown has begun
    /// readFailed, once nothing is in flight ──pauseAfterReadFailure──▶ issuing
    /// idle, nothing in flight, drain finished ──stop──▶ stopped
    /// any, nothing in flight, deadline passed ──resume: stop──▶ stopped
    /// ```
    enum State: Equatable {
        /// Issuing calls while the outbox has requests, up to the in-flight limit, until the deadline passes.
        case issuing
        /// The outbox had nothing to send this turn (`spoolEmpty`: the spool held nothing either); with calls in
        /// flight a tick is scheduled, so batches formed meanwhile do not wait for a completion. The next turn
        /// issues again.
        case idle(spoolEmpty: Bool)
        /// A spool read failed: no new call starts; once the calls in flight have returned, delivery pauses for the
        /// maximum retry delay, then issues again.
        case readFailed
        /// A call (or a model registration) failed with `reason`: no new call starts; once the others have
        /// returned, the outbox is rewound and spilled and delivery backs off (or stops, after the shutdown began).
        /// `readFailed`: a spool read had failed before, and its pause follows the backoff.
        case failed(reason: String, readFailed: Bool)
        /// Done: the deadline passed, everything was delivered after the drain loop finished, or a call failed
        /// during the shutdown.
        case stopped
    }

    /// What the send loop does next.
    enum Action: Equatable {
        /// Register the model versions not yet registered, take the next request from the outbox and start it,
        /// with this call timeout; report ``DeliveryStateMachine/issued(fromSpool:spooledEvents:at:)``,
        /// ``DeliveryStateMachine/outboxEmpty(spoolEmpty:)``, ``DeliveryStateMachine/readFailed()`` or
        /// ``DeliveryStateMachine/registrationFailed(_:)``.
        case issue(timeout: Duration)
        /// Wait for one completion (scheduling a tick after the poll interval first when `scheduleTick`), report
        /// it, and start the next turn.
        case wait(scheduleTick: Bool)
        /// Mark the monitor unreachable with `reason`, forget the model registrations, rewind the outbox and spill
        /// it to the spool; pause for `delay`; start the next turn.
        case backOff(reason: String, delay: Duration)
        /// Mark the monitor unreachable with `reason`, forget the model registrations, rewind the outbox; stop (the
        /// shutdown spills what is left).
        case rewindAndStop(reason: String)
        /// Pause for this long after a failed spool read; start the next turn.
        case pauseAfterReadFailure(Duration)
        /// Nothing to send and nothing in flight: pause for the poll interval; start the next turn.
        case poll(Duration)
        /// Log that the spool replay started (with the events in the spool), then perform `then`.
        indirect case logReplayStarted(spooledEvents: Int, then: Action)
        /// Log that the spool replay finished, then perform `then`.
        indirect case logReplayFinished(then: Action)
        /// Stop sending.
        case stop
    }

    /// The most calls in flight.
    let maximumInFlight: Int
    /// The timeout of a call before the shutdown (after it, no later than the deadline).
    let callTimeout: Duration
    /// The first backoff after a failure, and the backoff again after an acknowledgement.
    let initialRetryDelay: Duration
    /// The longest backoff; also the pause after a failed spool read.
    let maximumRetryDelay: Duration
    /// How often an idle loop looks for new batches.
    let pollInterval: Duration

    private(set) var state = State.issuing
    /// Calls started and not yet completed.
    private(set) var inFlight = 0
    /// The next backoff.
    private(set) var retryDelay: Duration
    /// Whether requests from the spool have been sent since the spool was last seen empty.
    private(set) var replaying = false
    /// Whether a tick is scheduled and has not fired yet.
    private(set) var ticking = false
    /// When the shutdown must be over; `nil` before it begins.
    private(set) var shutdownDeadline: ContinuousClock.Instant?
    /// Whether a turn started at or after ``shutdownDeadline``: no new call starts.
    private(set) var deadlinePassed = false
    /// Whether the drain loop has finished (nothing more will enter the outbox).
    private(set) var drained = false

    /// Creates a machine with nothing in flight.
    /// - Parameters:
    ///   - maximumInFlight: The most calls in flight (at least 1).
    ///   - callTimeout: The timeout of one call.
    ///   - retryDelay: The first backoff after a failure.
    ///   - maximumRetryDelay: The longest backoff, and the pause after a failed spool read.
    ///   - pollInterval: How often an idle loop looks for new batches.
    init(
        maximumInFlight: Int, callTimeout: Duration, retryDelay: Duration, maximumRetryDelay: Duration,
        pollInterval: Duration
    ) {
        precondition(maximumInFlight >= 1, "at least one call must be allowed in flight")
        self.maximumInFlight = maximumInFlight
        self.callTimeout = callTimeout
        self.initialRetryDelay = retryDelay
        self.maximumRetryDelay = maximumRetryDelay
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
    }

    /// Creates the machine for a reporter's configuration; it polls every `maximumBatchDelay / 5` (at least 1 ms).
    init(configuration: EventReporter.Configuration) {
        self.init(
            maximumInFlight: configuration.maximumInFlight, callTimeout: configuration.callTimeout,
            retryDelay: configuration.retryDelay, maximumRetryDelay: configuration.maximumRetryDelay,
            pollInterval: Self.pollInterval(maximumBatchDelay: configuration.maximumBatchDelay))
    }

    /// How often the reporter's loops look for new work.
    static func pollInterval(maximumBatchDelay: Duration) -> Duration {
        max(maximumBatchDelay / 5, .milliseconds(1))
    }

    // MARK: Turns

    /// The shutdown has begun: calls time out no later than `deadline`; after a failure, delivery stops instead of
    /// backing off. The first deadline reported counts.
    mutating func shutdownBegan(deadline: ContinuousClock.Instant) {
        if shutdownDeadline == nil { shutdownDeadline = deadline }
    }

    /// The drain loop has finished: once the outbox has nothing and nothing is in flight, delivery stops.
    mutating func drainFinished() {
        drained = true
    }

    /// Starts a turn: stops once the deadline has passed with nothing in flight; else issues while it may, or
    /// waits, pauses or polls.
    /// - Parameter now: The current time (the deadline has passed when `now` is at or after it).
    mutating func resume(at now: ContinuousClock.Instant) -> Action {
        if state == .stopped { return .stop }
        if let shutdownDeadline, now >= shutdownDeadline { deadlinePassed = true }
        if deadlinePassed && inFlight == 0 {
            state = .stopped
            return .stop
        }
        if case .idle = state { state = .issuing }
        return issueOrSettle(at: now)
    }

    // MARK: Issuing

    /// A request was taken from the outbox and its call started.
    /// - Parameters:
    ///   - fromSpool: Whether it came from the spool.
    ///   - spooledEvents: The events in the spool when it was taken (for the replay log line).
    ///   - now: The current time.
    mutating func issued(fromSpool: Bool, spooledEvents: Int, at now: ContinuousClock.Instant) -> Action {
        precondition(state == .issuing && inFlight < maximumInFlight, "a call was issued while issuing was not allowed")
        inFlight += 1
        let next = issueOrSettle(at: now)
        guard fromSpool && !replaying else { return next }
        replaying = true
        return .logReplayStarted(spooledEvents: spooledEvents, then: next)
    }

    /// The outbox had nothing to send.
    /// - Parameter spoolEmpty: Whether the spool held nothing either (ends a replay, once nothing is in flight).
    mutating func outboxEmpty(spoolEmpty: Bool) -> Action {
        state = .idle(spoolEmpty: spoolEmpty)
        return settle()
    }

    /// Reading the spool failed (the loop logs it): no new call; a pause once the others have returned.
    mutating func readFailed() -> Action {
        state = .readFailed
        return settle()
    }

    /// Registering a model version failed as the monitor could not be reached: as a failed call.
    mutating func registrationFailed(_ reason: String) -> Action {
        state = .failed(reason: reason, readFailed: false)
        return settle()
    }

    // MARK: Completions (the loop then starts the next turn with ``resume(at:)``)

    /// A call was acknowledged: the monitor is reachable, so the next backoff starts from the initial delay.
    mutating func acknowledged() {
        completed()
        retryDelay = initialRetryDelay
    }

    /// The monitor rejected a call's batches for good (they are dropped): delivery goes on.
    mutating func rejected() {
        completed()
    }

    /// A call failed: no new call starts until every call in flight has returned; the first reason is kept.
    mutating func callFailed(_ reason: String) {
        completed()
        switch state {
        case .issuing, .idle:
            state = .failed(reason: reason, readFailed: false)
        case .readFailed:
            state = .failed(reason: reason, readFailed: true)
        case .failed, .stopped:
            break
        }
    }

    /// The tick scheduled by a ``Action/wait(scheduleTick:)`` fired.
    mutating func ticked() {
        ticking = false
    }

    // MARK: Decisions

    private mutating func completed() {
        precondition(inFlight > 0, "a completion without a call in flight")
        inFlight -= 1
    }

    private mutating func issueOrSettle(at now: ContinuousClock.Instant) -> Action {
        guard state == .issuing && !deadlinePassed && inFlight < maximumInFlight else { return settle() }
        return .issue(timeout: timeout(at: now))
    }

    /// The call timeout; during the shutdown no later than the deadline (but at least 1 ms).
    private func timeout(at now: ContinuousClock.Instant) -> Duration {
        guard let shutdownDeadline else { return callTimeout }
        return max(min(callTimeout, now.duration(to: shutdownDeadline)), .milliseconds(1))
    }

    /// What to do when no (more) call can be issued this turn.
    private mutating func settle() -> Action {
        guard inFlight == 0 else {
            guard case .idle = state, !ticking else { return .wait(scheduleTick: false) }
            ticking = true
            return .wait(scheduleTick: true)
        }
        switch state {
        case .failed(let reason, let readFailed):
            if shutdownDeadline != nil {
                state = .stopped
                return .rewindAndStop(reason: reason)
            }
            state = readFailed ? .readFailed : .issuing
            let delay = retryDelay
            retryDelay = min(retryDelay * 2, maximumRetryDelay)
            return .backOff(reason: reason, delay: delay)
        case .readFailed:
            state = .issuing
            return .pauseAfterReadFailure(maximumRetryDelay)
        case .idle(let spoolEmpty):
            if drained {
                state = .stopped
                return .stop
            }
            guard replaying && spoolEmpty else { return .poll(pollInterval) }
            replaying = false
            return .logReplayFinished(then: .poll(pollInterval))
        case .issuing:
            // Nothing in flight and nothing taken (not reached: issuing always takes a request or changes state).
            return .poll(pollInterval)
        case .stopped:
            return .stop
        }
    }
}
