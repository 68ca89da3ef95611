import Foundation

/// The two-sample Kolmogorov–Smirnov test (two-sided), as `scipy.stats.ks_2samp(method="auto")`.
///
/// The statistic is the largest gap between the two empirical CDFs, with ties handled exactly. The
/// p-value is exact (lattice-path count) when the larger sample has at most ``exactLimit`` values, the
/// same switch scipy makes; otherwise it is asymptotic. For the asymptotic case this uses the limiting
/// Kolmogorov distribution, `P(K > √(nm/(n+m)) · D)` (scipy's `special.kolmogorov`), while scipy uses the
/// finite-n one-sample distribution `kstwo.sf(D, round(nm/(n+m)))`; the two differ by a few percent of the
/// p-value at the sizes involved (n > 10,000), which the tests document.
///
/// ```swift
/// let test = try KolmogorovSmirnov(reference, current)
/// print(test.statistic, test.pValue)
/// ```
public struct KolmogorovSmirnov: Sendable, Hashable, Codable {
    /// How the p-value was computed.
    public enum Method: String, Sendable, Hashable, Codable {
        /// Exact distribution under the null hypothesis.
        case exact
        /// Limiting Kolmogorov distribution.
        case asymptotic
    }

    /// The largest sample size for which ``Method/exact`` is used (scipy's `MAX_AUTO_N`).
    public static let exactLimit = 10_000

    /// The KS statistic D, in [0, 1].
    public var statistic: Double
    /// The two-sided p-value.
    public var pValue: Double
    /// How the p-value was computed.
    public var method: Method
    /// Size of the first sample (without NaN).
    public var count1: Int
    /// Size of the second sample (without NaN).
    public var count2: Int

    /// Runs the test on two samples; NaN values are dropped.
    /// - Parameters:
    ///   - sample1: The first sample (e.g. the reference).
    ///   - sample2: The second sample (e.g. the current window).
    ///   - method: Force a method; `nil` (default) chooses as scipy's `auto`.
    /// - Throws: ``DriftError`` `.emptySample` when either sample has no non-NaN value.
    public init(_ sample1: [Double], _ sample2: [Double], method: Method? = nil) throws(DriftError) {
        var a = sample1.filter { !$0.isNaN }
        var b = sample2.filter { !$0.isNaN }
        guard !a.isEmpty, !b.isEmpty else {
            throw DriftError(
                .emptySample,
                "KS test needs two non-empty samples, got \(a.count) and \(b.count) values"
            )
        }
        a.sort()
        b.sort()
        self.init(sorted: a, b, method: method)
    }

    /// Runs the test on two samples already sorted increasingly, without NaN.
    /// - Parameters:
    ///   - a: The first sample, sorted, non-empty.
    ///   - b: The second sample, sorted, non-empty.
    ///   - method: Force a method; `nil` chooses as scipy's `auto`.
    public init(sorted a: [Double], _ b: [Double], method: Method? = nil) {
        precondition(!a.isEmpty && !b.isEmpty, "KS test needs two non-empty samples")
        let n1 = a.count
        let n2 = b.count
        // The statistic as an integer numerator over n1·n2: |i·n2 − j·n1| at each distinct value.
        var i = 0
        var j = 0
        var gap = 0
        while i < n1 && j < n2 {
            let value = Swift.min(a[i], b[j])
            while i < n1 && a[i] <= value { i += 1 }
            while j < n2 && b[j] <= value { j += 1 }
            gap = Swift.max(gap, abs(i * n2 - j * n1))
        }
        // After one sample is used up the gap only shrinks towards 0, so the loop above saw the maximum.
        let chosen = method ?? (Swift.max(n1, n2) <= Self.exactLimit ? .exact : .asymptotic)
        self.statistic = Double(gap) / (Double(n1) * Double(n2))
        self.count1 = n1
        self.count2 = n2
        self.method = chosen
        switch chosen {
        case .exact:
            self.pValue = Self.exactPValue(n1, n2, gap: gap)
        case .asymptotic:
            let effective = Double(n1) * Double(n2) / Double(n1 + n2)
            self.pValue = Self.kolmogorovSurvival(effective.squareRoot() * statistic)
        }
    }

    /// The exact two-sided p-value P(D ≥ d) for sample sizes m and n under the null hypothesis.
    ///
    /// Counts lattice paths from (0,0) to (m,n) that touch |x·n − y·m| ≥ gap, as a probability: each
    /// cell holds the fraction of paths reaching it that have touched the boundary, which stays in [0, 1]
    /// (no overflow, and no cancellation for tiny p-values). Only the band of cells strictly inside the
    /// boundary is computed: O(m · band) time, O(n) memory.
    /// - Parameters:
    ///   - m: First sample size.
    ///   - n: Second sample size.
    ///   - gap: The statistic's numerator, D · m · n.
    /// - Returns: The p-value, in [0, 1].
    public static func exactPValue(_ m: Int, _ n: Int, gap: Int) -> Double {
        guard gap > 0 else { return 1 }
        // outside[j] for the current column x: fraction of paths to (x, j) that touched the boundary.
        var outside = [Double](repeating: 1, count: n + 1)
        // Inside cells of column x: x·n − gap < j·m < x·n + gap.
        func band(_ x: Int) -> (low: Int, high: Int) {
            let lowerNumerator = x * n - gap  // j·m > this
            let low = lowerNumerator < 0 ? 0 : lowerNumerator / m + 1
            let upperNumerator = x * n + gap  // j·m < this
            let high = Swift.min(n, (upperNumerator - 1) / m)  // largest j with j·m < upper
            return (low, high)
        }
        return outside.withUnsafeMutableBufferPointer { outside in
            let first = band(0)
            if first.low <= first.high {
                for j in first.low...first.high { outside[j] = 0 }
            }
            for x in 1...m {
                let (low, high) = band(x)
                guard low <= high else { return 1 }
                let weightX = Double(x)
                var left = 1.0  // the cell below the band is on or past the boundary
                for j in low...high {
                    let value = (weightX * outside[j] + Double(j) * left) / (weightX + Double(j))
                    outside[j] = value
                    left = value
                }
            }
            return Swift.min(1, Swift.max(0, outside[n]))
        }
    }

    /// The survival function of the Kolmogorov distribution, P(K > x) (scipy's `special.kolmogorov`).
    /// - Parameter x: The scaled statistic √(effective n) · D.
    /// - Returns: The probability, in [0, 1].
    public static func kolmogorovSurvival(_ x: Double) -> Double {
        guard x > 0 else { return 1 }
        if x < 0.8 {
            // CDF = √(2π)/x · Σ exp(−(2k−1)²π²/(8x²)): converges fast for small x.
            let factor = -Double.pi * Double.pi / (8 * x * x)
            var sum = 0.0
            for k in 1...20 {
                let odd = Double(2 * k - 1)
                let term = exp(factor * odd * odd)
                sum += term
                if term < 1e-20 * sum { break }
            }
            return Swift.min(1, Swift.max(0, 1 - (2 * Double.pi).squareRoot() / x * sum))
        }
        // Survival = 2 Σ (−1)^(k−1) exp(−2k²x²).
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * x * x)
            sum += sign * term
            if term < 1e-20 { break }
            sign = -sign
        }
        return Swift.min(1, Swift.max(0, 2 * sum))
    }
}
