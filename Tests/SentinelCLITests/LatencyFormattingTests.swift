import Testing

@testable import SentinelCLI

@Suite("Latency formatting")
struct LatencyFormattingTests {
    /// A batch's per-transaction share is often under a microsecond in a release build: it must not read `0.00 ms`.
    @Test(
        "A latency keeps its digits in ns, µs or ms",
        arguments: [
            (0, "0 ns"), (1, "1 ns"), (380, "380 ns"), (999, "999 ns"), (1_000, "1.00 µs"), (4_213, "4.21 µs"),
            (42_130, "42.1 µs"), (312_400, "312 µs"), (999_400, "999 µs"), (1_000_000, "1.00 ms"),
            (1_254_000, "1.25 ms"), (41_300_000, "41.3 ms"),
        ] as [(UInt64, String)])
    func latency(nanoseconds: UInt64, text: String) {
        #expect(Formatting.latency(nanoseconds: nanoseconds) == text)
    }
}
