import Foundation

/// The Wilson score confidence interval for a binomial proportion.
///
/// Unlike the normal ("Wald") interval it stays inside [0, 1] and behaves at 0 or n successes and for
/// the small rates of fraud monitoring.
///
/// ```swift
/// let interval = WilsonInterval(successes: 12, trials: 5_000)   // 95 %
/// interval.contains(0.0017)
/// ```
public struct WilsonInterval: Sendable, Hashable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// Creates the interval.
    /// - Parameters:
    ///   - successes: The number of successes, `0...trials`.
    ///   - trials: The number of trials (at least 1).
    ///   - confidence: The two-sided confidence level in (0, 1) (default 0.95).
    public init(successes: Int, trials: Int, confidence: Double = 0.95) {
        precondition(trials > 0 && successes >= 0 && successes <= trials, "invalid binomial counts")
        precondition(confidence > 0 && confidence < 1, "confidence must be in (0, 1)")
        let z = Self.normalQuantile(0.5 + confidence / 2)
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        // At 0 or n successes the bound is exactly 0 or 1; rounding would leave it a hair inside.
        self.lower = successes == 0 ? 0 : Swift.max(0, centre - half)
        self.upper = successes == trials ? 1 : Swift.min(1, centre + half)
    }

    /// Whether a proportion lies in the closed interval.
    /// - Parameter value: The proportion.
    /// - Returns: `lower <= value <= upper`.
    public func contains(_ value: Double) -> Bool {
        lower <= value && value <= upper
    }

    /// The standard normal quantile Φ⁻¹(p), to about 1e-15 relative error.
    ///
    /// Acklam's rational approximation, refined with one Halley step on `erfc`.
    /// - Parameter p: A probability in (0, 1).
    /// - Returns: The value x with Φ(x) = p.
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "quantile needs p in (0, 1)")
        // Upper half by symmetry: 1 − p is exact for p ≥ 0.5, and Φ(x) − p would cancel near 1.
        if p > 0.5 { return -normalQuantile(1 - p) }
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            x /= ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            x /= (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
            x /= ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // One Halley step: e = Φ(x) − p.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
