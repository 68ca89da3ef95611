import Testing

@testable import SentinelDrift

@Suite("Drift measures against scipy fixtures")
struct DriftFixtureTests {
    static let fixtures = try! TestData.fixtures()

    @Test("PSI, JS, binned KS and Wasserstein match numpy/scipy", arguments: fixtures.cases.map(\.name))
    func binnedMeasures(name: String) throws {
        let fixture = try #require(Self.fixtures.cases.first { $0.name == name })
        let profile = FeatureProfile(name: name, values: fixture.reference, bins: fixture.bins)
        #expect(profile.edges == fixture.edges)
        #expect(zip(profile.proportions, fixture.referenceProportions).allSatisfy { isClose($0, $1) })
        #expect(zip(profile.binMidpoints, fixture.midpoints).allSatisfy { isClose($0, $1) })
        let histogram = BinnedHistogram(values: fixture.current, profile: profile)
        #expect(histogram.counts == fixture.currentCounts)
        let drift = try #require(DriftStatistics(reference: profile, current: histogram))
        #expect(isClose(drift.psi, fixture.psi), "psi \(drift.psi) vs \(fixture.psi)")
        #expect(isClose(drift.jsDistance, fixture.jsDistance), "js \(drift.jsDistance) vs \(fixture.jsDistance)")
        #expect(isClose(drift.ksStatistic, fixture.ksBinned), "ks \(drift.ksStatistic) vs \(fixture.ksBinned)")
        #expect(
            isClose(drift.wassersteinNormed, fixture.wassersteinNormed),
            "wasserstein \(drift.wassersteinNormed) vs \(fixture.wassersteinNormed)")
    }

    @Test("Exact KS statistic and p-value match scipy.stats.ks_2samp", arguments: fixtures.cases.map(\.name))
    func kolmogorovSmirnov(name: String) throws {
        let fixture = try #require(Self.fixtures.cases.first { $0.name == name })
        let test = try KolmogorovSmirnov(fixture.reference, fixture.current)
        #expect(test.method.rawValue == fixture.ksMethod)
        #expect(isClose(test.statistic, fixture.ksStatistic, tolerance: 1e-12))
        if test.method == .exact {
            // The exact lattice-path probability agrees to rounding, even for p-values near 1e-156.
            #expect(isRelativelyClose(test.pValue, fixture.ksPValue), "p \(test.pValue) vs \(fixture.ksPValue)")
        } else {
            // Asymptotic: we use the limiting Kolmogorov distribution; it matches scipy.special.kolmogorov
            // exactly, and scipy's kstwo.sf(D, round(en)) within 3 % relative (the BinsAndMeasures article).
            #expect(isRelativelyClose(test.pValue, fixture.ksPLimit, tolerance: 1e-9))
            #expect(isRelativelyClose(test.pValue, fixture.ksPValue, tolerance: 0.03))
        }
    }

    @Test("Kolmogorov survival function matches scipy.special.kolmogorov", arguments: fixtures.kolmogorov.map(\.x))
    func kolmogorovSurvival(x: Double) throws {
        let fixture = try #require(Self.fixtures.kolmogorov.first { $0.x == x })
        #expect(isRelativelyClose(KolmogorovSmirnov.kolmogorovSurvival(x), fixture.sf, tolerance: 1e-12))
    }

    @Test("Normal quantile matches scipy.stats.norm.ppf", arguments: fixtures.normalQuantiles.map(\.p))
    func normalQuantile(p: Double) throws {
        let fixture = try #require(Self.fixtures.normalQuantiles.first { $0.p == p })
        #expect(isClose(WilsonInterval.normalQuantile(p), fixture.z, tolerance: 1e-13))
    }

    @Test("Wilson interval matches the closed form with scipy's quantile", arguments: fixtures.wilson.indices)
    func wilson(index: Int) {
        let fixture = Self.fixtures.wilson[index]
        let interval = WilsonInterval(
            successes: fixture.successes, trials: fixture.trials, confidence: fixture.confidence)
        #expect(isClose(interval.lower, fixture.lower, tolerance: 1e-12))
        #expect(isClose(interval.upper, fixture.upper, tolerance: 1e-12))
    }

    @Test("The fixtures record their generator and the PSI floor")
    func provenance() {
        #expect(Self.fixtures.generator.contains("scipy"))
        #expect(Self.fixtures.psiEpsilon == DriftStatistics.psiEpsilon)
    }
}
