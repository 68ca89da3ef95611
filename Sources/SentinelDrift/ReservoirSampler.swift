import Foundation

/// Chooses a uniform random sample of fixed size from a stream of unknown length (Algorithm L).
///
/// The sampler only decides *which* stream items to keep and in which slot; the caller stores the items
/// (so a whole event row can be kept for all features at once, in a flat array). Algorithm L (Li, 1994)
/// draws a skip length instead of one random number per item, so skipped items cost one comparison.
/// Seeded, hence reproducible.
///
/// ```swift
/// var sampler = ReservoirSampler(capacity: 2_048, seed: 7)
/// for value in stream {
///     if let slot = sampler.nextSlot() { sample[slot] = value }   // slot < 2048 ⇒ write (append if new)
/// }
/// ```
public struct ReservoirSampler: Sendable, Hashable, Codable {
    /// The default sample size per window.
    public static let defaultCapacity = 2_048

    /// The number of slots.
    public let capacity: Int
    /// How many stream items have been offered.
    public private(set) var seen: Int
    private var generator: SplitMix64
    private var weight: Double
    private var nextKept: Int  // 0-based index of the next item to keep once the reservoir is full

    /// Creates an empty sampler.
    /// - Parameters:
    ///   - capacity: The sample size (at least 1).
    ///   - seed: The random seed.
    public init(capacity: Int = ReservoirSampler.defaultCapacity, seed: UInt64) {
        precondition(capacity >= 1, "a reservoir needs at least one slot")
        self.capacity = capacity
        self.seen = 0
        self.generator = SplitMix64(seed: seed)
        self.weight = 1
        self.nextKept = capacity
        self.weight = exp(log(generator.nextUnitInterval()) / Double(capacity))
        self.nextKept = capacity + skip()
    }

    /// The number of filled slots: `min(seen, capacity)`.
    public var count: Int { Swift.min(seen, capacity) }

    /// Offers the next stream item.
    /// - Returns: The slot to store it in (`slot == count - 1` after a fill means append), or `nil` to drop it.
    public mutating func nextSlot() -> Int? {
        let index = seen
        seen += 1
        if index < capacity { return index }
        if index < nextKept { return nil }
        return replace()
    }

    private mutating func replace() -> Int {
        let slot = Int(generator.next() % UInt64(capacity))
        weight *= exp(log(generator.nextUnitInterval()) / Double(capacity))
        nextKept += 1 + skip()
        return slot
    }

    private mutating func skip() -> Int {
        let denominator = log1p(-weight)
        guard denominator < 0 else { return Int.max / 4 }  // weight underflowed: keep nothing more
        let length = (log(generator.nextUnitInterval()) / denominator).rounded(.down)
        return length < Double(Int.max / 4) ? Int(length) : Int.max / 4
    }
}
