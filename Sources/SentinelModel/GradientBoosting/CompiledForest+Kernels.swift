// The descents themselves. Every function here is inlined into a call site that passes a constant `depth` and
// `missing`, so the loops over levels unroll and the NaN test disappears from inputs without NaN.
extension CompiledForest {
    /// Rows (or trees) descended together: independent load chains the core overlaps.
    static let lanes = 8

    /// One level of a descent: the next slot after comparing the row's input with node `index`.
    ///
    /// `x > threshold` is false for NaN, so a missing input goes left unless the node sends it right; that is
    /// `RegressionTree.value(of:)`'s rule (`x <= threshold` goes left, NaN the learned way), written without a branch.
    @inline(__always)
    static func step(_ nodes: UnsafePointer<Node>, _ index: Int, _ row: UnsafePointer<Double>, missing: Bool) -> Int {
        let node = nodes[index]
        let x = row[Int(truncatingIfNeeded: node.feature)]
        var right = x > node.threshold ? 1 : 0
        if missing {
            right |= (x.isNaN ? 1 : 0) & Int(truncatingIfNeeded: node.missingRight)
        }
        return 2 &* index &+ 1 &+ right
    }

    /// The log-odds of one row: trees descended `lanes` at a time, their leaf values added in tree order.
    @inline(__always)
    func scoreRow(
        _ row: UnsafePointer<Double>, _ nodes: UnsafePointer<Node>, _ leaves: UnsafePointer<Double>, depth: Int,
        missing: Bool
    ) -> Double {
        let innerCount = (1 << depth) &- 1
        let leafCount = 1 << depth
        var score = baseScore
        var tree = 0
        while tree &+ Self.lanes <= treeCount {
            let n0 = nodes + tree &* innerCount
            let n1 = n0 + innerCount
            let n2 = n1 + innerCount
            let n3 = n2 + innerCount
            let n4 = n3 + innerCount
            let n5 = n4 + innerCount
            let n6 = n5 + innerCount
            let n7 = n6 + innerCount
            var i0 = 0
            var i1 = 0
            var i2 = 0
            var i3 = 0
            var i4 = 0
            var i5 = 0
            var i6 = 0
            var i7 = 0
            for _ in 0..<depth {
                i0 = Self.step(n0, i0, row, missing: missing)
                i1 = Self.step(n1, i1, row, missing: missing)
                i2 = Self.step(n2, i2, row, missing: missing)
                i3 = Self.step(n3, i3, row, missing: missing)
                i4 = Self.step(n4, i4, row, missing: missing)
                i5 = Self.step(n5, i5, row, missing: missing)
                i6 = Self.step(n6, i6, row, missing: missing)
                i7 = Self.step(n7, i7, row, missing: missing)
            }
            // Slot i of the last level is leaf i − (2^D − 1); added one by one, in tree order, for equal bits.
            let leaf = leaves + (tree &* leafCount &- innerCount)
            score += leaf[i0]
            score += leaf[leafCount &+ i1]
            score += leaf[2 &* leafCount &+ i2]
            score += leaf[3 &* leafCount &+ i3]
            score += leaf[4 &* leafCount &+ i4]
            score += leaf[5 &* leafCount &+ i5]
            score += leaf[6 &* leafCount &+ i6]
            score += leaf[7 &* leafCount &+ i7]
            tree &+= Self.lanes
        }
        while tree < treeCount {
            let n0 = nodes + tree &* innerCount
            var i0 = 0
            for _ in 0..<depth {
                i0 = Self.step(n0, i0, row, missing: missing)
            }
            score += leaves[tree &* leafCount &+ i0 &- innerCount]
            tree &+= 1
        }
        return score
    }

    /// Adds every tree's value, in tree order, to `out[0..<count]` for the `count` rows of a row-major block; each
    /// tree descends `lanes` rows at a time.
    @inline(__always)
    func addTrees(
        _ block: UnsafePointer<Double>, _ count: Int, _ out: UnsafeMutablePointer<Double>,
        _ nodes: UnsafePointer<Node>, _ leaves: UnsafePointer<Double>, depth: Int, missing: Bool
    ) {
        let innerCount = (1 << depth) &- 1
        let leafCount = 1 << depth
        let width = featureCount
        for tree in 0..<treeCount {
            let inner = nodes + tree &* innerCount
            let leaf = leaves + (tree &* leafCount &- innerCount)
            var row = 0
            while row &+ Self.lanes <= count {
                let r0 = block + row &* width
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
                    i0 = Self.step(inner, i0, r0, missing: missing)
                    i1 = Self.step(inner, i1, r1, missing: missing)
                    i2 = Self.step(inner, i2, r2, missing: missing)
                    i3 = Self.step(inner, i3, r3, missing: missing)
                    i4 = Self.step(inner, i4, r4, missing: missing)
                    i5 = Self.step(inner, i5, r5, missing: missing)
                    i6 = Self.step(inner, i6, r6, missing: missing)
                    i7 = Self.step(inner, i7, r7, missing: missing)
                }
                out[row] += leaf[i0]
                out[row &+ 1] += leaf[i1]
                out[row &+ 2] += leaf[i2]
                out[row &+ 3] += leaf[i3]
                out[row &+ 4] += leaf[i4]
                out[row &+ 5] += leaf[i5]
                out[row &+ 6] += leaf[i6]
                out[row &+ 7] += leaf[i7]
                row &+= Self.lanes
            }
            while row < count {
                let r0 = block + row &* width
                var i0 = 0
                for _ in 0..<depth {
                    i0 = Self.step(inner, i0, r0, missing: missing)
                }
                out[row] += leaf[i0]
                row &+= 1
            }
        }
    }
}
