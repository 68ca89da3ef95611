import Testing

@testable import SentinelScoring

/// The send loop's decisions, driven event by event: no sockets, no clocks (time is passed in).
@Suite("Delivery state machine")
struct DeliveryStateMachineTests {
    static let start = ContinuousClock.now
    static let callTimeout = Duration.seconds(5)
    static let poll = Duration.milliseconds(10)

    static func machine(maximumInFlight: Int = 4) -> DeliveryStateMachine {
        DeliveryStateMachine(
            maximumInFlight: maximumInFlight, callTimeout: callTimeout, retryDelay: .milliseconds(100),
            maximumRetryDelay: .milliseconds(500), pollInterval: poll)
    }

    /// Issues calls from memory until the machine stops asking; returns how many it asked for and what came next.
    static func issueAll(
        _ machine: inout DeliveryStateMachine, fromSpool: Bool = false
    ) -> (issued: Int, next: DeliveryStateMachine.Action) {
        var action = machine.resume(at: start)
        var issued = 0
        while case .issue = action {
            issued += 1
            action = machine.issued(fromSpool: fromSpool, spooledEvents: 0, at: start)
        }
        return (issued, action)
    }

    @Test("Calls are issued up to the in-flight limit, then the loop waits", arguments: [1, 2, 8])
    func inFlightLimit(limit: Int) {
        var machine = Self.machine(maximumInFlight: limit)
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
        let (issued, next) = Self.issueAll(&machine)
        #expect(issued == limit)
        #expect(next == .wait(scheduleTick: false), "at the limit no tick: only a completion makes room")
        #expect(machine.inFlight == limit)
        machine.acknowledged()
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout), "one completion, one more call")
        #expect(machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start) == .wait(scheduleTick: false))
    }

    @Test("An empty outbox with calls in flight schedules one tick, then looks again after it")
    func idleWithCallsInFlight() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        #expect(machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start) == .issue(timeout: Self.callTimeout))
        #expect(machine.outboxEmpty(spoolEmpty: true) == .wait(scheduleTick: true))
        #expect(machine.state == .idle(spoolEmpty: true))
        // A turn started by something else while the tick is pending does not schedule a second one.
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
        #expect(machine.outboxEmpty(spoolEmpty: true) == .wait(scheduleTick: false))
        machine.ticked()
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
        #expect(machine.outboxEmpty(spoolEmpty: true) == .wait(scheduleTick: true))
    }

    @Test("One failure stops new calls until the others return, then backs off, doubling to the maximum")
    func failureThenBackoff() {
        var machine = Self.machine(maximumInFlight: 3)
        #expect(Self.issueAll(&machine).issued == 3)
        machine.callFailed("connection reset")
        #expect(machine.resume(at: Self.start) == .wait(scheduleTick: false), "no new call after a failure")
        machine.acknowledged()
        #expect(machine.resume(at: Self.start) == .wait(scheduleTick: false), "an ack does not lift the stop")
        machine.callFailed("second reason")
        #expect(machine.state == .failed(reason: "connection reset", readFailed: false), "the first reason is kept")
        #expect(machine.resume(at: Self.start) == .backOff(reason: "connection reset", delay: .milliseconds(100)))
        #expect(machine.state == .issuing)

        // Each further failure waits twice as long, up to the maximum.
        var delays: [Duration] = []
        for _ in 0..<4 {
            #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
            _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
            machine.callFailed("refused")
            guard case .backOff(_, let delay) = machine.resume(at: Self.start) else {
                Issue.record("no backoff after the only call failed")
                return
            }
            delays.append(delay)
        }
        #expect(delays == [.milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
    }

    @Test("An acknowledgement resets the backoff to the initial delay")
    func ackResetsBackoff() {
        var machine = Self.machine(maximumInFlight: 1)
        for _ in 0..<3 {
            _ = machine.resume(at: Self.start)
            _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
            machine.callFailed("refused")
            _ = machine.resume(at: Self.start)
        }
        #expect(machine.retryDelay == .milliseconds(500))
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        machine.acknowledged()
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        machine.callFailed("refused")
        #expect(machine.resume(at: Self.start) == .backOff(reason: "refused", delay: .milliseconds(100)))
    }

    @Test("A failed model registration is a failure: the calls in flight return first, then the backoff")
    func registrationFailure() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        #expect(machine.registrationFailed("unavailable") == .wait(scheduleTick: false))
        machine.acknowledged()
        #expect(machine.resume(at: Self.start) == .backOff(reason: "unavailable", delay: .milliseconds(100)))
    }

    @Test("A rejected batch does not stop delivery or change the backoff")
    func rejectedKeepsDelivering() {
        var machine = Self.machine(maximumInFlight: 2)
        #expect(Self.issueAll(&machine).issued == 2)
        machine.rejected()
        #expect(machine.state == .issuing)
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
        #expect(machine.retryDelay == .milliseconds(100))
    }

    @Test("Shutdown: calls time out by the deadline; once it has passed, the calls in flight return, then stop")
    func deadlineWithCallsInFlight() {
        var machine = Self.machine()
        let deadline = Self.start + .seconds(2)
        machine.shutdownBegan(deadline: deadline)
        machine.shutdownBegan(deadline: deadline + .seconds(10))  // the first deadline counts
        #expect(machine.resume(at: Self.start) == .issue(timeout: .seconds(2)), "no call outlives the deadline")
        #expect(machine.issued(fromSpool: false, spooledEvents: 0, at: deadline) == .issue(timeout: .milliseconds(1)))
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: deadline)

        #expect(machine.resume(at: deadline) == .wait(scheduleTick: false), "no new call after the deadline")
        machine.acknowledged()
        #expect(machine.resume(at: deadline + .seconds(1)) == .wait(scheduleTick: false), "one call still in flight")
        machine.acknowledged()
        #expect(machine.resume(at: deadline + .seconds(1)) == .stop)
        #expect(machine.state == .stopped)
        #expect(machine.resume(at: deadline + .seconds(1)) == .stop)
    }

    @Test("A failure during the shutdown rewinds and stops instead of backing off")
    func failureDuringShutdown() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        machine.shutdownBegan(deadline: Self.start + .seconds(5))
        machine.callFailed("refused")
        #expect(machine.resume(at: Self.start) == .rewindAndStop(reason: "refused"))
        #expect(machine.state == .stopped)
    }

    @Test("Drained and idle with nothing in flight: stop; idle before the drain finished: poll")
    func drainedAndIdle() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        #expect(machine.outboxEmpty(spoolEmpty: true) == .poll(Self.poll))
        machine.drainFinished()
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout), "what is left is sent first")
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        #expect(machine.outboxEmpty(spoolEmpty: true) == .wait(scheduleTick: true), "drained, but a call in flight")
        machine.acknowledged()
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
        #expect(machine.outboxEmpty(spoolEmpty: true) == .stop)
        #expect(machine.state == .stopped)
    }

    @Test("Replay starts with the first request from the spool and finishes when the spool is seen empty")
    func replayTransitions() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        let next = DeliveryStateMachine.Action.issue(timeout: Self.callTimeout)
        #expect(
            machine.issued(fromSpool: true, spooledEvents: 300, at: Self.start)
                == .logReplayStarted(spooledEvents: 300, then: next))
        #expect(machine.issued(fromSpool: true, spooledEvents: 200, at: Self.start) == next, "logged once")
        #expect(machine.outboxEmpty(spoolEmpty: true) == .wait(scheduleTick: true), "not over while calls are out")
        machine.acknowledged()
        machine.acknowledged()
        _ = machine.resume(at: Self.start)
        #expect(machine.outboxEmpty(spoolEmpty: false) == .poll(Self.poll), "not over while the spool holds batches")
        #expect(machine.replaying)
        _ = machine.resume(at: Self.start)
        #expect(machine.outboxEmpty(spoolEmpty: true) == .logReplayFinished(then: .poll(Self.poll)))
        #expect(!machine.replaying)
        _ = machine.resume(at: Self.start)
        #expect(machine.outboxEmpty(spoolEmpty: true) == .poll(Self.poll), "logged once")
        _ = machine.resume(at: Self.start)
        #expect(
            machine.issued(fromSpool: true, spooledEvents: 100, at: Self.start)
                == .logReplayStarted(spooledEvents: 100, then: next), "a later replay is logged again")
    }

    @Test("A failed spool read stops new calls until the others return, then pauses for the maximum retry delay")
    func readFailurePause() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: true, spooledEvents: 0, at: Self.start)
        #expect(machine.readFailed() == .wait(scheduleTick: false))
        #expect(machine.resume(at: Self.start) == .wait(scheduleTick: false), "no new call after a read failure")
        machine.acknowledged()
        #expect(machine.resume(at: Self.start) == .pauseAfterReadFailure(.milliseconds(500)))
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout), "then it reads again")
        #expect(machine.readFailed() == .pauseAfterReadFailure(.milliseconds(500)), "nothing in flight: pause at once")
    }

    @Test("A call failing after a read failure: the backoff first, then the read-failure pause")
    func readFailureThenCallFailure() {
        var machine = Self.machine()
        _ = machine.resume(at: Self.start)
        _ = machine.issued(fromSpool: false, spooledEvents: 0, at: Self.start)
        _ = machine.readFailed()
        machine.callFailed("reset")
        #expect(machine.state == .failed(reason: "reset", readFailed: true))
        #expect(machine.resume(at: Self.start) == .backOff(reason: "reset", delay: .milliseconds(100)))
        #expect(machine.resume(at: Self.start) == .pauseAfterReadFailure(.milliseconds(500)))
        #expect(machine.resume(at: Self.start) == .issue(timeout: Self.callTimeout))
    }
}
