import SentinelDrift

/// The library's SplitMix64 under the name and initialiser the tests use: a small deterministic generator, so every
/// test run checks the same inputs.
public struct SplitMix64Generator: RandomNumberGenerator {
    private var base: SplitMix64

    /// A generator starting from `state` (the seed).
    public init(state: UInt64) {
        base = SplitMix64(seed: state)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { base.next() }

    /// A uniform value in (0, 1).
    public mutating func unit() -> Double { base.nextUnitInterval() }
}
