import SentinelLock
import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Synchronization
import Testing

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Lock(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

@Suite("Server connection state machine")
struct ServerConnectionTests {
    @Test("a synchronous request is answered at once with its id and payload")
    func echo() {
        let harness = ServerHarness()
        let frames = harness.send(Frames.request(7, TestRouter.echo, [1, 2, 3]))
        #expect(frames.count == 1)
        #expect(frames.first?.header.type == .response)
        #expect(frames.first?.header.requestID == 7)
        #expect(frames.first?.header.status == .ok)
        #expect(frames.first?.payload == [1, 2, 3])
    }

    @Test("a request split into one-byte pieces is answered once")
    func oneByteAtATime() {
        let harness = ServerHarness()
        var answered: [DecodedFrame] = []
        for byte in Frames.request(3, TestRouter.echo, [9, 9]) { answered += harness.send([byte]) }
        #expect(answered.map(\.header.requestID) == [3])
    }

    @Test("coalesced requests are all answered, in one output batch")
    func coalesced() {
        let harness = ServerHarness()
        var bytes: [UInt8] = []
        for id in 1...100 { bytes += Frames.request(UInt32(id), TestRouter.echo, [UInt8(id)]) }
        let frames = harness.send(bytes)
        #expect(frames.map(\.header.requestID) == (1...100).map { UInt32($0) })
        #expect(frames.allSatisfy { $0.payload == [UInt8($0.header.requestID)] })
    }

    @Test("an unknown method gets UNIMPLEMENTED and the connection stays open")
    func unknownMethod() {
        let harness = ServerHarness()
        let frames = harness.send(Frames.request(2, MethodID(rawValue: 99)))
        #expect(frames.first?.header.status == .unimplemented)
        #expect(frames.first?.text == "unknown method 99")
        #expect(!harness.wantsClose)
        #expect(harness.send(Frames.request(3)).first?.header.status == .ok)
    }

    @Test("a thrown RPCError sets the status; any other error is INTERNAL without its text")
    func handlerErrors() {
        let harness = ServerHarness()
        let failed = harness.send(Frames.request(1, TestRouter.fail))
        #expect(failed.first?.header.status == .invalidArgument)
        #expect(failed.first?.text == "amount must be finite")
        let crashed = harness.send(Frames.request(2, TestRouter.crash))
        #expect(crashed.first?.header.status == .internal)
        #expect(crashed.first?.text == "internal error")
        #expect(!(crashed.first?.text.contains("hunter2") ?? true))
    }

    @Test("an oversized frame gets RESOURCE_EXHAUSTED and GOAWAY, then the connection closes")
    func oversized() {
        var configuration = ServerConfiguration()
        configuration.limits = FrameLimits(maximumPayloadSize: 16)
        let harness = ServerHarness(configuration: configuration)
        var header: [UInt8] = []
        FrameHeader(type: .request, payloadLength: 17, requestID: 5, code: TestRouter.echo.rawValue).append(to: &header)
        let frames = harness.send(header)
        #expect(frames.map(\.header.type) == [.response, .goAway])
        #expect(frames.first?.header.requestID == 5)
        #expect(frames.first?.header.status == .resourceExhausted)
        #expect(frames.last?.header.status == .resourceExhausted)
        #expect(harness.wantsClose)
        #expect(harness.closeReason == .frameTooLarge)
    }

    @Test("bad magic closes the connection without an answer")
    func badMagic() {
        let harness = ServerHarness()
        #expect(harness.takeRawOutput().isEmpty)
        harness.send([0x16, 0x03, 0x01, 0x00])
        #expect(harness.takeRawOutput().isEmpty)
        #expect(harness.wantsClose)
        #expect(harness.closeReason == .protocolError)
    }

    @Test("an HTTP request gets one plain-text line, then the connection closes")
    func http() {
        let harness = ServerHarness()
        let raw = harness.sendRaw(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(String(decoding: raw, as: UTF8.self) == ServerConnection.httpAnswer)
        #expect(raw.filter { $0 == 0x0A }.count == 1)
        #expect(harness.wantsClose)
    }

    @Test("a newer protocol version gets GOAWAY UNIMPLEMENTED and a close")
    func version() {
        let harness = ServerHarness()
        var bytes = Frames.request(1)
        bytes[2] = 2
        let frames = harness.send(bytes)
        #expect(frames.first?.header.type == .goAway)
        #expect(frames.first?.header.status == .unimplemented)
        #expect(harness.wantsClose)
    }

    @Test("request id 0 and a duplicate in-flight id are protocol errors", arguments: [true, false])
    func badIDs(zero: Bool) {
        let gate = Gate()
        let harness = ServerHarness(router: TestRouter.make(gate: gate))
        if zero {
            #expect(harness.send(Frames.request(0)).first?.header.type == .goAway)
        } else {
            #expect(harness.send(Frames.request(4, TestRouter.gated)).isEmpty)
            let frames = harness.send(Frames.request(4, TestRouter.gated))
            #expect(frames.first?.header.type == .goAway)
            #expect(frames.first?.header.status == .invalidArgument)
        }
        #expect(harness.wantsClose)
        gate.open()
    }

    @Test("PING is answered with PONG echoing id and payload")
    func ping() {
        let harness = ServerHarness()
        let frames = harness.send(Frames.frame(.ping, 77, [1, 2, 3, 4, 5, 6, 7, 8]))
        #expect(frames.first?.header.type == .pong)
        #expect(frames.first?.header.requestID == 77)
        #expect(frames.first?.payload == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("unknown frame types are skipped")
    func unknownType() {
        let harness = ServerHarness()
        let frames = harness.send(Frames.frame(FrameType(rawValue: 99), 0, [1, 2, 3]) + Frames.request(8))
        #expect(frames.map(\.header.requestID) == [8])
    }

    @Test("over the in-flight cap a request gets RESOURCE_EXHAUSTED at once")
    func inFlightCap() async {
        let gate = Gate()
        var configuration = ServerConfiguration()
        configuration.maximumInFlightPerConnection = 2
        let harness = ServerHarness(router: TestRouter.make(gate: gate), configuration: configuration)
        #expect(harness.send(Frames.request(1, TestRouter.gated) + Frames.request(2, TestRouter.gated)).isEmpty)
        let refused = harness.send(Frames.request(3, TestRouter.gated))
        #expect(refused.first?.header.requestID == 3)
        #expect(refused.first?.header.status == .resourceExhausted)
        // Synchronous handlers never wait, so they are not capped.
        #expect(harness.send(Frames.request(4)).first?.header.status == .ok)
        gate.open()
        var answered: [UInt32] = []
        #expect(
            await eventually {
                answered += harness.takeOutput().map(\.header.requestID)
                return answered.count == 2
            })
        #expect(Set(answered) == [1, 2])
        #expect(harness.inFlight == 0)
    }

    @Test("an expired deadline answers DEADLINE_EXCEEDED and cancels the handler")
    func deadline() async {
        let gate = Gate()
        let harness = ServerHarness(router: TestRouter.make(gate: gate))
        harness.send(Frames.request(9, TestRouter.untilCancelled, timeout: .milliseconds(20)))
        var frames: [DecodedFrame] = []
        #expect(
            await eventually {
                frames += harness.takeOutput()
                return !frames.isEmpty && gate.cancellations == 1
            })
        #expect(frames.count == 1)
        #expect(frames.first?.header.requestID == 9)
        #expect(frames.first?.header.status == .deadlineExceeded)
        #expect(harness.inFlight == 0)
        #expect(!harness.wantsClose)
    }

    @Test("a request whose deadline passed while earlier ones in the same read ran is refused before its handler")
    func deadlinePassedBeforeDispatch() {
        let calls = Counter()
        var router = TestRouter.make()
        let slow = MethodID(rawValue: 110)
        router.registerRaw(slow) { _, request, response in
            calls.increment()
            let until = ContinuousClock.now + .milliseconds(20)
            while ContinuousClock.now < until {}  // Work on the loop, as a large batch is.
            response += request
        }
        let harness = ServerHarness(router: router)
        let frames = harness.send(
            Frames.request(1, slow, [1]) + Frames.request(2, slow, [2], timeout: .milliseconds(5)))
        #expect(frames.map(\.header.requestID) == [1, 2])
        #expect(frames.map(\.header.status) == [.ok, .deadlineExceeded])
        #expect(calls.value == 1, "the second handler never ran")
    }

    @Test("CANCEL stops the handler and nothing is sent for it")
    func cancel() async {
        let gate = Gate()
        let harness = ServerHarness(router: TestRouter.make(gate: gate))
        harness.send(Frames.request(5, TestRouter.untilCancelled))
        #expect(await eventually { gate.started == 1 })
        #expect(harness.send(Frames.frame(.cancel, 5)).isEmpty)
        #expect(await eventually { gate.cancellations == 1 })
        #expect(harness.inFlight == 0)
        #expect(harness.send(Frames.request(6)).map(\.header.requestID) == [6])
    }

    @Test("GOAWAY: in-flight requests finish, new ones get UNAVAILABLE, then the connection closes")
    func goAway() async {
        let gate = Gate()
        let harness = ServerHarness(router: TestRouter.make(gate: gate))
        let first = harness.send(Frames.request(1, TestRouter.echo) + Frames.request(3, TestRouter.gated, [42]))
        #expect(first.map(\.header.requestID) == [1])
        harness.beginGracefulShutdown()
        let goAway = harness.takeOutput()
        #expect(goAway.first?.header.type == .goAway)
        #expect(goAway.first?.header.requestID == 3)
        #expect(goAway.first?.header.status == .ok)
        let refused = harness.send(Frames.request(4))
        #expect(refused.first?.header.status == .unavailable)
        #expect(!harness.wantsClose)
        gate.open()
        var frames: [DecodedFrame] = []
        #expect(
            await eventually {
                frames += harness.takeOutput()
                return harness.wantsClose
            })
        #expect(frames.first?.header.requestID == 3)
        #expect(frames.first?.payload == [42])
    }

    @Test("with a token configured: HELLO with the token opens the connection", arguments: ["s3cret", "wrong", nil])
    func authentication(presented: String?) {
        var configuration = ServerConfiguration()
        configuration.authToken = AuthToken("s3cret")
        let harness = ServerHarness(configuration: configuration)
        let hello = presented.map { Frames.frame(.hello, 0, Array($0.utf8)) } ?? []
        let frames = harness.send(hello + Frames.request(1))
        if presented == "s3cret" {
            #expect(frames.map(\.header.status) == [.ok])
            #expect(!harness.wantsClose)
        } else {
            #expect(frames.last?.header.type == .goAway)
            #expect(frames.last?.header.status == .unauthenticated)
            #expect(!frames.contains { $0.header.type == .response && $0.header.status == .ok })
            #expect(harness.wantsClose)
            #expect(!frames.contains { $0.text.contains("s3cret") })
        }
    }

    @Test("a HELLO after the first frame is ignored, whatever it carries (PROTOCOL.md §7.1)")
    func secondHello() {
        var configuration = ServerConfiguration()
        configuration.authToken = AuthToken("s3cret")
        let harness = ServerHarness(configuration: configuration)
        let frames = harness.send(
            Frames.frame(.hello, 0, Array("s3cret".utf8)) + Frames.frame(.hello, 0, Array("wrong".utf8))
                + Frames.request(1))
        #expect(frames.map(\.header.status) == [.ok])
        #expect(!harness.wantsClose)
        let plain = ServerHarness()
        #expect(
            plain.send(Frames.frame(.hello, 0, Array("any".utf8)) + Frames.request(1)).map(\.header.status) == [.ok])
    }

    @Test("a peer that stops mid-frame is closed after the frame-read timeout")
    func slowloris() async {
        var configuration = ServerConfiguration()
        configuration.frameReadTimeout = .milliseconds(50)
        let harness = ServerHarness(configuration: configuration)
        harness.send(Array(Frames.request(1).prefix(7)))
        #expect(await eventually { harness.wantsClose })
        #expect(harness.takeOutput().last?.header.status == .deadlineExceeded)
        #expect(harness.closeReason == .frameTimeout)
    }

    @Test("an idle connection gets GOAWAY and is closed after the idle timeout")
    func idle() async {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .milliseconds(50)
        let harness = ServerHarness(configuration: configuration)
        #expect(harness.send(Frames.request(1)).count == 1)
        #expect(await eventually { harness.wantsClose })
        let frames = harness.takeOutput()
        #expect(frames.last?.header.type == .goAway)
        #expect(frames.last?.header.requestID == 1)
        #expect(harness.closeReason == .idleTimeout)
    }

    @Test("a peer that never reads its answers is closed as a slow reader after the idle timeout")
    func slowReader() async {
        var configuration = ServerConfiguration()
        configuration.idleTimeout = .milliseconds(50)
        let harness = ServerHarness(configuration: configuration)
        // The answer is queued and never taken, as when the peer's receive window is full.
        harness.sendWithoutTakingOutput(Frames.request(1))
        #expect(await eventually { harness.wantsClose })
        #expect(harness.closeReason == .slowReader)
    }

    @Test("a reply above the payload limit becomes RESOURCE_EXHAUSTED; a thrown OK becomes UNKNOWN")
    func replyChecks() {
        var configuration = ServerConfiguration()
        configuration.limits = FrameLimits(maximumPayloadSize: 4)
        var router = Router()
        router.registerRaw(TestRouter.echo) { _, request, response in response += Array(request) + Array(request) }
        router.registerRaw(TestRouter.fail) { _, _, _ in throw RPCError(.ok, "not really") }
        let harness = ServerHarness(router: router, configuration: configuration)
        #expect(harness.send(Frames.request(1, TestRouter.echo, [1, 2])).first?.payload == [1, 2, 1, 2])
        let big = harness.send(Frames.request(2, TestRouter.echo, [1, 2, 3]))
        #expect(big.first?.header.status == .resourceExhausted)
        #expect(big.first?.text.contains("6 bytes") == true)
        #expect(harness.send(Frames.request(3, TestRouter.fail)).first?.header.status == .unknown)
    }
}

extension ServerHarness {
    /// Sends bytes and returns the raw answer (for non-frame answers such as the HTTP line).
    func sendRaw(_ bytes: [UInt8]) -> [UInt8] {
        loop.sync { bytes.withUnsafeBytes { connectionReceive($0) } }
        return takeRawOutput()
    }
}
