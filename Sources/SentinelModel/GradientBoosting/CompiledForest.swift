/// The trees of an ensemble laid out for block scoring: each tree of depth D becomes a complete binary tree of
/// 2^D − 1 inner nodes in breadth-first order plus 2^D leaves, so a row descends with `i = 2i + 1 + goRight`
/// and no branch on the node kind. Shallower leaves are padded with nodes that always go left (threshold +∞,
/// missing to the left) and repeat the leaf value. Trees deeper than `maxDepth` keep the node-array walk.
struct CompiledForest: Sendable {
    /// One inner node: 16 bytes, so a step loads one cache-line fragment.
    struct Node: Sendable {
        var threshold: Double
        var feature: Int32
        /// 1 when a missing input goes right, else 0.
        var missingRight: Int32
    }

    /// Deepest tree laid out completely (2^10 leaves of 8 bytes); deeper ensembles use the node walk.
    static let maxDepth = 10
    /// Rows transposed and scored together; the inputs of a block fit in L1.
    static let blockRows = 64

    let featureCount: Int
    let baseScore: Double
    /// Whether every tree was laid out; if not, scoring walks `RegressionTree` node arrays.
    let isComplete: Bool
    let nodes: [Node]
    let leaves: [Double]
    let depths: [Int]
    let nodeOffsets: [Int]
    let leafOffsets: [Int]

