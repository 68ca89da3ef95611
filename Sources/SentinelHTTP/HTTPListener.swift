import CSentinelPosix
import Glibc
import SentinelPosix
import SentinelRPC

/// The HTTP server's listening socket: accepts while permits remain, pauses when they run out. Loop only.
final class HTTPListener: PollHandler {
    private let fd: Int32
    private unowned let server: HTTPServer
    private let loop: PosixEventLoop
    private var paused = false
    private var closed = false

    init(fd: Int32, server: HTTPServer, loop: PosixEventLoop) {
        self.fd = fd
        self.server = server
        self.loop = loop
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            guard server.hasAcceptPermit else {
                pause()
                return
            }
            let client = accept(fd, nil, nil)
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE:
                    // Out of descriptors: back off instead of spinning on a level-triggered readiness.
                    pause()
                    let bound = LoopBound(self, loop: loop)
                    _ = loop.scheduleTimer(at: .now + .milliseconds(100)) { bound.value.resumeAccepting(force: true) }
                    return
                default: return  // EAGAIN: drained.
                }
            }
            do {
                try Socket.setNonBlocking(client)
            } catch {
                close(client)
                continue
            }
            Socket.setNoDelay(client)
            server.accepted(client)
        }
    }

    private func pause() {
        paused = true
        loop.modify(fd, events: 0)
    }

    /// Re-arms accepting after a connection closed, if it was paused for lack of permits.
    func resumeAccepting(force: Bool = false) {
        guard paused, !closed, force || server.hasAcceptPermit else { return }
        paused = false
        loop.modify(fd, events: EPOLLIN.rawValue)
    }

    func closeNow() {
        guard !closed else { return }
        closed = true
        loop.deregister(fd)
        close(fd)
    }
}
