import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Synchronization
import Testing

@Suite("RPC over the in-memory transport")
struct InMemoryTransportTests {
    @Test("sync and async handlers answer, whole or one byte at a time", arguments: [Int.max, 1])
    func roundTrip(chunkSize: Int) async throws {
        let transport = InMemoryTransport(router: TestRouter.make(), chunkSize: chunkSize)
        #expect(try await transport.call(TestRouter.echo, payload: [1, 2, 3], timeout: nil) == [1, 2, 3])
        #expect(try await transport.call(TestRouter.asyncEcho, payload: [4, 5], timeout: .seconds(5)) == [4, 5])
        #expect(try await transport.call(TestRouter.echo, payload: [], timeout: nil) == [])
    }

    @Test("errors arrive with their status and message")
    func errors() async {
        let transport = InMemoryTransport(router: TestRouter.make())
        await #expect(throws: RPCError(.invalidArgument, "amount must be finite")) {
            try await transport.call(TestRouter.fail, payload: [], timeout: nil)
        }
        await #expect(throws: RPCError(.unimplemented, "unknown method 999")) {
            try await transport.call(MethodID(rawValue: 999), payload: [], timeout: nil)
        }
        await #expect(throws: RPCError(.internal, "internal error")) {
            try await transport.call(TestRouter.crash, payload: [], timeout: nil)
        }
    }

    @Test("many concurrent calls on one connection each get their own answer, completing out of order")
    func multiplexing() async throws {
        let gate = Gate()
        let transport = InMemoryTransport(router: TestRouter.make(gate: gate))
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The gated call is sent first but answers last.
            group.addTask {
                let reply = try await transport.call(TestRouter.gated, payload: [0xFF], timeout: nil)
                #expect(reply == [0xFF])
            }
            for index in 0..<500 {
                group.addTask {
                    let payload = withUnsafeBytes(of: UInt32(index).bigEndian) { Array($0) }
                    let method = index % 2 == 0 ? TestRouter.echo : TestRouter.asyncEcho
                    let reply = try await transport.call(method, payload: payload, timeout: nil)
                    #expect(reply == payload)
                }
            }
            #expect(await eventually { gate.started == 1 })
            try await Task.sleep(for: .milliseconds(1))
            gate.open()
            try await group.waitForAll()
        }
    }

    @Test("a passed deadline fails the call with DEADLINE_EXCEEDED and cancels the handler (manual time)")
    func deadline() async {
        let gate = Gate()
        let transport = InMemoryTransport(router: TestRouter.make(gate: gate), manualClock: true)
        let call = Task { try await transport.call(TestRouter.untilCancelled, payload: [], timeout: .seconds(30)) }
        #expect(await eventually { gate.started == 1 })
        transport.serverLoop.advance(by: .seconds(29))
        #expect(transport.serverInFlightCount == 1, "one second before its deadline the call is still running")
        transport.serverLoop.advance(by: .seconds(1))
        await #expect {
            try await call.value
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        #expect(await eventually { gate.cancellations == 1 && transport.serverInFlightCount == 0 })
    }

    @Test(
        "work a handler finished after its deadline is answered as done; one that ignores it is cut off (manual time)")
    func deadlineOutcome() async throws {
        // `gated` ignores cancellation: it returns when the gate opens.
        let gate = Gate()
        let transport = InMemoryTransport(router: TestRouter.make(gate: gate), manualClock: true)
        let finished = Task { try await transport.call(TestRouter.gated, payload: [7], timeout: .seconds(5)) }
        #expect(await eventually { gate.started == 1 })
        transport.serverLoop.advance(by: .seconds(5))  // Past the deadline: the handler is cancelled, not answered.
        #expect(transport.serverInFlightCount == 1)
        gate.open()
        #expect(try await finished.value == [7], "the handler completed its work, and the answer says so")

        let stuck = Gate()
        let cutOff = InMemoryTransport(router: TestRouter.make(gate: stuck), manualClock: true)
        let call = Task { try await cutOff.call(TestRouter.gated, payload: [8], timeout: .seconds(5)) }
        #expect(await eventually { stuck.started == 1 })
        cutOff.serverLoop.advance(by: .seconds(5))
        cutOff.serverLoop.advance(by: .seconds(1))  // The grace after the deadline passes.
        await #expect {
            try await call.value
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        stuck.open()
        #expect(await eventually { cutOff.serverInFlightCount == 0 })
    }

    @Test("an idle connection gets GOAWAY at the idle timeout, not before (manual time)")
    func idleTimeout() async throws {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .seconds(300)
        let transport = InMemoryTransport(router: TestRouter.make(), configuration: configuration, manualClock: true)
        #expect(try await transport.call(TestRouter.echo, payload: [1], timeout: nil) == [1])
        transport.advance(by: .seconds(299))
        #expect(try await transport.call(TestRouter.echo, payload: [2], timeout: nil) == [2])
        transport.advance(by: .seconds(301))
        await #expect {
            try await transport.call(TestRouter.echo, payload: [3], timeout: nil)
        } throws: { ($0 as? RPCError)?.code == .unavailable }
    }

    @Test("cancelling the calling task sends CANCEL and the server stops the handler")
    func taskCancellation() async {
        let gate = Gate()
        let transport = InMemoryTransport(router: TestRouter.make(gate: gate))
        let task = Task { try await transport.call(TestRouter.untilCancelled, payload: [], timeout: nil) }
        #expect(await eventually { gate.started == 1 })
        task.cancel()
        await #expect {
            try await task.value
        } throws: { ($0 as? RPCError)?.code == .cancelled }
        #expect(await eventually { gate.cancellations == 1 && transport.serverInFlightCount == 0 })
    }

    @Test(
        "a wrong or missing token fails calls with UNAUTHENTICATED; the right one works", arguments: ["ok", "bad", ""])
    func authentication(presented: String) async throws {
        var configuration = ServerConfiguration()
        configuration.authToken = AuthToken("ok")
        let transport = InMemoryTransport(
            router: TestRouter.make(), configuration: configuration, clientToken: AuthToken(presented))
        if presented == "ok" {
            #expect(try await transport.call(TestRouter.echo, payload: [1], timeout: nil) == [1])
        } else {
            await #expect {
                try await transport.call(TestRouter.echo, payload: [1], timeout: nil)
            } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        }
    }

    @Test("GOAWAY lets in-flight calls finish and refuses new ones")
    func goAway() async throws {
        let gate = Gate()
        let transport = InMemoryTransport(router: TestRouter.make(gate: gate))
        let inFlight = Task { try await transport.call(TestRouter.gated, payload: [7], timeout: nil) }
        #expect(await eventually { gate.started == 1 })
        transport.beginServerShutdown()
        try await transport.ping()  // the GOAWAY has reached the client once a later PONG has
        await #expect {
            try await transport.call(TestRouter.echo, payload: [], timeout: nil)
        } throws: { ($0 as? RPCError)?.code == .unavailable }
        gate.open()
        #expect(try await inFlight.value == [7])
        #expect(await eventually { transport.serverClosed })
    }

    @Test("PING is answered")
    func ping() async throws {
        let transport = InMemoryTransport(router: TestRouter.make(), chunkSize: 3)
        try await transport.ping()
    }

    @Test("the token never appears in descriptions")
    func tokenRedacted() throws {
        let token = try #require(AuthToken("hunter2"))
        #expect("\(token)" == "<redacted>")
        #expect(token.bytes.withUnsafeBytes { token.matches($0) })
        #expect(!Array("hunter3".utf8).withUnsafeBytes { token.matches($0) })
        #expect(!Array("hunter22".utf8).withUnsafeBytes { token.matches($0) })
        #expect(!Array("".utf8).withUnsafeBytes { token.matches($0) })
    }
}
