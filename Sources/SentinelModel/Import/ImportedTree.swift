/// A decision tree as another library stores it, before it becomes a ``RegressionTree``: nodes addressed by the
/// library's own indices, which may come in any order and may be shared (a node expanded to express a split rule
/// refers to the same subtree twice).
///
/// Every split is already in Sentinel's form: a row goes left when its input `x` satisfies `x <= threshold` (a
/// `Double`), and a missing input (NaN) goes the way `missingGoesLeft` says. The readers translate their library's
/// rule into that form exactly (see ``FloatComparison``).
struct ImportedTree {
    /// One node: a leaf when `feature` is nil.
    struct Node {
        var feature: Int?
        var threshold: Double
        var missingGoesLeft: Bool
        var left: Int
        var right: Int
        var value: Double

        /// A leaf with a log-odds (or probability) contribution.
        static func leaf(_ value: Double) -> Node {
            Node(feature: nil, threshold: 0, missingGoesLeft: false, left: -1, right: -1, value: value)
        }

        /// An inner node.
        static func split(feature: Int, threshold: Double, missingGoesLeft: Bool, left: Int, right: Int) -> Node {
            Node(
                feature: feature, threshold: threshold, missingGoesLeft: missingGoesLeft, left: left, right: right,
                value: 0)
        }
    }

    /// The nodes; `root` indexes the root.
    var nodes: [Node]
    var root: Int = 0

    /// The deepest tree accepted: far beyond any real model, it bounds the walk on a file whose children loop.
    static let maximumDepth = 64
    /// The most nodes one tree may expand to.
    static let maximumNodes = 1 << 22

    /// Lays the tree out as node arrays in depth-first preorder (children after their parent, as
    /// ``RegressionTree/validate(featureCount:)`` requires), expanding shared subtrees.
    /// - Parameter featureCount: The model's input count.
    /// - Returns: The tree, checked.
    /// - Throws: ``ModelError`` `.inconsistent` (the caller adds the file and the tree) when a child index is out of range, the tree is
    ///   deeper than ``maximumDepth`` (which a cycle would make it), a number is not finite or an input is out of
    ///   range.
    func regressionTree(featureCount: Int) throws(ModelError) -> RegressionTree {
        var feature: [Int32] = []
        var threshold: [Double] = []
        var missingGoesLeft: [Bool] = []
        var left: [Int32] = []
        var right: [Int32] = []
        var value: [Double] = []
        // (source node, depth, the output slot's parent and whether it is its right child)
        var stack: [(node: Int, depth: Int, parent: Int, isRight: Bool)] = [(root, 0, -1, false)]
        while let (index, depth, parent, isRight) = stack.popLast() {
            guard nodes.indices.contains(index) else {
                throw ModelError(.inconsistent, "a child index \(index) is outside the tree's \(nodes.count) nodes")
            }
            guard depth <= Self.maximumDepth, feature.count < Self.maximumNodes else {
                throw ModelError(
                    .inconsistent, "the tree is deeper than \(Self.maximumDepth) levels (or its children loop)")
            }
            let node = nodes[index]
            let slot = feature.count
            if parent >= 0 {
                if isRight { right[parent] = Int32(slot) } else { left[parent] = Int32(slot) }
            }
            if let input = node.feature {
                guard (0..<featureCount).contains(input) else {
                    throw ModelError(
                        .inconsistent, "a split tests input \(input) but the model has \(featureCount) inputs")
                }
                guard node.threshold.isFinite else {
                    throw ModelError(.inconsistent, "a split threshold is not finite (\(node.threshold))")
                }
                feature.append(Int32(input))
                threshold.append(node.threshold)
                missingGoesLeft.append(node.missingGoesLeft)
                left.append(-1)
                right.append(-1)
                value.append(0)
                // Right pushed first, so the left subtree is laid out first.
                stack.append((node.right, depth + 1, slot, true))
                stack.append((node.left, depth + 1, slot, false))
            } else {
                guard node.value.isFinite else {
                    throw ModelError(.inconsistent, "a leaf value is not finite (\(node.value))")
                }
                feature.append(-1)
                threshold.append(0)
                missingGoesLeft.append(false)
                left.append(-1)
                right.append(-1)
                value.append(node.value)
            }
        }
        let tree = RegressionTree(
            feature: feature, threshold: threshold, missingGoesLeft: missingGoesLeft, left: left, right: right,
            value: value)
        do {
            try tree.validate(featureCount: featureCount)
        } catch {
            throw ModelError(.inconsistent, error.message)
        }
        return tree
    }
}
