import CSentinelPosix
import Glibc
import SentinelRPC
import SentinelWire

/// The listening socket on the first loop: accepts, and over a connection limit (all peers, or one peer address)
/// answers GOAWAY and closes.
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
            guard server.hasConnectionPermit else {
                refuse(
                    client, .connectionLimit, "connection limit of \(server.configuration.maximumConnections) reached")
                continue
            }
            var peer: String?
            if let perPeer = server.configuration.maximumConnectionsPerPeer {
                let host = Socket.peer(client)?.host ?? "unknown"
                guard server.admitPeer(host) else {
                    refuse(client, .peerLimit, "connection limit of \(perPeer) per peer address reached")
                    continue
                }
                peer = host
            }
            Socket.setNoDelay(client)
            server.accepted(client, loopIndex: nextLoop, peer: peer)
            nextLoop &+= 1
        }
    }

    /// Over a connection limit: one GOAWAY RESOURCE_EXHAUSTED, written without waiting (a fresh socket's send
    /// buffer takes it), then the socket is closed. The client learns why instead of hanging in the backlog.
    private func refuse(_ client: Int32, _ reason: DisconnectReason, _ message: String) {
        // Counted before the peer can see the refusal, so the count never lags what a client observed.
        server.refusedConnection(reason, peer: Socket.peerDescription(client))
        var frame: [UInt8] = []
        FrameHeader(type: .goAway, requestID: 0, code: StatusCode.resourceExhausted.rawValue)
            .appendFrame(payload: message.utf8, to: &frame)
        _ = frame.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(client)
    }

    /// Re-arms accepting after a descriptor shortage.
    func resumeAccepting() {
        guard paused, !closed else { return }
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
