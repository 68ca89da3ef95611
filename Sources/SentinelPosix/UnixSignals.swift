import Dispatch
import Glibc
import SentinelLock
import Synchronization

/// Unix signals as an async sequence.
///
/// The first call installs a `sigaction` handler for each listed signal synchronously, before it returns, so a
/// signal that arrives right after can no longer kill the process or be lost; the handler only writes the signal's
/// number to a non-blocking pipe (async-signal-safe), and a `DispatchSource` reading that pipe yields it to every
/// open stream. Handlers stay installed after the streams end.
///
/// ```swift
/// for await signal in UnixSignals.stream([SIGTERM, SIGINT]) { print("got \(signal)"); break }
/// ```
public enum UnixSignals {
    /// A stream yielding each listed signal as it arrives.
    /// - Parameter signals: Signal numbers such as `SIGTERM`.
    /// - Returns: The stream; it ends when its consumer is cancelled.
    public static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let hub = SignalHub.shared
        let id = hub.add(Set(signals), continuation)
        continuation.onTermination = { _ in hub.remove(id) }
        return stream
    }
}

/// The write end of the signal pipe, read by the C signal handler.
///
/// `nonisolated(unsafe)`: written once, under `SignalHub`'s lock, before any handler that reads it is installed;
/// only read afterwards (from signal handlers, which cannot take locks).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Owns the pipe, the handlers and the open streams.
private final class SignalHub: Sendable {
    static let shared = SignalHub()

    private struct State {
        var readFD: Int32 = -1
        var installed: Set<Int32> = []
        var nextID = 0
        var streams: [Int: (signals: Set<Int32>, continuation: AsyncStream<Int32>.Continuation)] = [:]
        var source: (any DispatchSourceRead)?
    }

    private let state = Lock(State())

    func add(_ signals: Set<Int32>, _ continuation: AsyncStream<Int32>.Continuation) -> Int {
        state.withLock { state in
            if state.readFD < 0 { openPipe(&state) }
            for number in signals where !state.installed.contains(number) {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(signalPipeWriteFD, &byte, 1)
                }
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART
                sigaction(number, &action, nil)
                state.installed.insert(number)
            }
            state.nextID += 1
            state.streams[state.nextID] = (signals, continuation)
            return state.nextID
        }
    }

    func remove(_ id: Int) {
        state.withLock { _ = $0.streams.removeValue(forKey: id) }
    }

    private func openPipe(_ state: inout State) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { fatalError("pipe failed: \(SystemError(errno: errno, function: "pipe"))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        state.readFD = fds[0]
        signalPipeWriteFD = fds[1]
        let source = DispatchSource.makeReadSource(
            fileDescriptor: fds[0], queue: DispatchQueue(label: "sentinel.signals"))
        let readFD = fds[0]
        source.setEventHandler { [weak self] in self?.drain(readFD) }
        source.resume()
        state.source = source
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            let streams = state.withLock { Array($0.streams.values) }
            for byte in buffer[0..<count] {
                for stream in streams where stream.signals.contains(Int32(byte)) {
                    stream.continuation.yield(Int32(byte))
                }
            }
        }
    }
}
