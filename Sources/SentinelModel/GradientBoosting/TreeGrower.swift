import Dispatch

/// Grows one regression tree on binned inputs from per-row gradient and hessian pairs: histograms of (Σg, Σh) per
/// bin, the second-order split gain with L2 leaf regularisation, best-first growth under a depth and a leaf limit,
/// and histogram subtraction (only the smaller child is built; the sibling is the parent minus it).
///
/// Histograms are split by feature across threads, and each feature's bins are summed by one thread in row order,
/// so the tree does not depend on scheduling or on the number of threads.
final class TreeGrower {
    /// A tree over bin codes, with the real thresholds the final model uses.
    struct GrownTree {
        var feature: [Int32] = []
        var bin: [UInt16] = []
        var threshold: [Double] = []
        var missingGoesLeft: [Bool] = []
        var left: [Int32] = []
        var right: [Int32] = []
        var value: [Double] = []
        /// Split gain of each inner node (0 for leaves).
        var gain: [Double] = []
        /// Where each leaf's training rows ended up: `(leaf node, range in the grower's row order)`.
        var leafRows: [(node: Int, rows: Range<Int>)] = []

        mutating func addNode() -> Int {
            feature.append(-1)
            bin.append(0)
            threshold.append(0)
            missingGoesLeft.append(false)
            left.append(-1)
            right.append(-1)
            value.append(0)
            gain.append(0)
            return feature.count - 1
        }

        var regressionTree: RegressionTree {
            RegressionTree(
                feature: feature, threshold: threshold, missingGoesLeft: missingGoesLeft, left: left, right: right,
                value: value)
        }
    }

    private struct Split {
        var gain: Double
        var feature: Int
        var bin: Int
        var missingGoesLeft: Bool
        var left: SIMD2<Double>
    }

    /// A leaf that may still be split: its rows are `rowIndex[start..<end]`.
    private struct Leaf {
        var node: Int
        var start: Int
        var end: Int
        var depth: Int
        var sums: SIMD2<Double>
        var histogram: Int?
        var split: Split?
    }

    private let bins: FeatureBins
    private let parameters: GradientBoostingParameters
    private var rowIndex: [Int32]
    private var scratch: [Int32]
    private var histograms: [[SIMD2<Double>]] = []
    private var freeHistograms: [Int] = []

    /// The grown rows in leaf order after `grow`: leaf `l` holds `rowOrder[tree.leafRows[l].rows]`.
    var rowOrder: [Int32] { rowIndex }

    init(bins: FeatureBins, parameters: GradientBoostingParameters) {
        self.bins = bins
        self.parameters = parameters
        rowIndex = [Int32](repeating: 0, count: bins.rowCount)
        scratch = [Int32](repeating: 0, count: bins.rowCount)
    }