    init(trees: [RegressionTree], baseScore: Double, featureCount: Int) {
        self.featureCount = featureCount
        self.baseScore = baseScore
        let depths = trees.map(\.depth)
        self.depths = depths
        guard depths.allSatisfy({ $0 <= Self.maxDepth }) else {
            isComplete = false
            nodes = []
            leaves = []
            nodeOffsets = []
            leafOffsets = []
            return
        }
        isComplete = true
        var nodes: [Node] = []
        var leaves: [Double] = []
        var nodeOffsets: [Int] = []
        var leafOffsets: [Int] = []
        for (tree, depth) in zip(trees, depths) {
            let nodeBase = nodes.count
            let leafBase = leaves.count
            nodeOffsets.append(nodeBase)
            leafOffsets.append(leafBase)
            let innerCount = (1 << depth) - 1
            nodes.append(
                contentsOf: repeatElement(Node(threshold: .infinity, feature: 0, missingRight: 0), count: innerCount))
            leaves.append(contentsOf: repeatElement(0, count: 1 << depth))
            // (tree node, complete-tree slot); a leaf met above the last level fills both subtrees.
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
        self.nodeOffsets = nodeOffsets
        self.leafOffsets = leafOffsets
    }

    /// Log-odds of `rows` of a column-major table.
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
                    var hasMissing = false
                    for feature in 0..<width {
                        features[feature].withUnsafeBufferPointer { column in
                            for row in 0..<count {
                                let x = column[start + row]
                                hasMissing = hasMissing || x.isNaN
                                block[row * width + feature] = x
                            }
                        }
                    }
                    let out = UnsafeMutableBufferPointer(rebasing: scores[(start - rows.lowerBound)...])
                    if !isComplete {
                        for row in 0..<count {
                            let input = UnsafeBufferPointer(rebasing: block[(row * width)..<((row + 1) * width)])
                            for tree in trees {
                                out[row] += tree.value(of: input)
                            }
                        }
                    } else if hasMissing {
                        scoreBlock(UnsafeBufferPointer(block), count: count, into: out, missing: true)
                    } else {
                        scoreBlock(UnsafeBufferPointer(block), count: count, into: out, missing: false)
                    }
                    start += count
                }
            }
        }
        return scores
    }

    /// Log-odds of one row: the same leaf values, added in the same tree order, as ``rawScores(features:rows:fallback:)``,
    /// so one row scored alone and in a batch gives the same bits.
    /// - Precondition: `isComplete` and `row.count == featureCount`.
    func rawScore(of row: UnsafeBufferPointer<Double>) -> Double {
        var score = baseScore
        nodes.withUnsafeBufferPointer { nodes in
            leaves.withUnsafeBufferPointer { leaves in
                for tree in 0..<depths.count {
                    let depth = depths[tree]
                    let inner = nodes.baseAddress! + nodeOffsets[tree]
                    var index = 0
                    for _ in 0..<depth {
                        let node = inner[index]
                        let x = row[Int(node.feature)]
                        let right = x > node.threshold || (x.isNaN && node.missingRight != 0)
                        index = 2 * index + (right ? 2 : 1)
                    }
                    score += leaves[leafOffsets[tree] + index - ((1 << depth) - 1)]
                }
            }
        }
        return score
    }

    /// Log-odds of `count` rows stored one after another (`featureCount` values each), written to `out`.
    /// - Precondition: `isComplete`, `rows.count == count * featureCount`, `out.count >= count`.
    func rawScores(rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>)
    {
        let width = featureCount
        for row in 0..<count {
            out[row] = baseScore
        }
        var start = 0
        while start < count {
            let blockCount = min(Self.blockRows, count - start)
            let block = UnsafeBufferPointer(rebasing: rows[(start * width)..<((start + blockCount) * width)])
            let blockOut = UnsafeMutableBufferPointer(rebasing: out[start..<(start + blockCount)])
            if block.contains(where: \.isNaN) {
                scoreBlock(block, count: blockCount, into: blockOut, missing: true)
            } else {
                scoreBlock(block, count: blockCount, into: blockOut, missing: false)
            }
            start += blockCount
        }
    }

    /// Adds every tree's value for the `count` rows of a row-major block to `out`, eight rows at a time so that the
    /// eight dependent descents (each step waits on two loads) overlap in the pipeline.
    @inline(__always)
    private func scoreBlock(
        _ block: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>, missing: Bool
    ) {
        let width = featureCount
        nodes.withUnsafeBufferPointer { nodes in
            leaves.withUnsafeBufferPointer { leaves in
                for tree in 0..<depths.count {
                    let depth = depths[tree]
                    let inner = nodes.baseAddress! + nodeOffsets[tree]
                    let leaf = leaves.baseAddress! + leafOffsets[tree] - ((1 << depth) - 1)
                    @inline(__always)
                    func step(_ index: Int, _ row: UnsafePointer<Double>) -> Int {
                        let node = inner[index]
                        let x = row[Int(node.feature)]
                        var right = x > node.threshold ? 1 : 0
                        if missing {
                            right |= x.isNaN ? Int(node.missingRight) : 0
                        }
                        return 2 * index + 1 + right
                    }
                    var row = 0
                    while row + 8 <= count {
                        let r0 = block.baseAddress! + row * width
                        let r1 = r0 + width
                        let r2 = r1 + width
                        let r3 = r2 + width
                        let r4 = r3 + width
                        let r5 = r4 + width
                        let r6 = r5 + width
                        let r7 = r6 + width
                        var i0 = 0
                        var i1 = 0
                        var i2 = 0
                        var i3 = 0
                        var i4 = 0
                        var i5 = 0
                        var i6 = 0
                        var i7 = 0
                        for _ in 0..<depth {
                            i0 = step(i0, r0)
                            i1 = step(i1, r1)
                            i2 = step(i2, r2)
                            i3 = step(i3, r3)
                            i4 = step(i4, r4)
                            i5 = step(i5, r5)
                            i6 = step(i6, r6)
                            i7 = step(i7, r7)
                        }
                        out[row] += leaf[i0]
                        out[row + 1] += leaf[i1]
                        out[row + 2] += leaf[i2]
                        out[row + 3] += leaf[i3]
                        out[row + 4] += leaf[i4]
                        out[row + 5] += leaf[i5]
                        out[row + 6] += leaf[i6]
                        out[row + 7] += leaf[i7]
                        row += 8
                    }
                    while row < count {
                        let r0 = block.baseAddress! + row * width
                        var i0 = 0
                        for _ in 0..<depth {
                            i0 = step(i0, r0)
                        }
                        out[row] += leaf[i0]
                        row += 1
                    }
                }
            }
        }
    }
}
