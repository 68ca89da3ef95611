import CSentinelPosix
import Glibc
import SentinelRPC

/// One client TCP connection: moves bytes between its socket and a ``ClientConnection`` state machine. Loop only.
final class ClientSocket: PollHandler {
    private static let readSize = 64 * 1024
    let fd: Int32
    weak var session: ClientSession?
    let core: ClientConnection
    var connectTimer: TimerID?
    private let loop: PosixEventLoop
    private var connected = false
    private var watchingWrites = true
    private var closed = false

    init(fd: Int32, session: ClientSession) {
        self.fd = fd
        self.session = session
        self.loop = session.loop
        core = ClientConnection(
            loop: session.loop, limits: session.configuration.limits, token: session.configuration.token,
            peer: session.address.description)
        core.onOutput = { [fd, loop] in loop.markNeedsFlush(fd) }
    }

    func becameConnected() {
        connected = true
        watchingWrites = false
        loop.modify(fd, events: EPOLLIN.rawValue)
    }

    func handleEvents(_ events: UInt32) {
        if !connected {
            let error = Socket.pendingError(fd)
            let reason = error == 0 ? nil : SystemError(errno: error, function: "connect").reason
            session?.connectFinished(self, error: reason)
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            let fd = self.fd
            let count = core.fill(maximumCount: Self.readSize) { buffer in
                read(fd, buffer.baseAddress, buffer.count)
            }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) {
                closeNow()
                return
            }
        }
        flush()
    }

    func flush() {
        guard connected, !closed else { return }
        while !core.outbound.isEmpty {
            let sent = core.outbound.withUnsafeBytes { Socket.send(fd, $0) }
            if sent > 0 {
                core.consumeOutbound(sent)
                continue
            }
            if sent < 0 && (errno == EAGAIN || errno == EINTR) { break }
            closeNow()
            return
        }
        if core.wantsClose && core.outbound.isEmpty {
            closeNow()
            return
        }
        let pending = !core.outbound.isEmpty
        if pending != watchingWrites {
            watchingWrites = pending
            loop.modify(fd, events: EPOLLIN.rawValue | (pending ? EPOLLOUT.rawValue : 0))
        }
    }

    func closeNow() {
        guard !closed else { return }
        closed = true
        if let connectTimer { loop.cancelTimer(connectTimer) }
        loop.deregister(fd)
        Glibc.close(fd)
        core.closed()
        session?.socketClosed(self)
    }
}