    /// Grows a tree on `rows` (ascending) using only `features` (ascending).
    /// - Parameter gradients: `(g, h)` per training row.
    func grow(rows: [Int32], features: [Int], gradients: UnsafeBufferPointer<SIMD2<Double>>) -> GrownTree {
        var tree = GrownTree()
        let root = tree.addNode()
        for (index, row) in rows.enumerated() { rowIndex[index] = row }
        var sums = SIMD2<Double>(0, 0)
        for row in rows { sums += gradients[Int(row)] }
        var leaves: [Leaf] = [Leaf(node: root, start: 0, end: rows.count, depth: 0, sums: sums)]
        if parameters.maxDepth > 0 {
            let histogram = takeHistogram()
            build(histogram, start: 0, end: rows.count, features: features, gradients: gradients)
            leaves[0].histogram = histogram
            leaves[0].split = bestSplit(histogram, sums: sums, features: features)
        }
        var leafCount = 1
        while leafCount < parameters.maxLeaves {
            // Best-first: the pending split with the highest gain; ties go to the earlier node.
            var chosen: Int?
            for index in leaves.indices {
                guard let split = leaves[index].split else { continue }
                if let best = chosen, let bestSplit = leaves[best].split, bestSplit.gain >= split.gain { continue }
                chosen = index
            }
            guard let index = chosen, let split = leaves[index].split else { break }
            let parent = leaves[index]
            leaves[index].split = nil
            let middle = partition(start: parent.start, end: parent.end, split: split)
            let leftNode = tree.addNode()
            let rightNode = tree.addNode()
            tree.feature[parent.node] = Int32(split.feature)
            tree.bin[parent.node] = UInt16(split.bin)
            tree.threshold[parent.node] = bins.thresholds[split.feature][split.bin]
            tree.missingGoesLeft[parent.node] = split.missingGoesLeft
            tree.left[parent.node] = Int32(leftNode)
            tree.right[parent.node] = Int32(rightNode)
            tree.gain[parent.node] = split.gain
            var left = Leaf(
                node: leftNode, start: parent.start, end: middle, depth: parent.depth + 1, sums: split.left)
            var right = Leaf(
                node: rightNode, start: middle, end: parent.end, depth: parent.depth + 1,
                sums: parent.sums - split.left)
            leafCount += 1
            if let parentHistogram = parent.histogram {
                if left.depth < parameters.maxDepth && leafCount < parameters.maxLeaves {
                    let small = takeHistogram()
                    let leftIsSmaller = middle - parent.start <= parent.end - middle
                    let (smallStart, smallEnd) = leftIsSmaller ? (left.start, left.end) : (right.start, right.end)
                    build(small, start: smallStart, end: smallEnd, features: features, gradients: gradients)
                    subtract(small, from: parentHistogram, features: features)
                    left.histogram = leftIsSmaller ? small : parentHistogram
                    right.histogram = leftIsSmaller ? parentHistogram : small
                    left.split = bestSplit(left.histogram!, sums: left.sums, features: features)
                    right.split = bestSplit(right.histogram!, sums: right.sums, features: features)
                } else {
                    freeHistograms.append(parentHistogram)
                }
            }
            leaves[index] = left
            leaves.append(right)
        }
        let lambda = parameters.l2Regularization
        for leaf in leaves {
            tree.leafRows.append((leaf.node, leaf.start..<leaf.end))
            let weight = leaf.sums.y + lambda
            tree.value[leaf.node] = weight > 0 ? -leaf.sums.x / weight * parameters.learningRate : 0
            if let histogram = leaf.histogram { freeHistograms.append(histogram) }
        }
        return tree
    }

    private func takeHistogram() -> Int {
        if let index = freeHistograms.popLast() { return index }
        histograms.append([SIMD2<Double>](repeating: .zero, count: bins.slotCount))
        return histograms.count - 1
    }

