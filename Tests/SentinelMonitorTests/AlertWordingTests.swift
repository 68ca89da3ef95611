import SentinelDrift
import Testing

@testable import SentinelMonitor

@Suite("Alert wording")
struct AlertWordingTests {
    @Test("The flag-rate text says which side of the expected range, with the training base rate")
    func flagRate() {
        let below = AlertWording.flagRate(
            rate: 0.159, expected: (0.173, 0.228), base: 0.201, beyond: true, run: 3, windowsToClear: 2,
            resolved: false)
        #expect(below == "flag rate 15.9 % is below the expected 17.3–22.8 % (training base rate 20.1 %) for 3 windows")
        let above = AlertWording.flagRate(
            rate: 0.0064, expected: (0.0031, 0.0051), base: 0.0041, beyond: true, run: 4, windowsToClear: 2,
            resolved: false)
        #expect(above == "flag rate 0.64 % is above the expected 0.31–0.51 % (training base rate 0.41 %) for 4 windows")
        let within = AlertWording.flagRate(
            rate: 0.2, expected: (0.173, 0.228), base: 0.201, beyond: false, run: 1, windowsToClear: 2,
            resolved: false)
        #expect(
            within.hasSuffix(
                "is within the expected 17.3–22.8 % (training base rate 20.1 %) for 1 window; clears after 2 windows"))
    }

    @Test("The drift text names the statistic, the feature, the threshold and the run")
    func drift() {
        let text = AlertWording.drift(
            metric: .psi, name: "Amount", value: 1.3571, level: .alert, threshold: 0.25, release: 0.225, beyond: true,
            run: 3, windowsToClear: 1, resolved: false)
        #expect(text == "PSI of Amount is 1.357, at or above the alert threshold 0.25, for 3 windows")
        let resolved = AlertWording.drift(
            metric: .psi, name: "Amount", value: 0.012, level: .alert, threshold: 0.25, release: 0.225, beyond: false,
            run: 1, windowsToClear: 1, resolved: true)
        #expect(resolved == "PSI of Amount is 0.012, under 0.225 for 1 window: resolved")
    }

    @Test("The expected flag-rate range is where the Wilson interval stops containing the base rate")
    func expectedRangeMatchesWilson() throws {
        for (events, flagged, base) in [(1_000, 159, 0.201), (5_000, 31, 0.0041), (200, 50, 0.25)] {
            let statistics = FraudRateStatistics(events: events, flagged: flagged, scoreSum: 0, baseRate: base)
            let range = try #require(statistics.expectedRange(confidence: 0.95))
            let outside = statistics.flaggedRate < range.lower || statistics.flaggedRate > range.upper
            #expect(outside == statistics.baseRateOutside)
        }
    }
}
