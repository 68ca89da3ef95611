import Foundation

/// The drift of one feature's live distribution from its reference, over the reference bins.
///
/// All four measures are computed in O(bins) from bin proportions:
/// - **PSI** = Σ (c − r) · ln(c / r), with both proportions floored at ``psiEpsilon`` (1e-4) so an empty
///   bin on either side gives a large but finite term. The floor is applied to both distributions, without
///   renormalising.
/// - **Jensen–Shannon distance**, base 2: √(½ KL(r‖m) + ½ KL(c‖m)) with m = (r + c) / 2, in [0, 1]. No floor
///   is needed (0 · log 0 = 0).
/// - **Binned KS**: the largest absolute difference of the two cumulative distributions at the bin edges.
///   It never exceeds the exact two-sample KS statistic, and falls short of it by at most the mass the
///   two samples put inside a single bin.
/// - **Wasserstein-1** between the two binned distributions placed at the bin mid-points
///   (``FeatureProfile/binMidpoints``, outer bins closed by the training min and max), divided by the
///   training standard deviation (by 1 for a constant feature).
///
/// ```swift
/// let drift = DriftStatistics(reference: profile, current: histogram)
/// print(drift?.psi ?? .nan)
/// ```
public struct DriftStatistics: Sendable, Hashable, Codable {
    /// The floor applied to both proportions in the PSI sum.
    public static let psiEpsilon = 1e-4

    /// Population stability index.
    public var psi: Double
    /// Jensen–Shannon distance, base 2, in [0, 1].
    public var jsDistance: Double
    /// KS statistic from the binned cumulative distributions, in [0, 1].
    public var ksStatistic: Double
    /// Wasserstein-1 distance over the bin mid-points, in reference standard deviations.
    public var wassersteinNormed: Double

    /// Creates statistics from stored values (for decoding and tests).
    public init(psi: Double, jsDistance: Double, ksStatistic: Double, wassersteinNormed: Double) {
        self.psi = psi
        self.jsDistance = jsDistance
        self.ksStatistic = ksStatistic
        self.wassersteinNormed = wassersteinNormed
    }

    /// Compares a live histogram with a reference profile; `nil` when the histogram holds no values.
    /// - Parameters:
    ///   - reference: The training profile whose bins the histogram uses.
    ///   - current: The live counts.
    public init?(reference: FeatureProfile, current: BinnedHistogram) {
        precondition(current.counts.count == reference.binCount, "histogram and profile have different bins")
        let total = current.total
        guard total > 0 else { return nil }
        let scale = 1 / Double(total)
        self = current.counts.withUnsafeBufferPointer { counts in
            reference.proportions.withUnsafeBufferPointer { proportions in
                Self.compute(
                    reference: proportions,
                    counts: counts,
                    scale: scale,
                    midpoints: reference.binMidpoints,
                    normaliser: reference.wassersteinScale
                )
            }
        }
    }

    /// Compares two binned distributions given as proportions over the same bins.
    /// - Parameters:
    ///   - reference: Reference proportions (sum 1).
    ///   - current: Current proportions (sum 1).
    ///   - midpoints: The representative value of each bin, increasing.
    ///   - normaliser: The divisor of the Wasserstein distance (the reference standard deviation).
    public init(reference: [Double], current: [Double], midpoints: [Double], normaliser: Double) {
        precondition(reference.count == current.count && midpoints.count == current.count, "bins differ")
        self = reference.withUnsafeBufferPointer { reference in
            current.withUnsafeBufferPointer { current in
                var psi = 0.0
                var js = 0.0
                var ks = 0.0
                var wasserstein = 0.0
                var cumulativeReference = 0.0
                var cumulativeCurrent = 0.0
                for bin in 0..<reference.count {
                    Self.accumulate(
                        r: reference[bin], c: current[bin], bin: bin, midpoints: midpoints,
                        psi: &psi, js: &js, ks: &ks, wasserstein: &wasserstein,
                        cumulativeReference: &cumulativeReference, cumulativeCurrent: &cumulativeCurrent
                    )
                }
                return DriftStatistics(
                    psi: psi,
                    jsDistance: Swift.max(0, js / 2).squareRoot().clamped01,
                    ksStatistic: ks,
                    wassersteinNormed: wasserstein / normaliser
                )
            }
        }
    }

    /// The O(bins) kernel over raw counts, shared by the per-window reports.
    @usableFromInline
    static func compute(
        reference: UnsafeBufferPointer<Double>,
        counts: UnsafeBufferPointer<Int>,
        scale: Double,
        midpoints: [Double],
        normaliser: Double
    ) -> DriftStatistics {
        var psi = 0.0
        var js = 0.0
        var ks = 0.0
        var wasserstein = 0.0
        var cumulativeReference = 0.0
        var cumulativeCurrent = 0.0
        for bin in 0..<reference.count {
            accumulate(
                r: reference[bin], c: Double(counts[bin]) * scale, bin: bin, midpoints: midpoints,
                psi: &psi, js: &js, ks: &ks, wasserstein: &wasserstein,
                cumulativeReference: &cumulativeReference, cumulativeCurrent: &cumulativeCurrent
            )
        }
        return DriftStatistics(
            psi: psi,
            jsDistance: Swift.max(0, js / 2).squareRoot().clamped01,
            ksStatistic: ks,
            wassersteinNormed: wasserstein / normaliser
        )
    }

    // One bin's contribution to each sum. The cumulative difference after bin b is the CDF gap at the
    // upper edge of b; Wasserstein-1 on sorted support points is Σ |ΔCDF| · (next point − this point).
    @inline(__always)
    private static func accumulate(
        r: Double, c: Double, bin: Int, midpoints: [Double],
        psi: inout Double, js: inout Double, ks: inout Double, wasserstein: inout Double,
        cumulativeReference: inout Double, cumulativeCurrent: inout Double
    ) {
        let rFloor = Swift.max(r, psiEpsilon)
        let cFloor = Swift.max(c, psiEpsilon)
        psi += (cFloor - rFloor) * log(cFloor / rFloor)
        let m = (r + c) / 2
        if r > 0 { js += r * log2(r / m) }
        if c > 0 { js += c * log2(c / m) }
        cumulativeReference += r
        cumulativeCurrent += c
        if bin + 1 < midpoints.count {
            let gap = abs(cumulativeReference - cumulativeCurrent)
            ks = Swift.max(ks, gap)
            wasserstein += gap * (midpoints[bin + 1] - midpoints[bin])
        }
    }

    /// The value of one measure.
    /// - Parameter metric: Which measure.
    /// - Returns: Its value.
    public func value(of metric: DriftMetric) -> Double {
        switch metric {
        case .psi: psi
        case .jsDistance: jsDistance
        case .ksStatistic: ksStatistic
        case .wassersteinNormed: wassersteinNormed
        }
    }
}

extension Double {
    fileprivate var clamped01: Double { Swift.min(1, Swift.max(0, self)) }
}
