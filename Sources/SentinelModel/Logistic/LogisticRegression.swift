/// The logistic regression learner: L2-regularised, fitted to the optimum by Newton's method.
///
/// It minimises ½‖w‖² + C Σᵢ sᵢ·logloss(yᵢ, σ(b + w·zᵢ)) over standardised inputs zᵢ (scikit-learn's objective
/// with `penalty="l2"`; the intercept b is not penalised), where sᵢ is the class weight of row i. Each step solves
/// the Newton system with a Cholesky factorisation and backtracks until the objective decreases enough (Armijo);
/// iteration stops only when the largest gradient component is below `tolerance` × (1 + C Σ sᵢ), so the result
/// is the optimum to working precision, not an early stop. Training is sequential and deterministic.
///
/// ```swift
/// let learner = LogisticRegression(c: 1)
/// let model = try learner.fit(features: columns, labels: labels)
/// ```
public struct LogisticRegression: Sendable, Codable, Equatable {
    /// Weights of the two classes in the loss.
    public struct ClassWeights: Sendable, Codable, Equatable {
        /// Weight of a genuine row.
        public var genuine: Double
        /// Weight of a fraud row.
        public var fraud: Double

        /// Creates class weights.
        public init(genuine: Double, fraud: Double) {
            self.genuine = genuine
            self.fraud = fraud
        }

        /// Every row weighs 1 (scikit-learn's default).
        public static let uniform = ClassWeights(genuine: 1, fraud: 1)

        /// scikit-learn's `class_weight="balanced"`: n / (2 · rows of the class).
        /// - Parameter labels: The training labels.
        public static func balanced(labels: some Collection<UInt8>) -> ClassWeights {
            let frauds = labels.count(where: { $0 == 1 })
            let genuine = labels.count - frauds
            let n = Double(labels.count)
            return ClassWeights(
                genuine: genuine == 0 ? 1 : n / (2 * Double(genuine)),
                fraud: frauds == 0 ? 1 : n / (2 * Double(frauds))
            )
        }
    }

    /// Inverse regularisation strength (scikit-learn's `C`); larger means less regularisation.
    public var c: Double
    /// Class weights in the loss.
    public var classWeights: ClassWeights
    /// Relative gradient tolerance at which the solver stops.
    public var tolerance: Double
    /// Newton iterations allowed before giving up with `.notConverged`.
    public var maximumIterations: Int

    /// Creates a learner.
    /// - Parameters:
    ///   - c: Inverse regularisation strength (default 1, scikit-learn's).
    ///   - classWeights: Class weights (default uniform).
    ///   - tolerance: Relative gradient tolerance (default 1e-10).
    ///   - maximumIterations: Newton iteration limit (default 100; typical fits take under 15).
    public init(
        c: Double = 1,
        classWeights: ClassWeights = .uniform,
        tolerance: Double = 1e-10,
        maximumIterations: Int = 100
    ) {
        self.c = c
        self.classWeights = classWeights
        self.tolerance = tolerance
        self.maximumIterations = maximumIterations
    }

    /// Fits a model.
    /// - Parameters:
    ///   - features: Column-major raw inputs, `features[f][row]`; NaN marks a missing value.
    ///   - labels: One label (0/1) per row.
    ///   - rows: The rows to train on (default: all), in any order.
    /// - Returns: The fitted model, including its standardisation.
    /// - Throws: ``ModelError`` `.invalidArgument` for a non-positive C, weight or tolerance; `.invalidData` for
    ///   no rows, mismatched sizes, an infinite input, a bad label or a single class; `.notConverged` when the
    ///   iteration limit is reached.
    public func fit(features: [[Double]], labels: [UInt8], rows: [Int]? = nil) throws -> LogisticRegressionModel {
        guard c > 0, c.isFinite, classWeights.genuine > 0, classWeights.fraud > 0, tolerance > 0,
            maximumIterations >= 1
        else {
            throw ModelError(
                .invalidArgument,
                "logistic regression needs C > 0, class weights > 0, tolerance > 0 and at least one iteration")
        }
        let rows = rows ?? Array(labels.indices)
        guard !rows.isEmpty else {
            throw ModelError(.invalidData, "no training rows")
        }
        guard features.allSatisfy({ $0.count == labels.count }) else {
            throw ModelError(.invalidData, "every feature column must have one value per label (\(labels.count))")
        }
        var frauds = 0
        for row in rows {
            guard labels[row] <= 1 else {
                throw ModelError(.invalidData, "label of row \(row) is \(labels[row]); labels must be 0 or 1")
            }
            frauds += Int(labels[row])
        }
        guard frauds > 0, frauds < rows.count else {
            throw ModelError(.invalidData, "training rows must include both frauds and genuine transactions")
        }
        for (index, column) in features.enumerated() {
            if let bad = rows.first(where: { column[$0].isInfinite }) {
                throw ModelError(.invalidData, "input \(index) of row \(bad) is infinite")
            }
        }
        let standardization = Standardization(features: features, rows: rows)
        let d = features.count
        let width = d + 1
        // Row-major design matrix of standardised inputs with a trailing 1 for the intercept.
        var design = [Double](repeating: 1, count: rows.count * width)
        var targets = [Double](repeating: 0, count: rows.count)
        var weights = [Double](repeating: 0, count: rows.count)
        for (i, row) in rows.enumerated() {
            for f in 0..<d {
                design[i * width + f] = standardization.standardize(features[f][row], feature: f)
            }
            targets[i] = Double(labels[row])
            weights[i] = c * (labels[row] == 1 ? classWeights.fraud : classWeights.genuine)
        }
        let scale = 1 + weights.reduce(0, +)
        var solver = NewtonSolver(design: design, targets: targets, weights: weights, width: width)
        let theta = try solver.minimize(tolerance: tolerance * scale, maximumIterations: maximumIterations)
        return LogisticRegressionModel(
            standardization: standardization, coefficients: Array(theta[0..<d]), intercept: theta[d])
    }
}

