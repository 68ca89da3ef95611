import CSentinelPosix
import Glibc
import SentinelRPC

/// The listening socket on the first loop: accepts while connection permits remain, pauses when they run out.
final class Listener: PollHandler {
    private let fd: Int32
    private unowned let server: TCPServer
    private let loop: PosixEventLoop
    private var paused = false
    private var closed = false
    private var nextLoop = 0

    init(fd: Int32, server: TCPServer, loop: PosixEventLoop) {
        self.fd = fd
        self.server = server
        self.loop = loop
    }

    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            guard server.hasConnectionPermit else {
                paused = true
                loop.modify(fd, events: 0)
                return
            }
            let client = accept(fd, nil, nil)
            if client < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE:
                    // Out of descriptors: back off instead of spinning on a level-triggered readiness.
                    paused = true
                    loop.modify(fd, events: 0)
                    let bound = LoopBound(self, loop: loop)
                    _ = loop.scheduleTimer(at: .now + .milliseconds(100)) { bound.value.resumeAccepting() }
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
            server.accepted(client, loopIndex: nextLoop)
            nextLoop &+= 1
        }
    }

    /// Re-arms accepting after a connection closed, if it was paused for lack of permits.
    func resumeAccepting() {
        guard paused, !closed, server.hasConnectionPermit else { return }
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
