import Foundation
import SentinelTestSupport
import Testing

@testable import SentinelMetrics

@Suite("Log-linear latency histogram")
struct LatencyHistogramTests {
    static let quantiles: [Double] = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1]

    typealias Generator = SplitMix64Generator

    /// Distributions chosen to hit the bucket structure's weak spots.
    static let distributions: [String: [UInt64]] = {
        var generator = Generator(state: 42)
        var result: [String: [UInt64]] = [:]
        // Lowest value of every bucket: the mid-point is farthest (relatively) from these.
        result["bucket lower bounds"] = (0..<LatencyHistogram.bucketCount).map {
            UInt64(LatencyHistogram.bucketRange($0).lower)
        }
        // Highest value of every bucket.
        result["bucket upper bounds"] = (0..<LatencyHistogram.bucketCount).map {
            let (lower, width) = LatencyHistogram.bucketRange($0)
            return UInt64(lower + width - 1)
        }
        // Powers of two and their neighbours.
        result["powers of two ± 1"] = (1..<40).flatMap { bit -> [UInt64] in
            let power = UInt64(1) << UInt64(bit)
            return [power - 1, power, power + 1]
        }
        // Log-uniform over 1 ns … 2^39 ns.
        result["log-uniform"] = (0..<50_000).map { _ in UInt64(exp2(generator.unit() * 39)) }
        // 99 % fast, 1 % ten thousand times slower: p99 and p999 sit on the edge of the modes.
        result["bimodal"] = (0..<100_000).map { index in
            index % 100 == 0 ? 1_000_000_000 + generator.next() % 1_000 : 100_000 + generator.next() % 1_000
        }
        // Pareto tail, α = 1.1.
        result["pareto"] = (0..<50_000).map { _ in UInt64(10_000 / pow(generator.unit(), 1 / 1.1)) }
        result["constant"] = [UInt64](repeating: 123_457, count: 1_000)
        result["small integers"] = (0..<10_000).map { UInt64($0 % 64) }
        return result
    }()

    @Test("Quantiles stay within the relative error bound", arguments: distributions.keys.sorted())
    func errorBound(distribution: String) throws {
        let values = try #require(Self.distributions[distribution])
        var histogram = LatencyHistogram()
        for value in values { histogram.record(nanoseconds: value) }
        let sorted = values.sorted()
        for q in Self.quantiles {
            let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
            let exact = Double(sorted[rank - 1])
            let estimate = try #require(histogram.quantile(q))
            #expect(
                abs(estimate - exact) <= LatencyHistogram.relativeErrorBound * exact + 1e-9,
                "\(distribution) q=\(q): \(estimate) vs \(exact)")
        }
        #expect(LatencyHistogram.relativeErrorBound < 0.01)
        #expect(histogram.count == UInt64(values.count) && histogram.saturated == 0)
        #expect(histogram.minimum == sorted.first && histogram.maximum == sorted.last)
    }

    @Test("Bucket ranges tile the value range and contain their values")
    func bucketLayout() {
        var expectedLower = 0.0
        for index in 0..<LatencyHistogram.bucketCount {
            let (lower, width) = LatencyHistogram.bucketRange(index)
            #expect(lower == expectedLower)
            #expect(LatencyHistogram.bucketIndex(of: UInt64(lower)) == index)
            #expect(LatencyHistogram.bucketIndex(of: UInt64(lower + width - 1)) == index)
            #expect(width <= max(1, lower / 64))
            expectedLower = lower + width
        }
        #expect(expectedLower == exp2(40))
    }

    @Test("Merging equals recording into one")
    func merge() {
        var generator = Generator(state: 7)
        let values = (0..<30_000).map { _ in UInt64(exp2(generator.unit() * 30)) }
        var whole = LatencyHistogram()
        var parts = [LatencyHistogram](repeating: LatencyHistogram(), count: 3)
        for (index, value) in values.enumerated() {
            whole.record(nanoseconds: value)
            parts[index % 3].record(nanoseconds: value)
        }
        var merged = LatencyHistogram()
        for part in parts { merged.merge(part) }
        #expect(merged.count == whole.count && merged.minimum == whole.minimum && merged.maximum == whole.maximum)
        for q in Self.quantiles { #expect(merged.quantile(q) == whole.quantile(q)) }
        #expect(abs(merged.sum - whole.sum) <= 1e-9 * whole.sum)
        var copy = merged
        copy.merge(LatencyHistogram())
        #expect(copy == merged)
    }

    @Test("Values past the range saturate into the last bucket and are counted")
    func saturation() throws {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 1_000)
        histogram.record(nanoseconds: UInt64(1) << 50)
        histogram.record(.seconds(7_200))
        #expect(histogram.saturated == 2 && histogram.count == 3)
        #expect(histogram.quantile(1) == Double(UInt64(1) << 50))  // the recorded maximum
        #expect(try #require(histogram.quantile(0.5)) >= exp2(40) * (1 - 1.0 / 64))
    }

    @Test("Durations convert to nanoseconds; empty histograms have no quantiles")
    func durationsAndEmpty() throws {
        var histogram = LatencyHistogram()
        #expect(histogram.quantile(0.5) == nil && histogram.percentiles == nil && histogram.mean == nil)
        histogram.record(.microseconds(250))
        histogram.record(.nanoseconds(-5))
        #expect(histogram.maximum == 250_000 && histogram.minimum == 0)
        let percentiles = try #require(histogram.percentiles)
        #expect(percentiles.p50 == 0 && percentiles.p999 == 250_000)
        histogram.reset()
        #expect(histogram == LatencyHistogram())
    }
}
