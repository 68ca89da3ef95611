import Synchronization

/// A monotonically increasing value (Prometheus counter), safe to update from any thread.
///
/// ```swift
/// let requests = try registry.makeCounter(name: "sentinel_requests_total", help: "Requests served.")
/// requests.increment()
/// ```
public final class Counter: Sendable {
    /// The metric name.
    public let name: String
    /// The label values of this series.
    public let labels: [String: String]
    // The Double's bit pattern, so it can be updated with a compare-and-exchange loop.
    private let bits = Atomic<UInt64>(0)

    /// Creates a counter at zero, outside any registry.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - labels: The label values of this series.
    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }

    /// Adds to the counter.
    /// - Parameter amount: A non-negative, non-NaN amount (default 1); a counter never decreases.
    public func increment(by amount: Double = 1) {
        precondition(amount >= 0, "counter \(name) can only increase, got \(amount)")
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Raises the counter to `total` when it is higher: for a counter that mirrors a total kept elsewhere (read by a
    /// collector at scrape time); a lower total is ignored, so the counter never decreases.
    /// - Parameter total: The source's running total.
    public func advance(to total: Double) {
        var current = bits.load(ordering: .relaxed)
        while total > Double(bitPattern: current) {
            let (exchanged, original) = bits.compareExchange(
                expected: current, desired: total.bitPattern, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// The current value.
    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
