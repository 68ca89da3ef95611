/// One regression tree of a boosted ensemble, stored as parallel arrays of nodes (node 0 is the root).
///
/// A node is a leaf when `feature[node] < 0`; its contribution to the log-odds is `value[node]`. An inner node
/// sends a row to `left[node]` when its input `x` satisfies `x <= threshold[node]`, to `right[node]` when
/// `x > threshold[node]`, and a missing input (NaN) the way `missingGoesLeft[node]` says (learned in training).
///
/// ```swift
/// let stump = RegressionTree(
///     feature: [0, -1, -1], threshold: [2.5, 0, 0], missingGoesLeft: [true, false, false],
///     left: [1, -1, -1], right: [2, -1, -1], value: [0, -0.5, 1.5])
/// ```
public struct RegressionTree: Sendable, Codable, Equatable, Hashable {
    /// Input index tested by each inner node; −1 marks a leaf.
    public var feature: [Int32]
    /// Split threshold of each inner node (0 for leaves).
    public var threshold: [Double]
    /// Whether a missing input goes to the left child.
    public var missingGoesLeft: [Bool]
    /// Left child of each inner node (−1 for leaves).
    public var left: [Int32]
    /// Right child of each inner node (−1 for leaves).
    public var right: [Int32]
    /// Log-odds contribution of each leaf (0 for inner nodes).
    public var value: [Double]

    /// Creates a tree from its node arrays; `validate(featureCount:)` checks them.
    public init(
        feature: [Int32], threshold: [Double], missingGoesLeft: [Bool], left: [Int32], right: [Int32],
        value: [Double]
    ) {
        self.feature = feature
        self.threshold = threshold
        self.missingGoesLeft = missingGoesLeft
        self.left = left
        self.right = right
        self.value = value
    }

    /// Number of nodes, inner and leaves.
    public var nodeCount: Int { feature.count }

    /// Number of leaves.
    public var leafCount: Int { feature.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }

    /// The length of the longest root-to-leaf path (0 for a single leaf).
    public var depth: Int {
        var deepest = 0
        var stack: [(node: Int, depth: Int)] = [(0, 0)]
        while let (node, depth) = stack.popLast() {
            if feature[node] < 0 {
                deepest = max(deepest, depth)
            } else {
                stack.append((Int(left[node]), depth + 1))
                stack.append((Int(right[node]), depth + 1))
            }
        }
        return deepest
    }

    /// The log-odds contribution of this tree for one row.
    /// - Precondition: the tree is valid for `row.count` inputs.
    public func value(of row: UnsafeBufferPointer<Double>) -> Double {
        var node = 0
        while feature[node] >= 0 {
            let x = row[Int(feature[node])]
            let goLeft = x.isNaN ? missingGoesLeft[node] : x <= threshold[node]
            node = Int(goLeft ? left[node] : right[node])
        }
        return value[node]
    }

    /// Checks that the arrays agree, every child index points forward to an existing node, every node is reached
    /// exactly once, features are in range and numbers are finite.
    /// - Parameter featureCount: The number of model inputs.
    /// - Throws: `GradientBoostingError` with code `.invalidModel`.
    public func validate(featureCount: Int) throws(GradientBoostingError) {
        let count = feature.count
        guard count > 0,
            threshold.count == count, missingGoesLeft.count == count, left.count == count, right.count == count,
            value.count == count
        else {
            throw GradientBoostingError(.invalidModel, "tree node arrays are empty or differ in length")
        }
        var reached = [Bool](repeating: false, count: count)
        reached[0] = true
        for node in 0..<count {
            guard reached[node] else {
                throw GradientBoostingError(.invalidModel, "tree node \(node) is not reachable from the root")
            }
            guard value[node].isFinite else {
                throw GradientBoostingError(.invalidModel, "tree node \(node) has a non-finite value")
            }
            if feature[node] < 0 { continue }
            guard Int(feature[node]) < featureCount else {
                throw GradientBoostingError(
                    .invalidModel, "tree node \(node) tests input \(feature[node]) of \(featureCount)")
            }
            guard threshold[node].isFinite else {
                throw GradientBoostingError(.invalidModel, "tree node \(node) has a non-finite threshold")
            }
            for child in [Int(left[node]), Int(right[node])] {
                // Children always follow their parent, so a forward-only check also rules out cycles.
                guard child > node, child < count, !reached[child] else {
                    throw GradientBoostingError(.invalidModel, "tree node \(node) has a bad child index \(child)")
                }
                reached[child] = true
            }
        }
    }
}
