import CSentinelPosix
import Glibc
import SentinelPosix
import SentinelRPC

/// One accepted HTTP connection: reads requests, runs their handlers one at a time (so pipelined responses leave
/// in request order), and writes responses. Loop only.
///
/// Reads pause while a handler runs or while more than `maximumPendingOutput` bytes wait to be sent. A connection
/// accepted past the connection limit (`rejecting`) answers 503 to its first request and closes. Closing after a
/// response half-closes first and discards input until the peer's FIN (or two seconds), so a response followed by
/// unread request bytes is not destroyed by a TCP reset.
final class HTTPConnection: PollHandler {
    /// The connection's phase.
    ///
    /// `open` → `closing` (after the last response is queued: drain output, then half-close) → `lingering`
    /// (discarding input until FIN or timer) → `closed`; `closeNow()` goes to `closed` from any phase.
    private enum Phase {
        case open
        case closing
        case lingering
        case closed
    }

    private static let readSize = 64 * 1024
    private let fd: Int32
    private unowned let server: HTTPServer
    private let loop: PosixEventLoop
    private let rejecting: Bool
    private var parser: HTTPRequestParser
    private var outbound: [UInt8] = []
    private var outboundStart = 0
    private var phase = Phase.open
    private var handlerRunning = false
    private var shuttingDown = false
    private var headerTimer: TimerID?
    private var lingerTimer: TimerID?
    private var watchedEvents = EPOLLIN.rawValue

    init(fd: Int32, server: HTTPServer, rejecting: Bool) {
        self.fd = fd
        self.server = server
        self.loop = server.loop
        self.rejecting = rejecting
        parser = HTTPRequestParser(limits: server.configuration.limits)
    }

    /// Called once after registration: starts the header-read timer.
    func start() {
        armHeaderTimer()
    }

