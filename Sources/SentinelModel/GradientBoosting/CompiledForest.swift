/// The trees of an ensemble laid out for fast scoring: every tree is padded to a complete binary tree of the
/// ensemble's depth D, so all trees have the same shape and a row descends each of them in exactly D steps of
/// `i = 2i + 1 + goRight`, with no branch on the node kind or the tree's depth.
///
/// Tree t keeps its 2^D − 1 inner nodes in breadth-first order at `nodes[t · (2^D − 1)...]` and its 2^D leaf values
/// at `leaves[t · 2^D...]`. A leaf above the last level is padded with inner nodes that always go left (threshold +∞,
/// missing to the left) and repeats its value in every leaf below it, so the walk ends on that value. Thresholds,
/// missing-value directions and the tree order of the sum are those of `RegressionTree.value(of:)`, so every path
/// gives the same bits as walking the node arrays. Ensembles deeper than `maxDepth` are not laid out
/// (`isComplete` is false) and scoring walks the node arrays.
struct CompiledForest: Sendable {
    /// One inner node: 16 bytes, so a step loads one aligned fragment of a cache line.
    struct Node: Sendable {
        var threshold: Double
        var feature: Int32
        /// 1 when a missing input goes right, else 0.
        var missingRight: Int32
    }

    /// Deepest ensemble laid out (2^10 leaves of 8 bytes per tree); deeper ensembles walk the node arrays.
    static let maxDepth = 10
    /// Rows scored together in a batch; a block of inputs fits in L1.
    static let blockRows = 64

    let featureCount: Int
    let baseScore: Double
    let treeCount: Int
    /// D: the depth of the deepest tree, to which every tree is padded.
    let depth: Int
    /// Whether the trees were laid out; if not, scoring walks `RegressionTree` node arrays.
    let isComplete: Bool
    /// `treeCount · (2^D − 1)` inner nodes.
    let nodes: [Node]
    /// `treeCount · 2^D` leaf values.
    let leaves: [Double]

    init(trees: [RegressionTree], baseScore: Double, featureCount: Int) {
        self.featureCount = featureCount
        self.baseScore = baseScore
        self.treeCount = trees.count
        let depth = trees.map(\.depth).max() ?? 0
        self.depth = depth
        guard depth <= Self.maxDepth else {
            isComplete = false
            nodes = []
            leaves = []
            return
        }
        isComplete = true
        let innerCount = (1 << depth) - 1
        let leafCount = 1 << depth
        var nodes = [Node](
            repeating: Node(threshold: .infinity, feature: 0, missingRight: 0), count: trees.count * innerCount)
        var leaves = [Double](repeating: 0, count: trees.count * leafCount)
        for (index, tree) in trees.enumerated() {
            let nodeBase = index * innerCount
            let leafBase = index * leafCount
            // (tree node, complete-tree slot); a leaf met above the last level fills both subtrees of its slot,
            // whose inner slots keep the always-left padding.
            var stack: [(node: Int, slot: Int)] = [(0, 0)]
            while let (node, slot) = stack.popLast() {
                if slot >= innerCount {
                    leaves[leafBase + slot - innerCount] = tree.value[node]
                    continue
                }
                if tree.feature[node] >= 0 {
                    nodes[nodeBase + slot] = Node(
                        threshold: tree.threshold[node], feature: tree.feature[node],
                        missingRight: tree.missingGoesLeft[node] ? 0 : 1)
                    stack.append((Int(tree.left[node]), 2 * slot + 1))
                    stack.append((Int(tree.right[node]), 2 * slot + 2))
                } else {
                    stack.append((node, 2 * slot + 1))
                    stack.append((node, 2 * slot + 2))
                }
            }
        }
        self.nodes = nodes
        self.leaves = leaves
    }

    /// Log-odds of one row: the base score plus each tree's leaf value, added in tree order.
    /// - Precondition: `isComplete` and `row.count == featureCount`.
    func rawScore(of row: UnsafeBufferPointer<Double>) -> Double {
        let missing = row.contains(where: \.isNaN)
        let input = row.baseAddress!
        return nodes.withUnsafeBufferPointer { nodes in
            leaves.withUnsafeBufferPointer { leaves in
                let nodes = nodes.baseAddress!
                let leaves = leaves.baseAddress!
                // A constant depth per call site lets the compiler unroll the descents completely.
                switch (depth, missing) {
                case (0, _): return scoreRow(input, nodes, leaves, depth: 0, missing: false)
                case (1, false): return scoreRow(input, nodes, leaves, depth: 1, missing: false)
                case (1, true): return scoreRow(input, nodes, leaves, depth: 1, missing: true)
                case (2, false): return scoreRow(input, nodes, leaves, depth: 2, missing: false)
                case (2, true): return scoreRow(input, nodes, leaves, depth: 2, missing: true)
                case (3, false): return scoreRow(input, nodes, leaves, depth: 3, missing: false)
                case (3, true): return scoreRow(input, nodes, leaves, depth: 3, missing: true)
                case (4, false): return scoreRow(input, nodes, leaves, depth: 4, missing: false)
                case (4, true): return scoreRow(input, nodes, leaves, depth: 4, missing: true)
                case (5, false): return scoreRow(input, nodes, leaves, depth: 5, missing: false)
                case (5, true): return scoreRow(input, nodes, leaves, depth: 5, missing: true)
                case (6, false): return scoreRow(input, nodes, leaves, depth: 6, missing: false)
                case (6, true): return scoreRow(input, nodes, leaves, depth: 6, missing: true)
                case (7, false): return scoreRow(input, nodes, leaves, depth: 7, missing: false)
                case (7, true): return scoreRow(input, nodes, leaves, depth: 7, missing: true)
                case (8, false): return scoreRow(input, nodes, leaves, depth: 8, missing: false)
                case (8, true): return scoreRow(input, nodes, leaves, depth: 8, missing: true)
                default: return scoreRow(input, nodes, leaves, depth: depth, missing: missing)
                }
            }
        }
    }

