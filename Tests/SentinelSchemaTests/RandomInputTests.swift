import SentinelSchema
import Testing

/// Arbitrary bytes must decode or throw ``SchemaError``, never crash; whatever decodes must round-trip.
@Suite("Random input")
struct RandomInputTests {
    /// A small deterministic generator (SplitMix64), so every run checks the same inputs.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Decodes `bytes` as `M`; returns whether it decoded, and checks that a decoded value round-trips.
    static func probe<M: WireMessage>(like sample: M, _ bytes: [UInt8]) -> Bool {
        do {
            let value = try M(serializedBytes: bytes)
            let again = try? M(serializedBytes: value.serializedBytes())
            // NaN payloads compare unequal; compare their encodings instead.
            #expect(again?.serializedBytes() == value.serializedBytes(), "\(M.protoName) did not round-trip")
            return true
        } catch {
            #expect(error is SchemaError, "\(M.protoName) threw \(error)")
            return false
        }
    }

    @Test("Random byte strings", arguments: RoundTripTests.cases)
    func randomBytes(sample: MessageCase) {
        var random = SplitMix64(state: 0x5EED_0000 &+ UInt64(sample.testDescription.utf8.count))
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...64, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = Self.probe(like: sample.message, bytes)
        }
    }

    @Test("Single-byte corruptions of valid encodings", arguments: RoundTripTests.cases)
    func corruptions(sample: MessageCase) {
        let valid = sample.message.serializedBytes()
        guard !valid.isEmpty else { return }
        var random = SplitMix64(state: 0xC0FF_EE00 &+ UInt64(valid.count))
        for _ in 0..<500 {
            var bytes = valid
            let index = Int.random(in: 0..<bytes.count, using: &random)
            bytes[index] = UInt8.random(in: 0...255, using: &random)
            // Many corruptions still form a valid message (a changed number or string byte); either outcome is
            // fine as long as it is a value that round-trips or a SchemaError.
            _ = Self.probe(like: sample.message, bytes)
        }
    }
}
