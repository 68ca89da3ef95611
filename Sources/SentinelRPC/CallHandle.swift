import SentinelLock
import Synchronization

/// Joins an awaiting task to a call running on a loop-confined ``ClientConnection``: resumes the continuation
/// once, and turns task cancellation into ``ClientConnection/cancel(_:)``.
///
/// Transports use it to implement ``ClientTransport/call(_:payload:timeout:)``.
public final class CallHandle: Sendable {
    private enum State {
        case starting
        case started(UInt32, LoopBound<ClientConnection>)
        case cancelled
        case finished
    }

    private let state = Lock(State.starting)

    /// Creates a handle for one call.
    public init() {}

    /// Records the id the connection gave the call; when the task was cancelled meanwhile, cancels it now.
    public func started(_ id: UInt32, on connection: LoopBound<ClientConnection>) {
        let cancelNow = state.withLock { state -> Bool in
            switch state {
            case .starting:
                state = .started(id, connection)
                return false
            case .cancelled:
                return true
            default:
                return false
            }
        }
        if cancelNow { connection.withValue { $0.cancel(id) } }
    }

    /// Marks the call finished (its completion ran).
    public func finished() {
        state.withLock { $0 = .finished }
    }

    /// Called from the task's cancellation handler, on any thread.
    public func cancel() {
        let target = state.withLock { state -> (UInt32, LoopBound<ClientConnection>)? in
            switch state {
            case .starting:
                state = .cancelled
                return nil
            case .started(let id, let connection):
                state = .cancelled
                return (id, connection)
            default:
                return nil
            }
        }
        if let (id, connection) = target {
            connection.withValue {
                $0.cancel(id)
                $0.onOutput?()
            }
        }
    }

    /// Whether the task was cancelled before the call started.
    public var isCancelled: Bool {
        state.withLock {
            if case .cancelled = $0 { return true }
            return false
        }
    }
}
