// The descents themselves. The kernels are generic over the depth and the NaN handling, so the compiler makes one
// specialized copy per (depth, handling) in which the depth is a constant (fixed trip counts, constant offsets between
// trees) and, for inputs without NaN, the NaN test is gone. (Plain parameters with `@inline(__always)` kernels were
// not inlined into the dispatch and stayed generic: up to 8 % slower.)
extension CompiledForest {
    /// A tree depth known at compile time.
    protocol FixedDepth { static var value: Int { get } }
    enum Depth0: FixedDepth { static var value: Int { 0 } }
    enum Depth1: FixedDepth { static var value: Int { 1 } }
    enum Depth2: FixedDepth { static var value: Int { 2 } }
    enum Depth3: FixedDepth { static var value: Int { 3 } }
    enum Depth4: FixedDepth { static var value: Int { 4 } }
    enum Depth5: FixedDepth { static var value: Int { 5 } }
    enum Depth6: FixedDepth { static var value: Int { 6 } }
    enum Depth7: FixedDepth { static var value: Int { 7 } }
    enum Depth8: FixedDepth { static var value: Int { 8 } }
    enum Depth9: FixedDepth { static var value: Int { 9 } }
    enum Depth10: FixedDepth { static var value: Int { 10 } }

    /// Whether the inputs being scored may hold NaN, known at compile time.
    protocol MissingInputs { static var possible: Bool { get } }
    /// Inputs with at least one NaN: every step tests for it.
    enum WithMissing: MissingInputs { static var possible: Bool { true } }
    /// Inputs without NaN: no step tests for it.
    enum WithoutMissing: MissingInputs { static var possible: Bool { false } }

    /// Trees descended together for one row: independent load chains the core overlaps.
    static let rowLanes = 16
    /// Rows of a block descended together through each tree.
    static let blockLanes = 8

    /// One level of a descent: the next slot after comparing input `inputs[offsets[index]]` with node `index`'s
    /// threshold (`offsets` are row indices or block offsets; all pointers start at the tree's first node).
    ///
    /// `x > threshold` is false for NaN, so a missing input goes left unless the node sends it right; that is
    /// `RegressionTree.value(of:)`'s rule (`x <= threshold` goes left, NaN the learned way), written without a branch.
    @inline(__always)
    static func step<Missing: MissingInputs>(
        _ index: Int, _ inputs: UnsafePointer<Double>, _ thresholds: UnsafePointer<Double>,
        _ offsets: UnsafePointer<Int32>, _ missingRight: UnsafePointer<UInt8>, _: Missing.Type
    ) -> Int {
        let x = inputs[Int(truncatingIfNeeded: offsets[index])]
        var right = x > thresholds[index] ? 1 : 0
        if Missing.possible {
            right |= (x.isNaN ? 1 : 0) & Int(truncatingIfNeeded: missingRight[index])
        }
        return 2 &* index &+ 1 &+ right
    }

