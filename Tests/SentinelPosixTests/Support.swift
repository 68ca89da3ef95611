import Foundation
import Glibc
import SentinelPosix
import SentinelRPC
import SentinelWire
import Synchronization

/// The methods the socket tests serve.
enum Methods {
    static let echo = MethodID(rawValue: 100)
    static let asyncEcho = MethodID(rawValue: 101)
    static let gated = MethodID(rawValue: 104)
    static let untilCancelled = MethodID(rawValue: 105)

    static func router(gate: Gate = Gate()) -> Router {
        var router = Router()
        router.register(echo) { _, request, response in response.append(contentsOf: request) }
        router.registerAsync(asyncEcho) { _, request in
            await Task.yield()
            return request
        }
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

/// A gate async handlers wait on until a test opens it.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>], started: Int, cancelled: Int)>(
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

    var started: Int { state.withLock { $0.started } }
    func recordCancellation() { state.withLock { $0.cancelled += 1 } }
    var cancellations: Int { state.withLock { $0.cancelled } }
}

/// The busy-poll windows server tests run with: off, and on with a window longer than a loopback round trip.
let busyPollWindows: [Duration] = [.zero, .microseconds(200)]

extension ServerConfiguration {
    /// The default configuration with the given busy-poll window.
    init(busyPoll: Duration) {
        self.init()
        self.busyPoll = busyPoll
    }
}

/// Runs a server on 127.0.0.1:0 for the duration of `body`, then shuts it down and waits for `run()` to return.
@discardableResult
func withServer<Result: Sendable>(
    router: Router = Methods.router(),
    configuration: ServerConfiguration = ServerConfiguration(),
    loopCount: Int = 2,
    _ body: (TCPServer) async throws -> Result
) async throws -> Result {
    let server = try TCPServer(
        host: "127.0.0.1", port: 0, router: router, configuration: configuration, loopCount: loopCount)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            let result = try await body(server)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// Runs a blocking call on a thread of its own, so it never occupies one of the cooperative pool's few threads
/// (the server's and client's tasks need them).
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// A test-side socket that speaks raw bytes; its blocking calls run off the cooperative pool (receive timeout 5 s,
/// so a test cannot hang).
final class RawConnection: Sendable {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw SystemError(errno: errno, function: "connect") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    func write(_ bytes: [UInt8]) async {
        await offPool { self.blockingWrite(bytes) }
    }

    func read(atLeast count: Int) async -> [UInt8] {
        await offPool { self.blockingRead(atLeast: count) }
    }

    func readToEnd() async -> (bytes: [UInt8], closed: Bool) {
        await offPool { self.blockingReadToEnd() }
    }

    func readFrames(_ count: Int) async -> [(FrameHeader, [UInt8])] {
        await offPool { self.blockingReadFrames(count).map { ($0.0, $0.1) } }
    }

    private func blockingWrite(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Reads until `count` bytes arrived, the peer closed, or the receive timeout passed.
    private func blockingRead(atLeast count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while result.count < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            result += buffer[0..<got]
        }
        return result
    }

    /// Reads until the peer closes (true) or the receive timeout passes (false); returns the bytes too.
    private func blockingReadToEnd() -> (bytes: [UInt8], closed: Bool) {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { return (result, true) }
            if got < 0 { return (result, errno == ECONNRESET) }
            result += buffer[0..<got]
        }
    }

    /// Reads frames until `count` complete frames arrived.
    private func blockingReadFrames(_ count: Int) -> [(FrameHeader, [UInt8])] {
        var decoder = FrameDecoder(detectHTTP: false)
        var frames: [(FrameHeader, [UInt8])] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while frames.count < count {
            let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got <= 0 { break }
            decoder.append(Array(buffer[0..<got]))
            while let header = try? decoder.decodeFrame() {
                frames.append((header, decoder.withPayload { Array($0) }))
            }
        }
        return frames
    }
}

func request(_ id: UInt32, _ method: MethodID = Methods.echo, _ payload: [UInt8] = []) -> [UInt8] {
    var bytes: [UInt8] = []
    FrameHeader(type: .request, requestID: id, code: method.rawValue).appendFrame(payload: payload, to: &bytes)
    return bytes
}

/// Polls a condition until it holds or `limit` passes.
func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
