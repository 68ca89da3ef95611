/// One producer's sequence numbers: which were received, which are duplicates, which are missing — in bounded
/// memory.
///
/// Every sequence number up to ``watermark`` was received or declared lost. Above it, the received numbers are held
/// as sorted, disjoint, non-adjacent ranges (a producer's batches are contiguous, so a handful of ranges describe
/// even a long out-of-order episode). At most ``rangeCapacity`` ranges are kept: one more, and the **oldest gap is
/// declared lost** (the watermark jumps over it and the first range). A lost number that arrives later is treated
/// as a duplicate (acknowledged, not counted) — the price of bounded memory, recorded in ``lostCount``. The most
/// recent ``lostMemory`` lost ranges are kept for display.
///
/// ```swift
/// var tracker = SequenceTracker()
/// tracker.insert(1)   // true: new
/// tracker.insert(1)   // false: duplicate
/// tracker.insert(3)   // true; 2 is now missing
/// ```
public struct SequenceTracker: Sendable, Codable, Equatable {
    /// Default cap on the ranges above the watermark (1,024 ranges = 16 KiB).
    public static let defaultRangeCapacity = 1_024
    /// Default number of lost ranges remembered for display.
    public static let defaultLostMemory = 64

    /// Every number in 1...watermark was received or declared lost.
    public private(set) var watermark: UInt64
    /// Received numbers above `watermark + 1`, sorted, disjoint and non-adjacent.
    public private(set) var ranges: [ClosedRange<UInt64>]
    /// The most recent ranges declared lost, oldest first (at most ``lostMemory``).
    public private(set) var lost: [ClosedRange<UInt64>]
    /// Numbers declared lost since the state began.
    public private(set) var lostCount: UInt64
    /// The highest number received.
    public private(set) var highest: UInt64
    /// Cap on ``ranges``.
    public let rangeCapacity: Int
    /// Cap on ``lost``.
    public let lostMemory: Int

    /// Creates an empty tracker.
    /// - Parameters:
    ///   - rangeCapacity: Cap on the ranges kept above the watermark (at least 1).
    ///   - lostMemory: How many lost ranges to remember for display (at least 0).
    public init(rangeCapacity: Int = defaultRangeCapacity, lostMemory: Int = defaultLostMemory) {
        precondition(rangeCapacity >= 1 && lostMemory >= 0, "bad SequenceTracker bounds")
        self.watermark = 0
        self.ranges = []
        self.lost = []
        self.lostCount = 0
        self.highest = 0
        self.rangeCapacity = rangeCapacity
        self.lostMemory = lostMemory
    }

    /// Whether `sequence` was already received (or declared lost).
    /// - Parameter sequence: A sequence number (≥ 1).
    public func contains(_ sequence: UInt64) -> Bool {
        if sequence <= watermark { return true }
        let index = firstRange(endingAtOrAfter: sequence)
        return index < ranges.count && ranges[index].contains(sequence)
    }

    /// Records `sequence` as received.
    ///
    /// O(1) for the next number in order; O(log r) search plus O(r) insertion otherwise (r ≤ ``rangeCapacity``).
    /// - Parameter sequence: A sequence number (≥ 1; 0 is rejected by the caller).
    /// - Returns: `true` when the number is new, `false` for a duplicate.
    @discardableResult
    public mutating func insert(_ sequence: UInt64) -> Bool {
        if sequence <= watermark { return false }
        highest = max(highest, sequence)
        if sequence == watermark + 1 {
            watermark = sequence
            if let first = ranges.first, first.lowerBound == watermark + 1 {
                watermark = first.upperBound
                ranges.removeFirst()
            }
            return true
        }
        let index = firstRange(endingAtOrAfter: sequence - 1)
        if index < ranges.count {
            let range = ranges[index]
            if range.contains(sequence) { return false }
            if range.upperBound == sequence - 1 {
                // Extends this range upwards; may join the next one.
                if index + 1 < ranges.count, ranges[index + 1].lowerBound == sequence + 1 {
                    ranges[index] = range.lowerBound...ranges[index + 1].upperBound
                    ranges.remove(at: index + 1)
                } else {
                    ranges[index] = range.lowerBound...sequence
                }
                return true
            }
            if range.lowerBound == sequence + 1 {
                ranges[index] = sequence...range.upperBound
                return true
            }
        }
        ranges.insert(sequence...sequence, at: index)
        if ranges.count > rangeCapacity { declareOldestGapLost() }
        return true
    }

    /// The index of the first range whose upper bound is ≥ `value` (binary search).
    private func firstRange(endingAtOrAfter value: UInt64) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func declareOldestGapLost() {
        let first = ranges.removeFirst()
        let gap = (watermark + 1)...(first.lowerBound - 1)
        lostCount += UInt64(gap.count)
        if lostMemory > 0 {
            if lost.count == lostMemory { lost.removeFirst() }
            lost.append(gap)
        }
        watermark = first.upperBound
    }

    /// Numbers below ``highest`` never received: those declared lost plus the open holes above the watermark.
    public var missing: UInt64 {
        let held = ranges.reduce(UInt64(0)) { $0 + UInt64($1.count) }
        return lostCount + (highest - watermark) - held
    }

    /// The missing ranges, oldest first: the remembered lost ranges, then the open holes above the watermark;
    /// at most `limit` (the most recent).
    /// - Parameter limit: The most ranges to return.
    public func gaps(limit: Int = defaultLostMemory) -> [ClosedRange<UInt64>] {
        var result = lost
        var next = watermark + 1
        for range in ranges {
            result.append(next...(range.lowerBound - 1))
            next = range.upperBound + 1
        }
        return Array(result.suffix(max(0, limit)))
    }
}
