import CSentinelPosix
import Glibc
import SentinelRPC
import SentinelWire

/// One accepted TCP connection: moves bytes between its socket and a ``ServerConnection`` state machine.
///
/// Reads at most 64 KiB per readiness event and lets the state machine decode every complete frame, then sends
/// everything the handlers produced with one `send`. Write interest is enabled only when a send would block; reading
/// pauses while more than `maximumPendingOutput` bytes wait to be sent (a client that never reads cannot make the
/// server buffer without bound).
final class ServerSocketConnection: PollHandler {
    private static let readSize = 64 * 1024
    private let fd: Int32
    private let loop: PosixEventLoop
    private let core: ServerConnection
    private unowned let server: TCPServer
    private let maximumPendingOutput: Int
    private var watchingWrites = false
    private var readingPaused = false
    private var closed = false
    private var lingerTimer: TimerID?
    /// The peer address counted against the per-peer limit, released at close.
    private let peer: String?

    init(
        fd: Int32, loop: PosixEventLoop, router: Router, configuration: ServerConfiguration, server: TCPServer,
        tasks: TaskTracker, peer: String?
    ) {
        self.fd = fd
        self.peer = peer
        self.loop = loop
        self.server = server
        self.maximumPendingOutput = max(configuration.limits.maximumPayloadSize, 1 << 20) + 1 << 16
        core = ServerConnection(router: router, configuration: configuration, loop: loop, tracker: tasks)
        core.onOutput = { [fd, loop] in loop.markNeedsFlush(fd) }
    }

    func handleEvents(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 && !readingPaused {
            let fd = self.fd
            let count = core.fill(maximumCount: Self.readSize) { buffer in
                read(fd, buffer.baseAddress, buffer.count)
            }
            if count == 0 {
                core.inputClosed()
            } else if count < 0 && errno != EAGAIN && errno != EINTR {
                core.inputClosed()
                closeNow()
                return
            }
        }
        flush()
    }

    func flush() {
        guard !closed else { return }
        while !core.outbound.isEmpty {
            let sent = core.outbound.withUnsafeBytes { Socket.send(fd, $0) }
            if sent > 0 {
                core.consumeOutbound(sent)
                continue
            }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) { break }
            closeNow()  // EPIPE, ECONNRESET: the peer is gone.
            return
        }
        if core.outbound.isEmpty && core.wantsClose {
            closeNow()
            return
        }
        updateInterest()
    }

    func beginGracefulShutdown() {
        core.beginGracefulShutdown()
        flush()
    }

    func closeNow() {
        closeNow(because: nil)
    }

    /// Closes the socket; the reason is the state machine's own when it closed first.
    private func closeNow(because reason: DisconnectReason?) {
        guard !closed else { return }
        closed = true
        core.close(because: reason)
        if let lingerTimer { loop.cancelTimer(lingerTimer) }
        let reason = core.closeReason
        let description = reason == nil ? "" : Socket.peerDescription(fd)
        loop.deregister(fd)
        close(fd)
        server.connectionClosed(reason: reason, peer: description, countedPeer: self.peer)
    }

    private func updateInterest() {
        let pending = !core.outbound.isEmpty
        let pauseReading = core.outbound.count > maximumPendingOutput || core.wantsClose
        guard pending != watchingWrites || pauseReading != readingPaused else { return }
        watchingWrites = pending
        readingPaused = pauseReading
        var events: UInt32 = 0
        if !pauseReading { events |= EPOLLIN.rawValue }
        if pending { events |= EPOLLOUT.rawValue }
        loop.modify(fd, events: events)
        if core.wantsClose && pending && lingerTimer == nil {
            // A peer that stops reading cannot keep a closing connection forever.
            let bound = LoopBound(self, loop: loop)
            lingerTimer = loop.scheduleTimer(at: .now + .seconds(2)) { bound.value.closeNow(because: .slowReader) }
        }
    }
}
