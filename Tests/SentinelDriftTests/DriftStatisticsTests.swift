import Foundation
import Testing

@testable import SentinelDrift

@Suite("Drift measures, hand-computed")
struct DriftStatisticsTests {
    @Test("Two bins, half/half against quarter/three-quarters")
    func twoBins() {
        let drift = DriftStatistics(reference: [0.5, 0.5], current: [0.25, 0.75], midpoints: [0, 1], normaliser: 1)
        // PSI = −0.25·ln(0.5) + 0.25·ln(1.5) = 0.25·ln 3.
        #expect(isClose(drift.psi, 0.25 * log(3.0), tolerance: 1e-15))
        let divergence =
            0.5 * (0.5 * log2(0.5 / 0.375) + 0.5 * log2(0.5 / 0.625))
            + 0.5 * (0.25 * log2(0.25 / 0.375) + 0.75 * log2(0.75 / 0.625))
        #expect(isClose(drift.jsDistance, divergence.squareRoot(), tolerance: 1e-15))
        #expect(isClose(drift.ksStatistic, 0.25, tolerance: 1e-15))
        // A quarter of the mass moves one unit.
        #expect(isClose(drift.wassersteinNormed, 0.25, tolerance: 1e-15))
    }

    @Test("Disjoint distributions: PSI uses the 1e-4 floor on both sides, JS and KS are 1")
    func disjoint() {
        let drift = DriftStatistics(reference: [1, 0], current: [0, 1], midpoints: [2, 7], normaliser: 2.5)
        let expected = 2 * (1 - 1e-4) * log(1e4)
        #expect(isClose(drift.psi, expected, tolerance: 1e-14))
        #expect(drift.jsDistance == 1)
        #expect(drift.ksStatistic == 1)
        #expect(isClose(drift.wassersteinNormed, 5 / 2.5, tolerance: 1e-15))
    }

    @Test("Identical distributions have zero drift", arguments: [[1.0], [0.2, 0.3, 0.5], [0.1, 0, 0.9, 0]])
    func identical(proportions: [Double]) {
        let midpoints = proportions.indices.map(Double.init)
        let drift = DriftStatistics(
            reference: proportions, current: proportions, midpoints: midpoints, normaliser: 1)
        #expect(drift.psi == 0)
        #expect(drift.jsDistance == 0)
        #expect(drift.ksStatistic == 0)
        #expect(drift.wassersteinNormed == 0)
    }

    @Test("Profile edges, mid-points and the edge rule on 0…9 in 2 and 4 bins")
    func profileBins() {
        let values = (0..<10).map(Double.init)
        let two = FeatureProfile(name: "x", values: values, bins: 2)
        #expect(two.edges == [5])
        #expect(two.binMidpoints == [2.5, 7])
        #expect(two.binIndex(of: 5) == 1)  // equal to an edge: the bin above
        #expect(two.binIndex(of: 4.999) == 0)
        let four = FeatureProfile(name: "x", values: values, bins: 4)
        #expect(four.edges == [2, 5, 7])
        #expect(four.proportions == [0.2, 0.3, 0.2, 0.3])
        #expect(four.binMidpoints == [1, 3.5, 6, 8])
    }

    @Test("A live histogram against a profile: counts, missing values and measures")
    func histogramAgainstProfile() throws {
        let profile = FeatureProfile(name: "x", values: (0..<10).map(Double.init), bins: 2)
        // Reference 50/50 at mid-points 2.5 and 7 (std of 0…9 is √8.25).
        let histogram = BinnedHistogram(values: [1, 2, 6, 7, 8, 9, .nan, 100], profile: profile)
        #expect(histogram.counts == [2, 5])
        #expect(histogram.missing == 1)
        let drift = try #require(DriftStatistics(reference: profile, current: histogram))
        let c = [2.0 / 7, 5.0 / 7]
        let psi = (c[0] - 0.5) * log(c[0] / 0.5) + (c[1] - 0.5) * log(c[1] / 0.5)
        #expect(isClose(drift.psi, psi, tolerance: 1e-15))
        #expect(isClose(drift.ksStatistic, 0.5 - c[0], tolerance: 1e-15))
        #expect(isClose(drift.wassersteinNormed, (0.5 - c[0]) * 4.5 / 8.25.squareRoot(), tolerance: 1e-15))
        #expect(DriftStatistics(reference: profile, current: BinnedHistogram(binCount: 2)) == nil)
    }

    @Test("Merging histograms equals recording everything into one")
    func mergeHistograms() {
        let profile = FeatureProfile(name: "x", values: (0..<100).map { Double($0 % 17) }, bins: 5)
        let values = (0..<500).map { Double(($0 * 7) % 23) - 3 } + [.nan, .nan]
        var left = BinnedHistogram(values: values.prefix(200), profile: profile)
        left.merge(BinnedHistogram(values: values.dropFirst(200), profile: profile))
        #expect(left == BinnedHistogram(values: values, profile: profile))
        #expect(left.missing == 2)
        #expect(left.total == 500)
    }

    @Test("A constant reference has one bin and no drift")
    func constantReference() throws {
        let profile = FeatureProfile(name: "flag", values: [Double](repeating: 1, count: 50), bins: 10)
        #expect(profile.binCount == 1)
        let drift = try #require(
            DriftStatistics(reference: profile, current: BinnedHistogram(values: [0, 1, 2], profile: profile)))
        #expect(drift == DriftStatistics(psi: 0, jsDistance: 0, ksStatistic: 0, wassersteinNormed: 0))
    }

    @Test("A mostly-zero input (a terminal's fraud share) gets a bin for its zeros, so a shift shows")
    func mostlyZero() throws {
        // 97 % zeros, the rest spread over (0, 1]: every quantile edge would fall on 0.
        let reference = (0..<1000).map { $0 < 970 ? 0.0 : Double($0 - 969) / 31 }
        let profile = FeatureProfile(name: "TERMINAL_ID_RISK_7DAY_WINDOW", values: reference, bins: 20)
        #expect(profile.edges.first == 1.0 / 31)
        #expect(profile.binCount >= 2)
        #expect(isClose(profile.proportions[0], 0.97, tolerance: 1e-12))
        #expect(profile.isCategoricalLike == false)
        // A window where 20 % of terminals carry risk instead of 3 %.
        let current = (0..<1000).map { $0 < 800 ? 0.0 : 0.5 }
        let drift = try #require(
            DriftStatistics(reference: profile, current: BinnedHistogram(values: current, profile: profile)))
        #expect(drift.psi > 0.25)
    }

    @Test("A low-cardinality input gets one bin per value, however rare")
    func lowCardinality() throws {
        // Counts 0…5, 5 seen once in a thousand.
        let reference = (0..<1000).map { Double($0 == 999 ? 5 : $0 % 5) }
        let profile = FeatureProfile(name: "TERMINAL_ID_NB_TX_1DAY_WINDOW", values: reference, bins: 20)
        #expect(profile.edges == [1, 2, 3, 4, 5])
        #expect(profile.distinctValues == 6)
        #expect(profile.integerValued == true)
        #expect(profile.isCategoricalLike == true)
        let flag = FeatureProfile(name: "flag", values: [0, 1, 1, 0, 1], bins: 20)
        #expect(flag.edges == [1])
    }
}
