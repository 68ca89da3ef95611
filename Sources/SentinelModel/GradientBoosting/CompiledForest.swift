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
///
/// One row descends 16 trees at a time (independent load chains that overlap in the core) and adds their leaf values
/// in tree order. A batch is copied into column-major blocks of `blockRows` rows; eight rows descend each tree
/// together and keep their sums in registers across all the trees.
struct CompiledForest: Sendable {
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
    // The `treeCount · (2^D − 1)` inner nodes as parallel arrays: a step indexes each with a scaled index (a 16-byte
    // node would need a shift) and the NaN directions are read only for inputs that have NaN.
    /// Split threshold of each inner node (+∞ for padding).
    let thresholds: [Double]
    /// Input tested by each inner node, as an index into a row.
    let features: [Int32]
    /// The same input as an offset into a column-major block: `feature · blockRows`.
    let blockOffsets: [Int32]
    /// 1 when a missing input goes right at the inner node, else 0.
    let missingRight: [UInt8]
    /// `treeCount · 2^D` leaf values.
    let leaves: [Double]

    init(trees: [RegressionTree], baseScore: Double, featureCount: Int) {
        self.featureCount = featureCount
        self.baseScore = baseScore
        self.treeCount = trees.count
        let depth = trees.map(\.depth).max() ?? 0
        self.depth = depth
        // Block offsets are `feature · blockRows` in an Int32; an absurdly wide model simply walks the node arrays.
        guard depth <= Self.maxDepth, featureCount <= Int(Int32.max) / Self.blockRows else {
            isComplete = false
            thresholds = []
            features = []
            blockOffsets = []
            missingRight = []
            leaves = []
            return
        }
        isComplete = true
        let innerCount = (1 << depth) - 1
        let leafCount = 1 << depth
        // One unused element at the end of each array, so that none is empty (an empty array may have no address).
        var thresholds = [Double](repeating: .infinity, count: trees.count * innerCount + 1)
        var features = [Int32](repeating: 0, count: trees.count * innerCount + 1)
        var missingRight = [UInt8](repeating: 0, count: trees.count * innerCount + 1)
        var leaves = [Double](repeating: 0, count: trees.count * leafCount + 1)
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
                    thresholds[nodeBase + slot] = tree.threshold[node]
                    features[nodeBase + slot] = tree.feature[node]
                    missingRight[nodeBase + slot] = tree.missingGoesLeft[node] ? 0 : 1
                    stack.append((Int(tree.left[node]), 2 * slot + 1))
                    stack.append((Int(tree.right[node]), 2 * slot + 2))
                } else {
                    stack.append((node, 2 * slot + 1))
                    stack.append((node, 2 * slot + 2))
                }
            }
        }
        self.thresholds = thresholds
        self.features = features
        self.blockOffsets = features.map { $0 * Int32(Self.blockRows) }
        self.missingRight = missingRight
        self.leaves = leaves
    }

    /// Log-odds of one row: the base score plus each tree's leaf value, added in tree order.
    /// - Precondition: `isComplete` and `row.count == featureCount`.
    func rawScore(of row: UnsafeBufferPointer<Double>) -> Double {
        let missing = row.contains(where: \.isNaN)
        let input = row.baseAddress!
        return withLayout { layout in
            // Each case runs a copy of the kernel specialized for that depth and NaN handling.
            switch (depth, missing) {
            case (0, _): return scoreRow(input, layout, Depth0.self, WithoutMissing.self)
            case (1, false): return scoreRow(input, layout, Depth1.self, WithoutMissing.self)
            case (1, true): return scoreRow(input, layout, Depth1.self, WithMissing.self)
            case (2, false): return scoreRow(input, layout, Depth2.self, WithoutMissing.self)
            case (2, true): return scoreRow(input, layout, Depth2.self, WithMissing.self)
            case (3, false): return scoreRow(input, layout, Depth3.self, WithoutMissing.self)
            case (3, true): return scoreRow(input, layout, Depth3.self, WithMissing.self)
            case (4, false): return scoreRow(input, layout, Depth4.self, WithoutMissing.self)
            case (4, true): return scoreRow(input, layout, Depth4.self, WithMissing.self)
            case (5, false): return scoreRow(input, layout, Depth5.self, WithoutMissing.self)
            case (5, true): return scoreRow(input, layout, Depth5.self, WithMissing.self)
            case (6, false): return scoreRow(input, layout, Depth6.self, WithoutMissing.self)
            case (6, true): return scoreRow(input, layout, Depth6.self, WithMissing.self)
            case (7, false): return scoreRow(input, layout, Depth7.self, WithoutMissing.self)
            case (7, true): return scoreRow(input, layout, Depth7.self, WithMissing.self)
            case (8, false): return scoreRow(input, layout, Depth8.self, WithoutMissing.self)
            case (8, true): return scoreRow(input, layout, Depth8.self, WithMissing.self)
            case (9, false): return scoreRow(input, layout, Depth9.self, WithoutMissing.self)
            case (9, true): return scoreRow(input, layout, Depth9.self, WithMissing.self)
            case (10, false): return scoreRow(input, layout, Depth10.self, WithoutMissing.self)
            default:  // depth 10, `maxDepth`, with NaN
                return scoreRow(input, layout, Depth10.self, WithMissing.self)
            }
        }
    }

    /// Log-odds of `count` rows stored one after another (`featureCount` values each), written to `out`.
    /// - Precondition: `isComplete`, `rows.count == count * featureCount`, `out.count >= count`.
    func rawScores(rowMajor rows: UnsafeBufferPointer<Double>, count: Int, into out: UnsafeMutableBufferPointer<Double>)
    {
        let width = featureCount
        withUnsafeTemporaryAllocation(of: Double.self, capacity: Self.blockRows * width) { block in
            var start = 0
            while start < count {
                let blockCount = min(Self.blockRows, count - start)
                var missing = false
                for row in 0..<blockCount {
                    let input = rows.baseAddress! + (start + row) * width
                    for feature in 0..<width {
                        let x = input[feature]
                        missing = missing || x.isNaN
                        block[feature * Self.blockRows + row] = x
                    }
                }
                scoreBlock(block.baseAddress!, count: blockCount, missing: missing, into: out.baseAddress! + start)
                start += blockCount
            }
        }
    }

    /// Log-odds of `rows` of a column-major table, copied into blocks of `blockRows` rows.
    func rawScores(features: [[Double]], rows: Range<Int>, fallback trees: [RegressionTree]) -> [Double] {
        var scores = [Double](repeating: baseScore, count: rows.count)
        guard !rows.isEmpty else { return scores }
        let width = featureCount
        guard isComplete else {
            var input = [Double](repeating: 0, count: width)
            for (index, row) in rows.enumerated() {
                for feature in 0..<width {
                    input[feature] = features[feature][row]
                }
                input.withUnsafeBufferPointer { input in
                    for tree in trees {
                        scores[index] += tree.value(of: input)
                    }
                }
            }
            return scores
        }
        scores.withUnsafeMutableBufferPointer { scores in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: Self.blockRows * width) { block in
                var start = rows.lowerBound
                while start < rows.upperBound {
                    let count = min(Self.blockRows, rows.upperBound - start)
                    var missing = false
                    for feature in 0..<width {
                        features[feature].withUnsafeBufferPointer { column in
                            for row in 0..<count {
                                let x = column[start + row]
                                missing = missing || x.isNaN
                                block[feature * Self.blockRows + row] = x
                            }
                        }
                    }
                    let out = scores.baseAddress! + (start - rows.lowerBound)
                    scoreBlock(block.baseAddress!, count: count, missing: missing, into: out)
                    start += count
                }
            }
        }
        return scores
    }

    /// Writes the log-odds of the first `count` rows of a column-major block (input f of row r at
    /// `block[f · blockRows + r]`, `count <= blockRows`) to `out`; `missing` says whether any of their inputs is NaN.
    private func scoreBlock(
        _ input: UnsafeMutablePointer<Double>, count: Int, missing: Bool, into out: UnsafeMutablePointer<Double>
    ) {
        let input = UnsafePointer(input)
        withLayout { layout in
            switch (depth, missing) {
            case (0, _): scoreColumns(input, count, out, layout, Depth0.self, WithoutMissing.self)
            case (1, false):
                scoreColumns(input, count, out, layout, Depth1.self, WithoutMissing.self)
            case (1, true): scoreColumns(input, count, out, layout, Depth1.self, WithMissing.self)
            case (2, false):
                scoreColumns(input, count, out, layout, Depth2.self, WithoutMissing.self)
            case (2, true): scoreColumns(input, count, out, layout, Depth2.self, WithMissing.self)
            case (3, false):
                scoreColumns(input, count, out, layout, Depth3.self, WithoutMissing.self)
            case (3, true): scoreColumns(input, count, out, layout, Depth3.self, WithMissing.self)
            case (4, false):
                scoreColumns(input, count, out, layout, Depth4.self, WithoutMissing.self)
            case (4, true): scoreColumns(input, count, out, layout, Depth4.self, WithMissing.self)
            case (5, false):
                scoreColumns(input, count, out, layout, Depth5.self, WithoutMissing.self)
            case (5, true): scoreColumns(input, count, out, layout, Depth5.self, WithMissing.self)
            case (6, false):
                scoreColumns(input, count, out, layout, Depth6.self, WithoutMissing.self)
            case (6, true): scoreColumns(input, count, out, layout, Depth6.self, WithMissing.self)
            case (7, false):
                scoreColumns(input, count, out, layout, Depth7.self, WithoutMissing.self)
            case (7, true): scoreColumns(input, count, out, layout, Depth7.self, WithMissing.self)
            case (8, false):
                scoreColumns(input, count, out, layout, Depth8.self, WithoutMissing.self)
            case (8, true): scoreColumns(input, count, out, layout, Depth8.self, WithMissing.self)
            case (9, false):
                scoreColumns(input, count, out, layout, Depth9.self, WithoutMissing.self)
            case (9, true): scoreColumns(input, count, out, layout, Depth9.self, WithMissing.self)
            case (10, false):
                scoreColumns(input, count, out, layout, Depth10.self, WithoutMissing.self)
            default:  // depth 10, `maxDepth`, with NaN
                scoreColumns(input, count, out, layout, Depth10.self, WithMissing.self)
            }
        }
    }
}

extension CompiledForest {
    /// Base addresses of the layout's arrays, valid inside ``withLayout(_:)``.
    struct Layout {
        let thresholds: UnsafePointer<Double>
        let features: UnsafePointer<Int32>
        let blockOffsets: UnsafePointer<Int32>
        let missingRight: UnsafePointer<UInt8>
        let leaves: UnsafePointer<Double>
    }

    /// Calls `body` with the base addresses of the layout's arrays.
    fileprivate func withLayout<R>(_ body: (Layout) -> R) -> R {
        thresholds.withUnsafeBufferPointer { thresholds in
            features.withUnsafeBufferPointer { features in
                blockOffsets.withUnsafeBufferPointer { blockOffsets in
                    missingRight.withUnsafeBufferPointer { missingRight in
                        leaves.withUnsafeBufferPointer { leaves in
                            body(
                                Layout(
                                    thresholds: thresholds.baseAddress!, features: features.baseAddress!,
                                    blockOffsets: blockOffsets.baseAddress!, missingRight: missingRight.baseAddress!,
                                    leaves: leaves.baseAddress!))
                        }
                    }
                }
            }
        }
    }
}
