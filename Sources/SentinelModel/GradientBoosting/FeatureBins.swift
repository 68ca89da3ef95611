import Dispatch

/// Training inputs quantised once, before boosting: every feature's values are cut into at most `maxBins` quantile
/// bins and each value replaced by its bin code (row-major, one byte per input), so histograms index by code.
///
/// A value `x` of feature `f` gets the first bin `b` with `x <= thresholds[f][b]`, or the last bin when there is
/// none; a split "after bin b" is therefore exactly the real-valued test `x <= thresholds[f][b]`. NaN gets the code
/// `missingCode`. Thresholds lie halfway between the largest value of one bin and the smallest of the next.
struct FeatureBins: Sendable {
    /// The code of a missing input (NaN).
    static let missingCode: UInt8 = 255
    /// Histogram slots per feature: 255 value bins plus the missing bin.
    static let slotsPerFeature = 256

    let rowCount: Int
    let featureCount: Int
    /// `codes[row * featureCount + feature]`.
    let codes: [UInt8]
    /// Upper edges of every bin but the last, per feature (`binCount − 1` values).
    let thresholds: [[Double]]

    /// Number of value bins of `feature` (1 when it is constant or always missing).
    func binCount(_ feature: Int) -> Int { thresholds[feature].count + 1 }

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
        var codes = [UInt8](repeating: 0, count: rowCount * featureCount)
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
    }

    /// The bin code of `x` given a feature's edges.
    static func code(of x: Double, edges: [Double]) -> UInt8 {
        if x.isNaN { return missingCode }
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if x <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        return UInt8(low)
    }

    /// Bin edges of one column: every distinct value its own bin when there are at most `maxBins` of them,
    /// otherwise cuts that put about the same number of values in each bin (a heavy value keeps a bin to itself).
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
        func midpoint(_ a: Double, _ b: Double) -> Double {
            guard a.isFinite, b.isFinite else { return a.isFinite ? a : b.nextDown }
            let middle = a + (b - a) / 2
            return middle < b ? middle : a
        }
        var edges: [Double] = []
        if distinct.count <= maxBins {
            for index in 0..<(distinct.count - 1) {
                edges.append(midpoint(distinct[index], distinct[index + 1]))
            }
            return edges.filter(\.isFinite)
        }
        let total = Double(values.count)
        var cumulative = 0
        for index in 0..<(distinct.count - 1) {
            cumulative += counts[index]
            let remainingBins = maxBins - edges.count - 1
            guard remainingBins > 0 else { break }
            // Cut once this bin holds its share of the values still to be placed, so heavy values do not
            // starve the bins after them.
            let placed = Double(cumulative)
            let target = Double(edges.count + 1) * total / Double(maxBins)
            if placed >= target || distinct.count - 1 - index <= remainingBins {
                edges.append(midpoint(distinct[index], distinct[index + 1]))
            }
        }
        return edges.filter(\.isFinite)
    }

    /// `transform(i)` for `i` in `0..<count`, computed on up to `threads` threads, in index order.
    static func parallelMap<T: Sendable>(count: Int, threads: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
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
