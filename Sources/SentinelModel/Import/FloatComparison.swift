/// Exact `Double` thresholds for splits that libraries evaluate on `Float` (32-bit) inputs.
///
/// XGBoost and ONNX Runtime round every input to `Float` before comparing it with a `Float` threshold; Sentinel
/// compares the `Double` input with a `Double` threshold (`x <= t`). Because rounding to `Float` is monotonic, the
/// inputs that a rule such as `Float(x) < t` sends left are exactly those up to some `Double` d, and d is the largest
/// `Double` that satisfies the rule. It lies at (or just below) the midpoint between `t` and its `Float` neighbour:
/// every `Double` strictly between the two rounds to the nearer one, and the midpoint itself (representable, since a
/// `Float` has 24 significant bits and a `Double` 53) rounds to the one with the even significand. So an imported
/// split sends every input the same way as its library does, with no change to Sentinel's scoring kernels.
///
/// ```swift
/// let t = FloatComparison.threshold(lessThan: 0.1 as Float)
/// // Float(x) < 0.1 exactly when x <= t, for every Double x that is not NaN.
/// ```
enum FloatComparison {
    /// The largest `Double` d with `Float(d) < t`: `Float(x) < t` ⟺ `x <= d` (XGBoost's rule, ONNX `BRANCH_LT`).
    /// - Parameter t: A finite threshold.
    static func threshold(lessThan t: Float) -> Double {
        let below = t.nextDown
        guard below.isFinite else { return -Double.greatestFiniteMagnitude }
        let midpoint = (Double(below) + Double(t)) / 2
        return Float(midpoint) < t ? midpoint : midpoint.nextDown
    }

    /// The largest `Double` d with `Float(d) <= t`: `Float(x) <= t` ⟺ `x <= d` (ONNX `BRANCH_LEQ`).
    /// - Parameter t: A finite threshold.
    static func threshold(lessThanOrEqual t: Float) -> Double {
        let above = t.nextUp
        guard above.isFinite else { return Double.greatestFiniteMagnitude }
        let midpoint = (Double(t) + Double(above)) / 2
        return Float(midpoint) <= t ? midpoint : midpoint.nextDown
    }
}