/// Newton's method with Armijo backtracking for the L2-regularised weighted logistic loss.
private struct NewtonSolver {
    let design: [Double]
    let targets: [Double]
    let weights: [Double]
    let width: Int

    var n: Int { targets.count }

    /// Objective ½‖w‖² + Σ cᵢ·logloss (intercept, the last parameter, unpenalised).
    func objective(_ theta: [Double]) -> Double {
        var total = 0.0
        for j in 0..<(width - 1) { total += 0.5 * theta[j] * theta[j] }
        for i in 0..<n {
            let z = margin(theta, row: i)
            // logloss = softplus(z) − y·z.
            total += weights[i] * (LogisticRegressionModel.softplus(z) - targets[i] * z)
        }
        return total
    }

    func margin(_ theta: [Double], row i: Int) -> Double {
        var z = 0.0
        let base = i * width
        for j in 0..<width { z += design[base + j] * theta[j] }
        return z
    }

    mutating func minimize(tolerance: Double, maximumIterations: Int) throws -> [Double] {
        var theta = [Double](repeating: 0, count: width)
        var value = objective(theta)
        for _ in 0..<maximumIterations {
            var gradient = [Double](repeating: 0, count: width)
            var hessian = [Double](repeating: 0, count: width * width)
            for j in 0..<(width - 1) {
                gradient[j] = theta[j]
                hessian[j * width + j] = 1
            }
            for i in 0..<n {
                let p = LogisticRegressionModel.sigmoid(margin(theta, row: i))
                let residual = weights[i] * (p - targets[i])
                let curvature = weights[i] * p * (1 - p)
                let base = i * width
                for a in 0..<width {
                    let xa = design[base + a]
                    gradient[a] += residual * xa
                    let scaled = curvature * xa
                    for b in 0...a { hessian[a * width + b] += scaled * design[base + b] }
                }
            }
            if gradient.map(abs).max() ?? 0 <= tolerance {
                return theta
            }
            for a in 0..<width {
                for b in (a + 1)..<width { hessian[a * width + b] = hessian[b * width + a] }
            }
            let step = try Self.solveCholesky(hessian, gradient.map { -$0 }, size: width)
            let slope = zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            var length = 1.0
            var accepted = false
            for _ in 0..<60 {
                let candidate = zip(theta, step).map { $0 + length * $1 }
                let candidateValue = objective(candidate)
                if candidateValue <= value + 1e-4 * length * slope {
                    theta = candidate
                    value = candidateValue
                    accepted = true
                    break
                }
                length *= 0.5
            }
            if !accepted {
                // No decrease is representable: the step is below rounding, so theta is the optimum to precision.
                return theta
            }
        }
        throw ModelError(
            .notConverged, "logistic regression did not converge in \(maximumIterations) Newton iterations")
    }

    /// Solves A x = b for a symmetric positive-definite A (row-major, size × size).
    static func solveCholesky(_ a: [Double], _ b: [Double], size: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = a[i * size + j]
                for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
                if i == j {
                    guard sum > 0 else {
                        throw ModelError(.notConverged, "the Newton system is not positive definite")
                    }
                    l[i * size + i] = sum.squareRoot()
                } else {
                    l[i * size + j] = sum / l[j * size + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * size + k] * y[k] }
            y[i] = sum / l[i * size + i]
        }
        var x = [Double](repeating: 0, count: size)
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<size { sum -= l[k * size + i] * x[k] }
            x[i] = sum / l[i * size + i]
        }
        return x
    }
}
