import SentinelRPC
import SentinelWire
import Synchronization

/// A decoded frame, for assertions.
struct DecodedFrame: Equatable {
    var header: FrameHeader
    var payload: [UInt8]
    var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Drives one ``ServerConnection`` on an ``InMemoryEventLoop`` with raw bytes and decodes what it answers.
final class ServerHarness: Sendable {
    let loop = InMemoryEventLoop(name: "harness")
    private let connection: LoopBound<ServerConnection>

    init(router: Router = TestRouter.make(), configuration: ServerConfiguration = ServerConfiguration()) {
        let loop = self.loop
        connection = loop.sync {
            LoopBound(ServerConnection(router: router, configuration: configuration, loop: loop), loop: loop)
        }
    }

    /// Sends bytes and returns everything the server queued in response (synchronous handlers answer at once).
    @discardableResult
    func send(_ bytes: [UInt8]) -> [DecodedFrame] {
        loop.sync { bytes.withUnsafeBytes { connection.value.receive($0) } }
        return takeOutput()
    }

    /// Decodes and removes the queued output.
    func takeOutput() -> [DecodedFrame] {
        Self.decode(takeRawOutput())
    }

    /// Removes the queued output bytes.
    func takeRawOutput() -> [UInt8] {
        loop.sync {
            var bytes: [UInt8] = []
            connection.value.takeOutbound(into: &bytes)
            return bytes
        }
    }

    /// Feeds bytes to the connection; call on the loop.
    func connectionReceive(_ bytes: UnsafeRawBufferPointer) {
        connection.value.receive(bytes)
    }

    var wantsClose: Bool { loop.sync { connection.value.wantsClose } }
    var inFlight: Int { loop.sync { connection.value.inFlightCount } }

    func beginShutdown() { loop.sync { connection.value.beginShutdown() } }

    static func decode(_ bytes: [UInt8]) -> [DecodedFrame] {
        var decoder = FrameDecoder(detectHTTP: false)
        decoder.append(bytes)
        var frames: [DecodedFrame] = []
        while let header = try? decoder.decodeFrame() {
            frames.append(DecodedFrame(header: header, payload: decoder.withPayload { Array($0) }))
        }
        return frames
    }
}

/// Frame builders.
enum Frames {
    static func request(
        _ id: UInt32, _ method: MethodID = TestRouter.echo, _ payload: [UInt8] = [], timeout: Duration? = nil
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(
            type: .request, requestID: id, code: method.rawValue, timeoutMicroseconds: FrameHeader.timeoutField(timeout)
        ).appendFrame(payload: payload, to: &bytes)
        return bytes
    }

    static func frame(_ type: FrameType, _ id: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(type: type, requestID: id).appendFrame(payload: payload, to: &bytes)
        return bytes
    }
}

/// A gate async handlers wait on until a test opens it; also records cancellations.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>], cancelled: Int, started: Int)>(
        (false, [], 0, 0))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                state.started += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func recordCancellation() { state.withLock { $0.cancelled += 1 } }
    var cancellations: Int { state.withLock { $0.cancelled } }
    var started: Int { state.withLock { $0.started } }
}

/// The methods the tests serve.
enum TestRouter {
    static let echo = MethodID(rawValue: 100)
    static let asyncEcho = MethodID(rawValue: 101)
    static let fail = MethodID(rawValue: 102)
    static let crash = MethodID(rawValue: 103)
    static let gated = MethodID(rawValue: 104)
    static let untilCancelled = MethodID(rawValue: 105)

    struct Secret: Error { var text = "database password is hunter2" }

    static func make(gate: Gate = Gate()) -> Router {
        var router = Router()
        router.register(echo) { _, request, response in response.append(contentsOf: request) }
        router.registerAsync(asyncEcho) { _, request in
            await Task.yield()
            return request
        }
        router.register(fail) { _, _, _ in throw RPCError(.invalidArgument, "amount must be finite") }
        router.register(crash) { _, _, _ in throw Secret() }
        router.registerAsync(gated) { _, request in
            await gate.wait()
            return request
        }
        router.registerAsync(untilCancelled) { _, _ in
            await withTaskCancellationHandler {
                await gate.wait()
            } onCancel: {
                gate.recordCancellation()
                gate.open()
            }
            try Task.checkCancellation()
            return []
        }
        return router
    }
}

/// Polls a condition (on a real clock) until it holds or `limit` passes; for effects of timers.
func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
