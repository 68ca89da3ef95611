import SentinelSchema
import SentinelTestSupport
import Testing

/// Arbitrary bytes must decode or throw ``SchemaError``, never crash; whatever decodes must round-trip.
@Suite("Random input")
struct RandomInputTests {
    typealias SplitMix64 = SplitMix64Generator

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