    /// Fills histogram `target` for `features` from `rowIndex[start..<end]`.
    private func build(
        _ target: Int, start: Int, end: Int, features: [Int], gradients: UnsafeBufferPointer<SIMD2<Double>>
    ) {
        let width = bins.featureCount
        let threads = end - start >= 2048 ? min(parameters.threadCount, features.count) : 1
        let offsets = features.map { bins.offsets[$0] }
        let slotCounts = features.map { bins.binCount($0) + 1 }
        histograms[target].withUnsafeMutableBufferPointer { histogram in
            let histogram = SendablePointer(histogram.baseAddress!)
            rowIndex.withUnsafeBufferPointer { rowIndex in
                bins.codes.withUnsafeBufferPointer { codes in
                    features.withUnsafeBufferPointer { features in
                        offsets.withUnsafeBufferPointer { offsets in
                            let rowIndex = SendableBuffer(rowIndex)
                            let codes = SendableBuffer(codes)
                            let features = SendableBuffer(features)
                            let offsets = SendableBuffer(offsets)
                            let gradients = SendableBuffer(gradients)
                            let work: @Sendable (Int) -> Void = { part in
                                let rowIndex = rowIndex.buffer
                                let codes = codes.buffer
                                let gradients = gradients.buffer
                                let count = features.buffer.count
                                let group = (count * part / threads)..<(count * (part + 1) / threads)
                                let groupFeatures = UnsafeBufferPointer(rebasing: features.buffer[group])
                                let groupOffsets = UnsafeBufferPointer(rebasing: offsets.buffer[group])
                                for index in group {
                                    (histogram.pointer + offsets.buffer[index]).update(
                                        repeating: .zero, count: slotCounts[index])
                                }
                                for index in start..<end {
                                    let row = Int(rowIndex[index])
                                    let pair = gradients[row]
                                    let code = codes.baseAddress! + row &* width
                                    for member in 0..<groupFeatures.count {
                                        histogram.pointer[groupOffsets[member] &+ Int(code[groupFeatures[member]])] +=
                                            pair
                                    }
                                }
                            }
                            if threads == 1 {
                                work(0)
                            } else {
                                DispatchQueue.concurrentPerform(iterations: threads, execute: work)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `histograms[parent] -= histograms[small]` over `features`.
    private func subtract(_ small: Int, from parent: Int, features: [Int]) {
        histograms[small].withUnsafeBufferPointer { small in
            histograms[parent].withUnsafeMutableBufferPointer { parent in
                for feature in features {
                    let base = bins.offsets[feature]
                    for slot in base...(base + bins.binCount(feature)) {
                        parent[slot] -= small[slot]
                    }
                }
            }
        }
    }

    /// The best split of a leaf whose rows have gradient sums `sums`, or nil when no split gains enough.
    private func bestSplit(_ histogram: Int, sums: SIMD2<Double>, features: [Int]) -> Split? {
        let lambda = parameters.l2Regularization
        // A floor on the child hessian keeps bins that are empty up to rounding (histogram subtraction leaves
        // residues of about 1e-15) from passing as children when minChildWeight is 0.
        let minWeight = max(parameters.minChildWeight, 1e-6)
        func score(_ s: SIMD2<Double>) -> Double { s.x * s.x / (s.y + lambda) }
        let parentScore = score(sums)
        var best: Split?
        var bestScore = parentScore + 2 * parameters.minSplitGain
        histograms[histogram].withUnsafeBufferPointer { histogram in
            for feature in features {
                let binCount = bins.binCount(feature)
                guard binCount >= 2 else { continue }
                let base = bins.offsets[feature]
                let missing = histogram[base + binCount]
                let hasMissing = missing.y > 0
                var left = SIMD2<Double>(0, 0)
                for bin in 0..<(binCount - 1) {
                    left += histogram[base + bin]
                    // Missing values to the right.
                    let right = sums - left
                    if left.y >= minWeight && right.y >= minWeight {
                        let candidate = score(left) + score(right)
                        if candidate > bestScore {
                            bestScore = candidate
                            best = Split(gain: 0, feature: feature, bin: bin, missingGoesLeft: false, left: left)
                        }
                    }
                    guard hasMissing else { continue }
                    // Missing values to the left.
                    let leftWithMissing = left + missing
                    let rightWithout = sums - leftWithMissing
                    if leftWithMissing.y >= minWeight && rightWithout.y >= minWeight {
                        let candidate = score(leftWithMissing) + score(rightWithout)
                        if candidate > bestScore {
                            bestScore = candidate
                            best = Split(
                                gain: 0, feature: feature, bin: bin, missingGoesLeft: true, left: leftWithMissing)
                        }
                    }
                }
            }
        }
        guard var split = best else { return nil }
        split.gain = 0.5 * (bestScore - parentScore)
        guard split.gain > 1e-12 else { return nil }
        if !histogramHasMissing(histogram, feature: split.feature) {
            // No training row was missing here: send future missing values to the heavier child.
            let right = sums - split.left
            split.missingGoesLeft = split.left.y >= right.y
        }
        return split
    }

    private func histogramHasMissing(_ histogram: Int, feature: Int) -> Bool {
        histograms[histogram][bins.offsets[feature] + bins.binCount(feature)].y > 0
    }

    /// Stable partition of `rowIndex[start..<end]` by `split`; returns the first index of the right part.
    private func partition(start: Int, end: Int, split: Split) -> Int {
        let bin = UInt16(split.bin)
        let missingLeft = split.missingGoesLeft
        let missingCode = bins.missingCode(split.feature)
        var leftEnd = start
        var rightCount = 0
        rowIndex.withUnsafeMutableBufferPointer { rowIndex in
            scratch.withUnsafeMutableBufferPointer { scratch in
                bins.columns.withUnsafeBufferPointer { columns in
                    let column = columns.baseAddress! + split.feature * bins.rowCount
                    for index in start..<end {
                        let row = rowIndex[index]
                        let code = column[Int(row)]
                        let goLeft = code <= bin || (missingLeft && code == missingCode)
                        // Branch-free: write to both sides, advance one (leftEnd <= index, so nothing unread is
                        // overwritten); a data-dependent branch here mispredicts about half the time.
                        rowIndex[leftEnd] = row
                        scratch[rightCount] = row
                        let left = goLeft ? 1 : 0
                        leftEnd += left
                        rightCount += 1 - left
                    }
                    for index in 0..<rightCount {
                        rowIndex[leftEnd + index] = scratch[index]
                    }
                }
            }
        }
        return leftEnd
    }
}
