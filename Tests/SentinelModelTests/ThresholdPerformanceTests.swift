import SentinelDrift
import SentinelModel
import Testing

@Suite("Threshold performance under partial labels")
struct ThresholdPerformanceTests {
    /// Ten labelled rows at threshold 0.5: frauds 0.9, 0.8, 0.5 (at the threshold: flagged), 0.49, 0.1; genuine
    /// 0.7 (flagged), 0.3, 0.2, 0.1, 0.0. Flagged 4 (3 frauds), frauds 5, labelled 10.
    static func tally(scored: Int) -> ThresholdPerformance {
        var performance = ThresholdPerformance(threshold: 0.5, scored: scored)
        for (score, fraud) in [
            (0.9, true), (0.8, true), (0.5, true), (0.49, true), (0.1, true), (0.7, false), (0.3, false),
            (0.2, false), (0.1, false), (0.0, false),
        ] {
            performance.add(score: score, fraud: fraud)
        }
        return performance
    }

    private func close(_ interval: WilsonInterval?, _ lower: Double, _ upper: Double) -> Bool {
        guard let interval else { return false }
        return abs(interval.lower - lower) < 1e-12 && abs(interval.upper - upper) < 1e-12
    }

    @Test("half the scored rows labelled: precision 3/4, recall 3/5, fraud rate 5/10, each with its Wilson interval")
    func partial() {
        let performance = Self.tally(scored: 20)
        #expect(performance.labelled == 10 && performance.frauds == 5)
        #expect(performance.flagged == 4 && performance.truePositives == 3)
        #expect(performance.coverage == 0.5 && performance.isPartial)
        #expect(performance.precision == 0.75)
        #expect(performance.recall == 0.6)
        #expect(performance.fraudRate == 0.5)
        // By hand, z = Φ⁻¹(0.975) = 1.959963984540054: centre (p + z²/2n)/(1 + z²/n), half-width
        // z·√(p(1−p)/n + z²/4n²)/(1 + z²/n).
        #expect(close(performance.precisionInterval, 0.300641842582402, 0.9544127391902995))
        #expect(close(performance.recallInterval, 0.23072428127601297, 0.8823792257673521))
        #expect(close(performance.fraudRateInterval, 0.23659309051256405, 0.763406909487436))
    }

    @Test("every scored row labelled: the same figures, exact for the traffic, so no interval")
    func complete() {
        let performance = Self.tally(scored: 10)
        #expect(performance.coverage == 1 && !performance.isPartial)
        #expect(performance.precision == 0.75 && performance.recall == 0.6)
        #expect(performance.precisionInterval == nil && performance.recallInterval == nil)
        #expect(performance.fraudRateInterval == nil)
    }

    @Test("undefined where there is no denominator, never 0")
    func undefined() {
        var performance = ThresholdPerformance(threshold: 0.5, scored: 3)
        #expect(performance.coverage == 0)
        #expect(performance.precision == nil && performance.recall == nil && performance.fraudRate == nil)
        #expect(performance.precisionInterval == nil && performance.fraudRateInterval == nil)
        performance.add(score: 0.2, fraud: false)
        #expect(performance.fraudRate == 0)
        #expect(performance.precision == nil, "nothing flagged")
        #expect(performance.recall == nil, "no fraud labelled")
        #expect(close(performance.fraudRateInterval, 0, 0.7934506856227626))
        #expect(ThresholdPerformance(threshold: 0.5, scored: 0).coverage == nil)
    }
}
