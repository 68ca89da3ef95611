extension CompiledForest {
    /// One node of a forest too deep to lay out as complete trees (24 bytes: a step reads one cache line).
    struct WalkNode: Sendable {
        /// The split threshold, or the leaf value at a leaf.
        var threshold: Double
        /// The input tested, or −1 at a leaf.
        var feature: Int32
        /// Absolute index of the left child in ``CompiledForest/walkNodes``.
        var left: Int32
        /// Absolute index of the right child.
        var right: Int32
        /// Whether a missing input (NaN) goes left.
        var missingGoesLeft: Bool
    }

    /// Concatenates the trees' nodes, children re-based to absolute indices.
    static func walkLayout(_ trees: [RegressionTree]) -> (nodes: [WalkNode], roots: [Int32]) {
        var nodes: [WalkNode] = []
        nodes.reserveCapacity(trees.reduce(0) { $0 + $1.feature.count })
        var roots: [Int32] = []
        roots.reserveCapacity(trees.count)
        for tree in trees {
            let base = Int32(nodes.count)
            roots.append(base)
            for node in tree.feature.indices {
                let isLeaf = tree.feature[node] < 0
                nodes.append(
                    WalkNode(
                        threshold: isLeaf ? tree.value[node] : tree.threshold[node], feature: tree.feature[node],
                        left: isLeaf ? -1 : base + tree.left[node], right: isLeaf ? -1 : base + tree.right[node],
                        missingGoesLeft: tree.missingGoesLeft[node]))
            }
        }
        return (nodes, roots)
    }

    /// Log-odds of one row of a forest that is not `isComplete`: the base score plus each tree's leaf value, added
    /// in tree order, each leaf reached as `RegressionTree.value(of:)` reaches it (the same bits).
    /// - Precondition: not `isComplete` and `row.count == featureCount`.
    func walkRawScore(of row: UnsafeBufferPointer<Double>) -> Double {
        let input = row.baseAddress!
        var score = baseScore
        walkNodes.withUnsafeBufferPointer { nodes in
            let nodes = nodes.baseAddress!
            for root in walkRoots {
                var node = nodes[Int(root)]
                while node.feature >= 0 {
                    let x = input[Int(node.feature)]
                    let goLeft = x.isNaN ? node.missingGoesLeft : x <= node.threshold
                    node = nodes[Int(goLeft ? node.left : node.right)]
                }
                score += node.threshold
            }
        }
        return score
    }
}
