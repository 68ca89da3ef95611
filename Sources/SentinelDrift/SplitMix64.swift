/// A small, fast, seeded random number generator (SplitMix64), for reproducible sampling.
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let u = generator.nextUnitInterval()
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The generator's state; equal states give equal sequences.
    public private(set) var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: Any value; the same seed gives the same sequence.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in the open interval (0, 1), never 0 (so its logarithm is finite).
    public mutating func nextUnitInterval() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }
}