    /// The log-odds of one row: trees descended `rowLanes`, then 4, then 1 at a time; leaf values added in tree order.
    func scoreRow<Depth: FixedDepth, Missing: MissingInputs>(
        _ row: UnsafePointer<Double>, _ layout: Layout, _: Depth.Type, _ missing: Missing.Type
    ) -> Double {
        let innerCount = (1 << Depth.value) &- 1
        let leafCount = 1 << Depth.value
        var score = baseScore
        var tree = 0
        while tree &+ Self.rowLanes <= treeCount {
            let t = layout.thresholds + tree &* innerCount
            let f = layout.features + tree &* innerCount
            let m = layout.missingRight + tree &* innerCount
            var i0 = 0
            var i1 = 0
            var i2 = 0
            var i3 = 0
            var i4 = 0
            var i5 = 0
            var i6 = 0
            var i7 = 0
            var i8 = 0
            var i9 = 0
            var i10 = 0
            var i11 = 0
            var i12 = 0
            var i13 = 0
            var i14 = 0
            var i15 = 0
            for _ in 0..<Depth.value {
                i0 = Self.step(i0, row, t, f, m, missing)
                i1 = Self.step(
                    i1, row, t + 1 &* innerCount, f + 1 &* innerCount, m + 1 &* innerCount, missing)
                i2 = Self.step(
                    i2, row, t + 2 &* innerCount, f + 2 &* innerCount, m + 2 &* innerCount, missing)
                i3 = Self.step(
                    i3, row, t + 3 &* innerCount, f + 3 &* innerCount, m + 3 &* innerCount, missing)
                i4 = Self.step(
                    i4, row, t + 4 &* innerCount, f + 4 &* innerCount, m + 4 &* innerCount, missing)
                i5 = Self.step(
                    i5, row, t + 5 &* innerCount, f + 5 &* innerCount, m + 5 &* innerCount, missing)
                i6 = Self.step(
                    i6, row, t + 6 &* innerCount, f + 6 &* innerCount, m + 6 &* innerCount, missing)
                i7 = Self.step(
                    i7, row, t + 7 &* innerCount, f + 7 &* innerCount, m + 7 &* innerCount, missing)
                i8 = Self.step(
                    i8, row, t + 8 &* innerCount, f + 8 &* innerCount, m + 8 &* innerCount, missing)
                i9 = Self.step(
                    i9, row, t + 9 &* innerCount, f + 9 &* innerCount, m + 9 &* innerCount, missing)
                i10 = Self.step(
                    i10, row, t + 10 &* innerCount, f + 10 &* innerCount, m + 10 &* innerCount, missing)
                i11 = Self.step(
                    i11, row, t + 11 &* innerCount, f + 11 &* innerCount, m + 11 &* innerCount, missing)
                i12 = Self.step(
                    i12, row, t + 12 &* innerCount, f + 12 &* innerCount, m + 12 &* innerCount, missing)
                i13 = Self.step(
                    i13, row, t + 13 &* innerCount, f + 13 &* innerCount, m + 13 &* innerCount, missing)
                i14 = Self.step(
                    i14, row, t + 14 &* innerCount, f + 14 &* innerCount, m + 14 &* innerCount, missing)
                i15 = Self.step(
                    i15, row, t + 15 &* innerCount, f + 15 &* innerCount, m + 15 &* innerCount, missing)
            }
            // Slot i of the last level is leaf i − (2^D − 1); added one by one, in tree order, for equal bits.
            let leaf = layout.leaves + (tree &* leafCount &- innerCount)
            score += leaf[i0]
            score += leaf[1 &* leafCount &+ i1]
            score += leaf[2 &* leafCount &+ i2]
            score += leaf[3 &* leafCount &+ i3]
            score += leaf[4 &* leafCount &+ i4]
            score += leaf[5 &* leafCount &+ i5]
            score += leaf[6 &* leafCount &+ i6]
            score += leaf[7 &* leafCount &+ i7]
            score += leaf[8 &* leafCount &+ i8]
            score += leaf[9 &* leafCount &+ i9]
            score += leaf[10 &* leafCount &+ i10]
            score += leaf[11 &* leafCount &+ i11]
            score += leaf[12 &* leafCount &+ i12]
            score += leaf[13 &* leafCount &+ i13]
            score += leaf[14 &* leafCount &+ i14]
            score += leaf[15 &* leafCount &+ i15]
            tree &+= Self.rowLanes
        }
        // The remaining trees four, then one at a time.
        while tree &+ 4 <= treeCount {
            let t = layout.thresholds + tree &* innerCount
            let f = layout.features + tree &* innerCount
            let m = layout.missingRight + tree &* innerCount
            var i0 = 0
            var i1 = 0
            var i2 = 0
            var i3 = 0
            for _ in 0..<Depth.value {
                i0 = Self.step(i0, row, t, f, m, missing)
                i1 = Self.step(i1, row, t + innerCount, f + innerCount, m + innerCount, missing)
                i2 = Self.step(i2, row, t + 2 &* innerCount, f + 2 &* innerCount, m + 2 &* innerCount, missing)
                i3 = Self.step(i3, row, t + 3 &* innerCount, f + 3 &* innerCount, m + 3 &* innerCount, missing)
            }
            let leaf = layout.leaves + (tree &* leafCount &- innerCount)
            score += leaf[i0]
            score += leaf[leafCount &+ i1]
            score += leaf[2 &* leafCount &+ i2]
            score += leaf[3 &* leafCount &+ i3]
            tree &+= 4
        }
        while tree < treeCount {
            let t = layout.thresholds + tree &* innerCount
            let f = layout.features + tree &* innerCount
            let m = layout.missingRight + tree &* innerCount
            var i0 = 0
            for _ in 0..<Depth.value {
                i0 = Self.step(i0, row, t, f, m, missing)
            }
            score += layout.leaves[tree &* leafCount &+ i0 &- innerCount]
            tree &+= 1
        }
        return score
    }

