import Testing

@testable import SentinelDrift

@Suite("Two-sample KS test")
struct KolmogorovSmirnovTests {
    @Test("Fully separated samples: D = 1, p = 2 / C(m+n, n)")
    func separated() throws {
        let test = try KolmogorovSmirnov([1, 2, 3], [4, 5, 6])
        #expect(test.statistic == 1)
        #expect(isClose(test.pValue, 0.1, tolerance: 1e-15))
        #expect(test.method == .exact)
        let uneven = try KolmogorovSmirnov([1, 2], [3])
        #expect(isClose(uneven.pValue, 2.0 / 3, tolerance: 1e-15))
    }

    @Test("Identical samples: D = 0, p = 1")
    func identical() throws {
        let test = try KolmogorovSmirnov([3, 1, 2, 2], [2, 1, 3, 2])
        #expect(test.statistic == 0)
        #expect(test.pValue == 1)
    }

    @Test("Ties are handled at each distinct value")
    func ties() throws {
        // CDFs at 1: 2/4 vs 0/2; at 2: 4/4 vs 1/2 → D = 0.5.
        let test = try KolmogorovSmirnov([1, 1, 2, 2], [2, 3])
        #expect(test.statistic == 0.5)
    }

    @Test("Missing values are dropped; empty samples are an error")
    func missing() throws {
        let test = try KolmogorovSmirnov([1, .nan, 2, 3], [4, 5, 6, .nan])
        #expect(test.count1 == 3 && test.count2 == 3)
        #expect(throws: DriftError.self) { try KolmogorovSmirnov([.nan], [1]) }
        #expect(throws: DriftError.self) { try KolmogorovSmirnov([1], []) }
    }

    @Test("The exact/asymptotic switch is at 10,000 values, as scipy's auto", arguments: [10_000, 10_001])
    func methodSwitch(size: Int) throws {
        let a = (0..<size).map { Double($0) }
        let test = try KolmogorovSmirnov(a, [0.5, 1.5, 2.5])
        #expect(test.method == (size <= 10_000 ? .exact : .asymptotic))
        #expect(test.pValue >= 0 && test.pValue <= 1)
    }

    @Test("Exact and asymptotic p-values approach each other for large samples")
    func exactNearAsymptotic() throws {
        var generator = SplitMix64(seed: 9)
        let a = (0..<3_000).map { _ in generator.nextUnitInterval() }
        let b = (0..<2_000).map { _ in generator.nextUnitInterval() * 1.05 }
        let exact = try KolmogorovSmirnov(a, b, method: .exact)
        let asymptotic = try KolmogorovSmirnov(a, b, method: .asymptotic)
        #expect(exact.statistic == asymptotic.statistic)
        #expect(abs(exact.pValue - asymptotic.pValue) < 0.02)
    }
}
