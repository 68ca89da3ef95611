import SentinelLifecycle
import SentinelLock
import SentinelLog
import Synchronization
import Testing

/// Records what the services of a group did, in order.
private final class Journal: Sendable {
    private let entries = Lock<[String]>([])
    func note(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

private struct Failure: Error, Equatable {
    let name: String
}

/// A service that runs until asked to stop, noting when it starts and stops, or fails on demand.
private final class Probe: Service {
    let name: String
    let journal: Journal
    let failure: Failure?
    let shutdown = ShutdownTrigger()
    let started = ShutdownTrigger()

    init(_ name: String, journal: Journal, failing: Bool = false) {
        self.name = name
        self.journal = journal
        self.failure = failing ? Failure(name: name) : nil
    }

    func run() async throws {
        journal.note("start \(name)")
        started.trigger()
        if let failure {
            journal.note("fail \(name)")
            throw failure
        }
        await shutdown.wait()
        journal.note("stop \(name)")
    }

    func beginGracefulShutdown() {
        shutdown.trigger()
    }
}

@Suite("Service group")
struct ServiceGroupTests {
    @Test("stops services in reverse order on a graceful shutdown")
    func reverseOrder() async throws {
        let journal = Journal()
        let probes = ["a", "b", "c"].map { Probe($0, journal: journal) }
        let group = ServiceGroup(services: probes)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for probe in probes { await probe.started.wait() }
            group.beginGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(journal.all.suffix(3) == ["stop c", "stop b", "stop a"])
    }

    @Test("readiness: not ready before the group runs it, ready while it runs, not ready once shutdown begins")
    func readiness() async throws {
        let journal = Journal()
        let probe = Probe("server", journal: journal)
        let readiness = Readiness()
        #expect(!readiness.isReady)
        let group = ServiceGroup(services: [probe, readiness])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await probe.started.wait()
            let deadline = ContinuousClock.now + .seconds(5)
            while !readiness.isReady && ContinuousClock.now < deadline { await Task.yield() }
            #expect(readiness.isReady)
            group.beginGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(!readiness.isReady)
    }

    @Test("a signal starts the shutdown and is reported")
    func signal() async throws {
        let journal = Journal()
        let probes = ["a", "b"].map { Probe($0, journal: journal) }
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        let lines = Lock<[String]>([])
        let log = JSONLog { line in lines.withLock { $0.append(line) } }
        let group = ServiceGroup(services: probes, signals: signals, logger: log)
        let received = try await withThrowingTaskGroup(of: Int32?.self) { tasks in
            tasks.addTask { try await group.runReportingSignal() }
            for probe in probes { await probe.started.wait() }
            continuation.yield(15)
            return try await tasks.next() ?? nil
        }
        #expect(received == 15)
        #expect(journal.all.suffix(2) == ["stop b", "stop a"])
        #expect(lines.withLock { $0 }.contains { $0.contains(#""msg":"shutting down","signal":"SIGTERM""#) })
    }

    @Test("a failing service stops the others and its error is thrown")
    func failure() async throws {
        let journal = Journal()
        let first = Probe("a", journal: journal)
        let failing = Probe("b", journal: journal, failing: true)
        let last = Probe("c", journal: journal)
        let group = ServiceGroup(services: [first, failing, last])
        await #expect(throws: Failure(name: "b")) { try await group.run() }
        #expect(journal.all.contains("stop a") && journal.all.contains("stop c"))
        #expect(journal.all.firstIndex(of: "stop c")! < journal.all.firstIndex(of: "stop a")!)
    }

    @Test("a shutdown requested before the services start still stops them")
    func shutdownBeforeRun() async throws {
        let journal = Journal()
        let probes = ["a", "b"].map { Probe($0, journal: journal) }
        let group = ServiceGroup(services: probes)
        group.beginGracefulShutdown()
        try await group.run()
        #expect(Set(journal.all.filter { $0.hasPrefix("stop") }) == ["stop a", "stop b"])
    }
}

@Suite("Shutdown trigger")
struct ShutdownTriggerTests {
    @Test("every waiter resumes, and later waits return at once")
    func waiters() async {
        let trigger = ShutdownTrigger()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { await trigger.wait() } }
            trigger.trigger()
        }
        await trigger.wait()
        #expect(trigger.isTriggered)
    }

    @Test("a bounded wait times out when nothing flips the switch")
    func boundedWait() async {
        let trigger = ShutdownTrigger()
        #expect(await trigger.wait(atMost: .milliseconds(1)) == false)
        trigger.trigger()
        #expect(await trigger.wait(atMost: .seconds(60)) == true)
    }
}
