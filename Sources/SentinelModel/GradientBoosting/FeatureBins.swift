import Dispatch

/// Training inputs quantised once, before boosting: every feature's values are cut into at most `maxBins` quantile
/// bins and each value replaced by its bin code (row-major, two bytes per input), so histograms index by code.
///
/// A value `x` of feature `f` gets the first bin `b` with `x <= thresholds[f][b]`, or the last bin when there is
/// none; a split "after bin b" is therefore exactly the real-valued test `x <= thresholds[f][b]`. NaN gets the code
/// `binCount(f)`, one past the value bins, so "code <= b" sends it right. Thresholds lie halfway between the largest
/// value of one bin and the smallest of the next. A feature's histogram occupies `binCount(f) + 1` slots from
/// `offsets[f]` (its value bins, then its missing bin).
struct FeatureBins: Sendable {
    let rowCount: Int
    let featureCount: Int
    /// `codes[row * featureCount + feature]`: row-major, for histograms (one cache line per row).
    let codes: [UInt16]
    /// `columns[feature * rowCount + row]`: the same codes column-major, for partitioning a node by one feature.
    let columns: [UInt16]
    /// Upper edges of every bin but the last, per feature (`binCount − 1` values).
    let thresholds: [[Double]]
    /// First histogram slot of each feature.
    let offsets: [Int]
    /// Histogram slots of all features together.
    let slotCount: Int

    /// Number of value bins of `feature` (1 when it is constant or always missing).
    func binCount(_ feature: Int) -> Int { thresholds[feature].count + 1 }

    /// The code of a missing value of `feature`.
    func missingCode(_ feature: Int) -> UInt16 { UInt16(thresholds[feature].count + 1) }

    /// Quantises column-major `features` (all columns of equal length) into at most `maxBins` bins each.
    init(features: [[Double]], maxBins: Int, threadCount: Int) {
        let featureCount = features.count
        let rowCount = features.first?.count ?? 0
        self.featureCount = featureCount
        self.rowCount = rowCount
        let thresholds = Self.parallelMap(count: featureCount, threads: threadCount) { feature in
            Self.edges(of: features[feature], maxBins: maxBins)
        }
        self.thresholds = thresholds
        var offsets: [Int] = []
        var slotCount = 0
        for edges in thresholds {
            offsets.append(slotCount)
            slotCount += edges.count + 2
        }
        self.offsets = offsets
        self.slotCount = slotCount
        var codes = [UInt16](repeating: 0, count: rowCount * featureCount)
        codes.withUnsafeMutableBufferPointer { codes in
            let target = SendablePointer(codes.baseAddress!)
            let chunks = max(1, min(threadCount, rowCount / 4096))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let rows = (rowCount * chunk / chunks)..<(rowCount * (chunk + 1) / chunks)
                for feature in 0..<featureCount {
                    let edges = thresholds[feature]
                    features[feature].withUnsafeBufferPointer { column in
                        for row in rows {
                            target.pointer[row * featureCount + feature] = Self.code(of: column[row], edges: edges)
                        }
                    }
                }
            }
        }
        self.codes = codes
        var columns = [UInt16](repeating: 0, count: rowCount * featureCount)
        for row in 0..<rowCount {
            for feature in 0..<featureCount {
                columns[feature * rowCount + row] = codes[row * featureCount + feature]
            }
        }
        self.columns = columns
    }

    /// The bin code of `x` given a feature's edges.
    static func code(of x: Double, edges: [Double]) -> UInt16 {
        if x.isNaN { return UInt16(edges.count + 1) }
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if x <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        return UInt16(low)
    }

    /// Bin edges of one column: every distinct value its own bin when there are at most `maxBins` of them;
    /// otherwise half the bins cut by count (quantiles) and half by value (equal widths between the smallest and the
    /// largest value), so that sparse tails, where rare but decisive thresholds often lie (a fraud rule on large
    /// amounts, say), keep a fine resolution that quantiles alone would spend on the crowded middle.
    static func edges(of column: [Double], maxBins: Int) -> [Double] {
        var values = column.filter { !$0.isNaN }
        guard !values.isEmpty else { return [] }
        values.sort()
        var distinct: [Double] = []
        var counts: [Int] = []
        for value in values {
            if let last = distinct.last, last == value {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(value)
                counts.append(1)
            }
        }
        // The edge between distinct values `index` and `index + 1`.
        func edge(after index: Int) -> Double {
            let a = distinct[index]
            let b = distinct[index + 1]
            guard a.isFinite, b.isFinite else { return a.isFinite ? a : b.nextDown }
            let middle = a + (b - a) / 2
            return middle < b ? middle : a
        }
        if distinct.count <= maxBins {
            return (0..<(distinct.count - 1)).map(edge(after:)).filter(\.isFinite)
        }
        // Cut positions, as indices of the last distinct value of a bin.
        var cuts = Set<Int>()
        let quantileBins = maxBins / 2
        let total = Double(values.count)
        var cumulative = 0
        var made = 0
        for index in 0..<(distinct.count - 1) {
            cumulative += counts[index]
            if Double(cumulative) >= Double(made + 1) * total / Double(quantileBins) {
                cuts.insert(index)
                made = Int(Double(cumulative) * Double(quantileBins) / total)
                if made >= quantileBins - 1 { break }
            }
        }
        let finite = distinct.filter(\.isFinite)
        if let low = finite.first, let high = finite.last, high > low {
            let widthBins = maxBins - 1 - cuts.count
            var index = 0
            for step in 1...max(1, widthBins) {
                let target = low + (high - low) * Double(step) / Double(widthBins + 1)
                while index + 1 < distinct.count && distinct[index + 1] <= target { index += 1 }
                if index + 1 < distinct.count { cuts.insert(index) }
            }
        }
        return cuts.sorted().prefix(maxBins - 1).map(edge(after:)).filter(\.isFinite)
    }

    /// `transform(i)` for `i` in `0..<count`, computed on up to `threads` threads, in index order.
    static func parallelMap<T: Sendable>(count: Int, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            // The elements are released before the memory: deallocating alone leaked every result's storage.
            results.deinitialize()
            results.deallocate()
        }
        let target = SendablePointer(results.baseAddress!)
        let chunks = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var index = chunk
            while index < count {
                target.pointer[index] = transform(index)
                index += chunks
            }
        }
        return results.map { $0! }
    }
}

/// A read-only buffer handed to `DispatchQueue.concurrentPerform` workers.
///
/// `@unchecked Sendable` because workers only read it while its owner keeps it alive and unchanged (for the
/// duration of the `withUnsafeBufferPointer` call that produced it).
struct SendableBuffer<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
}

/// A pointer handed to `DispatchQueue.concurrentPerform` workers.
///
/// `@unchecked Sendable` because every use writes disjoint elements from different workers, and the owner reads
/// them only after `concurrentPerform` has returned (which orders all the writes before the reads).
struct SendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
