import CSentinelPosix
import Glibc
import SentinelRPC
import SentinelWire

/// The client's connection manager on its loop: connects on demand, reconnects after a drop, backs off after a
/// failed connect. Loop only.
///
/// States: `idle` → `connecting` (calls wait) → `connected` → (drop or GOAWAY) → `idle`; a failed connect goes to
/// `backingOff` until its retry time, during which calls fail fast with UNAVAILABLE.
final class ClientSession {
    typealias Waiter = (Result<ClientConnection, RPCError>) -> Void

    private enum State {
        case idle
        case connecting(ClientSocket, [Waiter])
        case connected(ClientSocket)
        case backingOff(until: ContinuousClock.Instant, reason: String)
        case closed
    }

    let address: SocketAddress
    let configuration: TCPClient.Configuration
    let loop: PosixEventLoop
    private var state = State.idle
    private var failures = 0
    private var draining: [ObjectIdentifier: ClientSocket] = [:]

    init(address: SocketAddress, configuration: TCPClient.Configuration, loop: PosixEventLoop) {
        self.address = address
        self.configuration = configuration
        self.loop = loop
    }

    /// Calls `body` with a connection that accepts calls, now or once connected, or with the failure.
    func withConnection(_ body: @escaping Waiter) {
        switch state {
        case .connected(let socket):
            if socket.core.acceptsCalls {
                body(.success(socket.core))
                return
            }
            draining[ObjectIdentifier(socket)] = socket  // GOAWAY: let it finish its calls, open a new one.
            state = .idle
            connect(body)
        case .connecting(let socket, var waiters):
            waiters.append(body)
            state = .connecting(socket, waiters)
        case .backingOff(let until, let reason):
            if ContinuousClock.now < until {
                body(.failure(RPCError(.unavailable, "cannot connect to \(address) (\(reason))")))
            } else {
                connect(body)
            }
        case .idle:
            connect(body)
        case .closed:
            body(.failure(RPCError(.unavailable, "the client is shut down")))
        }
    }

    /// Closes every connection; pending calls fail with UNAVAILABLE.
    func close() {
        let current = state
        state = .closed
        switch current {
        case .connecting(let socket, let waiters):
            socket.closeNow()
            for waiter in waiters { waiter(.failure(RPCError(.unavailable, "the client is shut down"))) }
        case .connected(let socket):
            socket.closeNow()
        default:
            break
        }
        for socket in Array(draining.values) { socket.closeNow() }
        draining.removeAll()
    }

    private func connect(_ first: @escaping Waiter) {
        do {
            let target = try address.resolve()
            let fd = try Socket.makeTCP(family: target.family)
            Socket.setNoDelay(fd)
            let socket = ClientSocket(fd: fd, session: self)
            let done: Bool
            do {
                done = try Socket.startConnect(fd, to: target)
                try loop.register(fd, events: done ? EPOLLIN.rawValue : EPOLLOUT.rawValue, handler: socket)
            } catch {
                Glibc.close(fd)
                throw error
            }
            state = .connecting(socket, [first])
            if done {
                connectFinished(socket, error: nil)
            } else {
                let bound = LoopBound(socket, loop: loop)
                socket.connectTimer = loop.scheduleTimer(at: .now + configuration.connectTimeout) {
                    bound.value.session?.connectFinished(bound.value, error: "timed out")
                }
            }
        } catch {
            state = .idle
            connectFailed(reason: (error as? SystemError)?.reason ?? "\(error)", waiters: [first])
        }
    }

    /// Called by the socket when its non-blocking connect completes (error `nil`) or fails.
    func connectFinished(_ socket: ClientSocket, error: String?) {
        guard case .connecting(let current, let waiters) = state, current === socket else { return }
        if let timer = socket.connectTimer { loop.cancelTimer(timer) }
        socket.connectTimer = nil
        if let error {
            socket.closeNow()
            connectFailed(reason: error, waiters: waiters)
            return
        }
        failures = 0
        state = .connected(socket)
        socket.becameConnected()
        for waiter in waiters { waiter(.success(socket.core)) }
        socket.flush()
    }

    /// Called by a socket after it closed.
    func socketClosed(_ socket: ClientSocket) {
        draining[ObjectIdentifier(socket)] = nil
        if case .connected(let current) = state, current === socket {
            state = .idle
        }
    }

    private func connectFailed(reason: String, waiters: [Waiter]) {
        failures += 1
        var delay = configuration.initialBackoff
        for _ in 1..<min(failures, 32) { delay = min(delay * 2, configuration.maximumBackoff) }
        state = .backingOff(until: .now + delay, reason: reason)
        let error = RPCError(.unavailable, "cannot connect to \(address) (\(reason))")
        for waiter in waiters { waiter(.failure(error)) }
    }
}