    /// Log-odds of `count` rows stored one after another (`featureCount` values each), written to `out`.
    /// - Precondition: `isComplete`, `rows.count == count * featureCount`, `out.count >= count`.
    func rawScores(rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>)
    {
        let width = featureCount
        var start = 0
        while start < count {
            let blockCount = min(Self.blockRows, count - start)
            let block = UnsafeBufferPointer(rebasing: rows[(start * width)..<((start + blockCount) * width)])
            scoreBlock(block, count: blockCount, into: out.baseAddress! + start)
            start += blockCount
        }
    }

    /// Log-odds of `rows` of a column-major table, transposed in blocks of `blockRows` rows.
    func rawScores(features: [[Double]], rows: Range<Int>, fallback trees: [RegressionTree]) -> [Double] {
        var scores = [Double](repeating: baseScore, count: rows.count)
        guard !rows.isEmpty else { return scores }
        let width = featureCount
        var block = [Double](repeating: 0, count: Self.blockRows * width)
        scores.withUnsafeMutableBufferPointer { scores in
            block.withUnsafeMutableBufferPointer { block in
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let count = min(Self.blockRows, rows.upperBound - start)
                    for feature in 0..<width {
                        features[feature].withUnsafeBufferPointer { column in
                            for row in 0..<count {
                                block[row * width + feature] = column[start + row]
                            }
                        }
                    }
                    let out = scores.baseAddress! + (start - rows.lowerBound)
                    let input = UnsafeBufferPointer(rebasing: block[0..<(count * width)])
                    if isComplete {
                        scoreBlock(input, count: count, into: out)
                    } else {
                        for row in 0..<count {
                            let values = UnsafeBufferPointer(rebasing: input[(row * width)..<((row + 1) * width)])
                            for tree in trees {
                                out[row] += tree.value(of: values)
                            }
                        }
                    }
                    start += count
                }
            }
        }
        return scores
    }

    /// Writes the log-odds of the `count` rows of a row-major block (at most `blockRows`) to `out`.
    private func scoreBlock(_ block: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutablePointer<Double>) {
        for row in 0..<count {
            out[row] = baseScore
        }
        let missing = block.contains(where: \.isNaN)
        let input = block.baseAddress!
        nodes.withUnsafeBufferPointer { nodes in
            leaves.withUnsafeBufferPointer { leaves in
                let nodes = nodes.baseAddress!
                let leaves = leaves.baseAddress!
                switch (depth, missing) {
                case (0, _): addTrees(input, count, out, nodes, leaves, depth: 0, missing: false)
                case (1, false): addTrees(input, count, out, nodes, leaves, depth: 1, missing: false)
                case (1, true): addTrees(input, count, out, nodes, leaves, depth: 1, missing: true)
                case (2, false): addTrees(input, count, out, nodes, leaves, depth: 2, missing: false)
                case (2, true): addTrees(input, count, out, nodes, leaves, depth: 2, missing: true)
                case (3, false): addTrees(input, count, out, nodes, leaves, depth: 3, missing: false)
                case (3, true): addTrees(input, count, out, nodes, leaves, depth: 3, missing: true)
                case (4, false): addTrees(input, count, out, nodes, leaves, depth: 4, missing: false)
                case (4, true): addTrees(input, count, out, nodes, leaves, depth: 4, missing: true)
                case (5, false): addTrees(input, count, out, nodes, leaves, depth: 5, missing: false)
                case (5, true): addTrees(input, count, out, nodes, leaves, depth: 5, missing: true)
                case (6, false): addTrees(input, count, out, nodes, leaves, depth: 6, missing: false)
                case (6, true): addTrees(input, count, out, nodes, leaves, depth: 6, missing: true)
                case (7, false): addTrees(input, count, out, nodes, leaves, depth: 7, missing: false)
                case (7, true): addTrees(input, count, out, nodes, leaves, depth: 7, missing: true)
                case (8, false): addTrees(input, count, out, nodes, leaves, depth: 8, missing: false)
                case (8, true): addTrees(input, count, out, nodes, leaves, depth: 8, missing: true)
                default: addTrees(input, count, out, nodes, leaves, depth: depth, missing: missing)
                }
            }
        }
    }
}
