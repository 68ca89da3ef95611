/// Per-input centring and scaling learnt from training data, as scikit-learn's `StandardScaler` does it.
///
/// The mean and the population standard deviation (ddof 0) come from the non-missing training values; an input
/// whose training values are all equal gets scale 1 (it only shifts). A missing value (NaN) is imputed with the
/// training mean, so it standardises to 0.
///
/// ```swift
/// let standardization = Standardization(features: [[1, 2, 3]])
/// standardization.standardize(2, feature: 0)  // 0
/// ```
public struct Standardization: Sendable, Codable, Equatable {
    /// Training mean of each input.
    public var means: [Double]
    /// Training standard deviation of each input (1 where it was 0).
    public var scales: [Double]

    /// Creates a standardisation from stored parts.
    public init(means: [Double], scales: [Double]) {
        self.means = means
        self.scales = scales
    }

    /// Learns means and scales from training columns.
    /// - Parameters:
    ///   - features: Column-major inputs, `features[f][row]`.
    ///   - rows: The training rows (default: all).
    public init(features: [[Double]], rows: [Int]? = nil) {
        var means: [Double] = []
        var scales: [Double] = []
        for column in features {
            var count = 0
            var sum = 0.0
            let indices = rows ?? Array(column.indices)
            for row in indices where !column[row].isNaN {
                sum += column[row]
                count += 1
            }
            let mean = count == 0 ? 0 : sum / Double(count)
            var squares = 0.0
            for row in indices where !column[row].isNaN {
                squares += (column[row] - mean) * (column[row] - mean)
            }
            let deviation = count == 0 ? 0 : (squares / Double(count)).squareRoot()
            means.append(mean)
            scales.append(deviation > 0 && deviation.isFinite ? deviation : 1)
        }
        self.init(means: means, scales: scales)
    }

    /// The standardised value of one input; 0 for a missing value.
    @inlinable
    public func standardize(_ value: Double, feature: Int) -> Double {
        value.isNaN ? 0 : (value - means[feature]) / scales[feature]
    }
}
