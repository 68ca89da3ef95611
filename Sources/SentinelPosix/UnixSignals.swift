import Dispatch
import Glibc

/// Unix signals as an async sequence, delivered through `DispatchSource` (as swift-service-lifecycle's
/// `UnixSignalsSequence` does).
///
/// The signals' default actions are disabled while the stream exists; they stay ignored afterwards.
///
/// ```swift
/// for await signal in UnixSignals.stream([SIGTERM, SIGINT]) { print("got \(signal)"); break }
/// ```
public enum UnixSignals {
    /// A stream yielding each listed signal as it arrives.
    /// - Parameter signals: Signal numbers such as `SIGTERM`.
    /// - Returns: The stream; it ends when its consumer is cancelled.
    public static func stream(_ signals: [Int32]) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let queue = DispatchQueue(label: "sentinel.signals")
            let sources = signals.map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                return source
            }
            let box = SourcesBox(sources: sources)
            continuation.onTermination = { _ in box.cancel() }
        }
    }
}

/// Keeps the signal sources alive until the stream ends.
///
/// `@unchecked Sendable` invariant: the array is never mutated; `DispatchSource.cancel()` is thread-safe.
private final class SourcesBox: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() {
        for source in sources { source.cancel() }
    }
}