    func handleEvents(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readAvailable()
        }
        guard phase != .closed else { return }
        flush()
    }

    private func readAvailable() {
        var chunk = [UInt8](repeating: 0, count: Self.readSize)
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno != EAGAIN && errno != EINTR { closeNow() }
            return
        }
        if count == 0 {
            // The peer half-closed: finish what is queued, then close.
            if phase == .lingering || (!handlerRunning && outboundPending == 0) {
                closeNow()
            } else {
                phase = .closing
            }
            return
        }
        if phase == .lingering || phase == .closing { return }  // Input after the last request is discarded.
        parser.append(chunk[0..<count])
        processRequests()
    }

    /// Parses and answers buffered requests until one runs asynchronously, output backs up, or input runs out.
    private func processRequests() {
        while phase == .open && !handlerRunning && outboundPending <= server.configuration.maximumPendingOutput {
            guard let result = parser.next() else { break }
            cancelHeaderTimer()
            switch result {
            case .failure(let error):
                enqueue(HTTPResponse(error: error), includeBody: true, keepAlive: false)
            case .success(let request):
                handle(request)
            }
        }
        if phase == .open && !handlerRunning && headerTimer == nil { armHeaderTimer() }
    }

    private func handle(_ request: HTTPRequest) {
        let includeBody = request.method != "HEAD"
        let keepAlive = request.keepAlive && !shuttingDown && !rejecting
        if rejecting {
            let response = HTTPResponse(
                status: .serviceUnavailable,
                text: "too many connections (limit \(server.configuration.maximumConnections)); retry later")
            enqueue(response, includeBody: includeBody, keepAlive: false)
            return
        }
        switch server.router.decide(request) {
        case .respond(let response):
            enqueue(response, includeBody: includeBody, keepAlive: keepAlive)
        case .run(.sync(let handler)):
            enqueue(handler(request), includeBody: includeBody, keepAlive: keepAlive)
        case .run(.async(let handler)):
            handlerRunning = true
            let bound = LoopBound(self, loop: loop)
            let server = self.server
            server.taskStarted()
            Task(executorPreference: loop) {
                let response = await handler(request)
                bound.withValue { connection in
                    connection.handlerFinished(response, includeBody: includeBody, keepAlive: keepAlive)
                    server.taskFinished()
                }
            }
        }
    }

    private func handlerFinished(_ response: HTTPResponse, includeBody: Bool, keepAlive: Bool) {
        handlerRunning = false
        guard phase != .closed else { return }
        enqueue(response, includeBody: includeBody, keepAlive: keepAlive && !shuttingDown)
        if phase == .open { processRequests() }
        flush()
    }

    private func enqueue(_ response: HTTPResponse, includeBody: Bool, keepAlive: Bool) {
        outbound += response.serialized(includeBody: includeBody, keepAlive: keepAlive)
        if !keepAlive { phase = .closing }
        loop.markNeedsFlush(fd)
    }

    private var outboundPending: Int { outbound.count - outboundStart }

    func flush() {
        guard phase != .closed else { return }
        while outboundPending > 0 {
            let sent = outbound.withUnsafeBytes {
                Socket.send(fd, UnsafeRawBufferPointer(rebasing: $0[outboundStart...]))
            }
            if sent > 0 {
                outboundStart += sent
                continue
            }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) { break }
            closeNow()  // EPIPE, ECONNRESET: the peer is gone.
            return
        }
        if outboundPending == 0 {
            outbound.removeAll(keepingCapacity: outbound.count <= 1 << 20)
            outboundStart = 0
            if phase == .closing && !handlerRunning {
                beginLinger()
                return
            }
            // Output drained: pipelined requests held back by backpressure may proceed.
            if phase == .open && !handlerRunning && parser.bufferedCount > 0 { processRequests() }
        }
        updateInterest()
    }

    private func beginLinger() {
        phase = .lingering
        cancelHeaderTimer()
        shutdown(fd, Int32(SHUT_WR))
        let bound = LoopBound(self, loop: loop)
        lingerTimer = loop.scheduleTimer(at: .now + .seconds(2)) { bound.value.closeNow() }
        updateInterest()
    }

    private func updateInterest() {
        var events: UInt32 = 0
        let backedUp = outboundPending > server.configuration.maximumPendingOutput
        if !backedUp && !handlerRunning { events |= EPOLLIN.rawValue }
        if phase == .lingering { events = EPOLLIN.rawValue }
        if outboundPending > 0 { events |= EPOLLOUT.rawValue }
        guard events != watchedEvents else { return }
        watchedEvents = events
        loop.modify(fd, events: events)
    }

    private func armHeaderTimer() {
        let bound = LoopBound(self, loop: loop)
        headerTimer = loop.scheduleTimer(at: .now + server.configuration.headerReadTimeout) {
            bound.value.headerTimeout()
        }
    }

    private func cancelHeaderTimer() {
        if let headerTimer { loop.cancelTimer(headerTimer) }
        headerTimer = nil
    }

    private func headerTimeout() {
        headerTimer = nil
        guard phase == .open, !handlerRunning else { return }
        if parser.bufferedCount > 0 {
            let seconds = server.configuration.headerReadTimeout.components.seconds
            enqueue(
                HTTPResponse(error: HTTPError(.timeout, "the request head did not arrive within \(seconds) s")),
                includeBody: true, keepAlive: false)
            flush()
        } else {
            closeNow()  // An idle keep-alive connection.
        }
    }

    func beginGracefulShutdown() {
        shuttingDown = true
        guard phase == .open else { return }
        if !handlerRunning && outboundPending == 0 && parser.bufferedCount == 0 {
            closeNow()
        }
        // Otherwise the response in progress carries Connection: close and the connection closes after it.
    }

    func closeNow() {
        guard phase != .closed else { return }
        phase = .closed
        cancelHeaderTimer()
        if let lingerTimer { loop.cancelTimer(lingerTimer) }
        loop.deregister(fd)
        close(fd)
        server.connectionClosed()
    }
}
