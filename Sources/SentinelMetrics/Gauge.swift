import Synchronization

/// A value that can go up and down (Prometheus gauge), safe to update from any thread.
///
/// ```swift
/// let share = try registry.makeGauge(name: "sentinel_drift_share", help: "Features at warn or alert.")
/// share.set(0.1)
/// ```
public final class Gauge: Sendable {
    /// The metric name.
    public let name: String
    /// The label values of this series.
    public let labels: [String: String]
    // The Double's bit pattern, updated atomically.
    private let bits = Atomic<UInt64>(0)

    /// Creates a gauge at zero, outside any registry.
    /// - Parameters:
    ///   - name: The metric name.
    ///   - labels: The label values of this series.
    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }

    /// Sets the value.
    /// - Parameter value: The new value.
    public func set(_ value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
    }

    /// Adds to the value.
    /// - Parameter amount: The amount to add (default 1; negative to subtract).
    public func increment(by amount: Double = 1) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Subtracts from the value.
    /// - Parameter amount: The amount to subtract (default 1).
    public func decrement(by amount: Double = 1) {
        increment(by: -amount)
    }

    /// The current value.
    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }
}