    /// Writes the log-odds of the `count` rows of a column-major block (input f of row r at `block[f · blockRows + r]`)
    /// to `out`: `blockLanes` rows descend each tree together, each row's sum kept in a register and added in tree order.
    func scoreColumns<Depth: FixedDepth, Missing: MissingInputs>(
        _ block: UnsafePointer<Double>, _ count: Int, _ out: UnsafeMutablePointer<Double>, _ layout: Layout,
        _: Depth.Type, _ missing: Missing.Type
    ) {
        let innerCount = (1 << Depth.value) &- 1
        let leafCount = 1 << Depth.value
        var row = 0
        while row &+ Self.blockLanes <= count {
            let r = block + row
            var s0 = baseScore
            var s1 = baseScore
            var s2 = baseScore
            var s3 = baseScore
            var s4 = baseScore
            var s5 = baseScore
            var s6 = baseScore
            var s7 = baseScore
            var t = layout.thresholds
            var f = layout.blockOffsets
            var m = layout.missingRight
            var leaf = layout.leaves - innerCount
            for _ in 0..<treeCount {
                var i0 = 0
                var i1 = 0
                var i2 = 0
                var i3 = 0
                var i4 = 0
                var i5 = 0
                var i6 = 0
                var i7 = 0
                for _ in 0..<Depth.value {
                    i0 = Self.step(i0, r, t, f, m, missing)
                    i1 = Self.step(i1, r + 1, t, f, m, missing)
                    i2 = Self.step(i2, r + 2, t, f, m, missing)
                    i3 = Self.step(i3, r + 3, t, f, m, missing)
                    i4 = Self.step(i4, r + 4, t, f, m, missing)
                    i5 = Self.step(i5, r + 5, t, f, m, missing)
                    i6 = Self.step(i6, r + 6, t, f, m, missing)
                    i7 = Self.step(i7, r + 7, t, f, m, missing)
                }
                s0 += leaf[i0]
                s1 += leaf[i1]
                s2 += leaf[i2]
                s3 += leaf[i3]
                s4 += leaf[i4]
                s5 += leaf[i5]
                s6 += leaf[i6]
                s7 += leaf[i7]
                t += innerCount
                f += innerCount
                m += innerCount
                leaf += leafCount
            }
            out[row] = s0
            out[row &+ 1] = s1
            out[row &+ 2] = s2
            out[row &+ 3] = s3
            out[row &+ 4] = s4
            out[row &+ 5] = s5
            out[row &+ 6] = s6
            out[row &+ 7] = s7
            row &+= Self.blockLanes
        }
        while row < count {
            var s0 = baseScore
            var t = layout.thresholds
            var f = layout.blockOffsets
            var m = layout.missingRight
            for tree in 0..<treeCount {
                var i0 = 0
                for _ in 0..<Depth.value {
                    i0 = Self.step(i0, block + row, t, f, m, missing)
                }
                s0 += layout.leaves[tree &* leafCount &+ i0 &- innerCount]
                t += innerCount
                f += innerCount
                m += innerCount
            }
            out[row] = s0
            row &+= 1
        }
    }
}
