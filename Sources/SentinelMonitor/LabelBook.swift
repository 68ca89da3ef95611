import SentinelData
public import SentinelModel

/// Scored transactions kept for delayed labels, and the labels that arrived — bounded on both sides.
///
/// Every accepted event leaves an entry (transaction id, card id, day, score, model version) in a ring of
/// ``capacity`` entries (default 200,000 ≈ 40 MiB at short ids): the oldest is forgotten first, and a label for a
/// forgotten transaction counts as unknown. A label whose transaction has not been seen yet waits in a FIFO of at
/// most ``pendingCapacity`` (default 100,000) and is applied when the event arrives. A transaction id scored twice
/// keeps its latest entry. Per day and model version, ``dailyMetrics()`` computes the live model's AP and CP@100
/// over the labelled transactions with SentinelModel's evaluator (``RankingMetrics``, ``CardPrecision``, as in
/// Docs/Evaluation.md; days in order, cards detected on an earlier day left out) — O(n log n) per call.
///
/// ```swift
/// var book = LabelBook()
/// book.recordScored(transactionId: "t1", cardId: "c1", eventTimeMicroseconds: 0, score: 0.9, modelVersion: "v1")
/// _ = book.label(transactionId: "t1", fraud: true)
/// ```
public struct LabelBook: Sendable, Codable {
    /// Default number of scored transactions kept.
    public static let defaultCapacity = 200_000
    /// Default number of labels kept waiting for their transaction.
    public static let defaultPendingCapacity = 100_000

    /// One scored transaction.
    public struct Entry: Sendable, Codable, Equatable {
        /// The transaction's id.
        public var transactionId: String
        /// The card's id.
        public var cardId: String
        /// Days since the epoch of the event time (UTC).
        public var day: Int32
        /// The fraud probability.
        public var score: Double
        /// The model version that scored it.
        public var modelVersion: String
        /// 0 unlabelled, 1 genuine, 2 fraud.
        public var label: UInt8
    }

    /// What a label did.
    public enum LabelOutcome: Sendable, Equatable {
        /// Matched a kept transaction for the first time.
        case accepted
        /// Matched a kept transaction that already had a label (replaced).
        case relabelled
        /// No such transaction kept; the label waits for it (or was dropped when the wait list was full).
        case unknown
    }

    /// The most scored transactions kept.
    public let capacity: Int
    /// The most labels kept waiting.
    public let pendingCapacity: Int
    private var entries: [Entry]
    private var next: Int
    /// Transaction id → slot in `entries` (the latest entry of each id); stored as `[String: Int]` in snapshots.
    private var index: LabelIndex
    private var pending: [String: Bool]
    private var pendingOrder: [String]
    private var pendingHead: Int
    /// Scored transactions per version and day, kept up to date so a snapshot need not count the whole ring; the
    /// runs batch the updates (a batch's events share version and day, so most events cost no hashing).
    private var dayCounts: [LabelledRows.Key: Int64]
    private var addedRun: Run?
    private var removedRun: Run?
    private var labelledCount: Int

    /// Consecutive additions to (or removals from) one version and day, not yet folded into `dayCounts`.
    private struct Run: Sendable, Codable {
        var key: LabelledRows.Key
        var count: Int64
    }

    /// Creates an empty book.
    /// - Parameters:
    ///   - capacity: The most scored transactions kept (at least 1).
    ///   - pendingCapacity: The most labels kept waiting for their transaction (at least 0).
    public init(capacity: Int = defaultCapacity, pendingCapacity: Int = defaultPendingCapacity) {
        precondition(capacity >= 1 && pendingCapacity >= 0, "bad LabelBook bounds")
        self.capacity = capacity
        self.pendingCapacity = pendingCapacity
        self.entries = []
        self.next = 0
        self.index = LabelIndex()
        self.pending = [:]
        self.pendingOrder = []
        self.pendingHead = 0
        self.dayCounts = [:]
        self.addedRun = nil
        self.removedRun = nil
        self.labelledCount = 0
    }

    private enum CodingKeys: String, CodingKey {
        case capacity, pendingCapacity, entries, next, index, pending, pendingOrder, pendingHead, dayCounts, addedRun
        case removedRun, labelledCount
    }

    /// Decodes a book (the snapshot layout of the `[String: Int]` index it had before ``LabelIndex``).
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when a field is missing or the index names a slot outside the entries.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        capacity = try container.decode(Int.self, forKey: .capacity)
        pendingCapacity = try container.decode(Int.self, forKey: .pendingCapacity)
        entries = try container.decode([Entry].self, forKey: .entries)
        next = try container.decode(Int.self, forKey: .next)
        pending = try container.decode([String: Bool].self, forKey: .pending)
        pendingOrder = try container.decode([String].self, forKey: .pendingOrder)
        pendingHead = try container.decode(Int.self, forKey: .pendingHead)
        dayCounts = try container.decode([LabelledRows.Key: Int64].self, forKey: .dayCounts)
        addedRun = try container.decodeIfPresent(Run.self, forKey: .addedRun)
        removedRun = try container.decodeIfPresent(Run.self, forKey: .removedRun)
        labelledCount = try container.decode(Int.self, forKey: .labelledCount)
        index = LabelIndex()
        let entries = self.entries
        for (id, slot) in try container.decode([String: Int].self, forKey: .index) {
            guard entries.indices.contains(slot), entries[slot].transactionId == id else {
                throw DecodingError.dataCorruptedError(
                    forKey: .index, in: container, debugDescription: "label index entry '\(id)' → \(slot) is not kept")
            }
            _ = index.insert(LabelIndex.hash(id), slot: slot) { entries[$0].transactionId == id }
        }
    }

    /// Encodes the book; the index as `[String: Int]`, as before ``LabelIndex``.
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(capacity, forKey: .capacity)
        try container.encode(pendingCapacity, forKey: .pendingCapacity)
        try container.encode(entries, forKey: .entries)
        try container.encode(next, forKey: .next)
        var map: [String: Int] = [:]
        map.reserveCapacity(index.count)
        for slot in index.slots { map[entries[slot].transactionId] = slot }
        try container.encode(map, forKey: .index)
        try container.encode(pending, forKey: .pending)
        try container.encode(pendingOrder, forKey: .pendingOrder)
        try container.encode(pendingHead, forKey: .pendingHead)
        try container.encode(dayCounts, forKey: .dayCounts)
        try container.encodeIfPresent(addedRun, forKey: .addedRun)
        try container.encodeIfPresent(removedRun, forKey: .removedRun)
        try container.encode(labelledCount, forKey: .labelledCount)
    }

    /// Scored transactions kept.
    public var count: Int { entries.count }
    /// Labels waiting for their transaction.
    public var pendingCount: Int { pending.count }

    /// Keeps a scored transaction (forgetting the oldest when full) and applies a waiting label for it.
    /// - Parameters:
    ///   - transactionId: The transaction's id (an empty id is not kept).
    ///   - cardId: The card's id.
    ///   - eventTimeMicroseconds: When the transaction happened.
    ///   - score: The fraud probability.
    ///   - modelVersion: The version that scored it.
    public mutating func recordScored(
        transactionId: String, cardId: String, eventTimeMicroseconds: Int64, score: Double, modelVersion: String
    ) {
        guard !transactionId.isEmpty else { return }
        let day = Int32(clamping: Self.floorDivide(eventTimeMicroseconds, 86_400_000_000))
        var entry = Entry(
            transactionId: transactionId, cardId: cardId, day: day, score: score, modelVersion: modelVersion,
            label: 0)
        if !pending.isEmpty, let waiting = pending.removeValue(forKey: transactionId) {
            entry.label = waiting ? 2 : 1
            labelledCount += 1
        }
        Self.count(&addedRun, LabelledRows.Key(version: modelVersion, day: day), into: &dayCounts, sign: 1)
        let hash = LabelIndex.hash(transactionId)
        if entries.count < capacity {
            entries.append(entry)
            let slot = entries.count - 1
            entries.withUnsafeBufferPointer { entries in
                _ = index.insert(hash, slot: slot) { entries[$0].transactionId == transactionId }
            }
        } else {
            let evicted = entries[next]
            // Removed only when this slot still holds the id's latest entry (slots are unique: no string compare).
            index.remove(LabelIndex.hash(evicted.transactionId), slot: next)
            if evicted.label != 0 { labelledCount -= 1 }
            Self.count(
                &removedRun, LabelledRows.Key(version: evicted.modelVersion, day: evicted.day), into: &dayCounts,
                sign: -1)
            entries[next] = entry
            entries.withUnsafeBufferPointer { entries in
                _ = index.insert(hash, slot: next) { entries[$0].transactionId == transactionId }
            }
            next = (next + 1) % capacity
        }
    }

    /// Records a label for a transaction.
    /// - Parameters:
    ///   - transactionId: The transaction's id.
    ///   - fraud: Whether it was fraud.
    /// - Returns: Whether it matched a kept transaction, replaced a label, or waits.
    public mutating func label(transactionId: String, fraud: Bool) -> LabelOutcome {
        let found = entries.withUnsafeBufferPointer { entries in
            index.find(LabelIndex.hash(transactionId)) { entries[$0].transactionId == transactionId }
        }
        if let slot = found {
            let previous = entries[slot].label
            entries[slot].label = fraud ? 2 : 1
            if previous == 0 { labelledCount += 1 }
            return previous == 0 ? .accepted : .relabelled
        }
        if pendingCapacity > 0 {
            if pending.updateValue(fraud, forKey: transactionId) == nil {
                pendingOrder.append(transactionId)
                if pending.count > pendingCapacity { evictOldestPending() }
                if pendingHead > 4_096, pendingHead * 2 > pendingOrder.count {
                    pendingOrder.removeFirst(pendingHead)
                    pendingHead = 0
                }
            }
        }
        return .unknown
    }

    private mutating func evictOldestPending() {
        // Skip order entries whose label was already applied to an event.
        while pendingHead < pendingOrder.count {
            let id = pendingOrder[pendingHead]
            pendingHead += 1
            if pending.removeValue(forKey: id) != nil { return }
        }
    }

    /// Labelled transactions and frauds of a model version among the kept entries.
    /// - Parameter modelVersion: The version.
    public func labelCounts(modelVersion: String) -> (labelled: UInt64, frauds: UInt64) {
        var labelled: UInt64 = 0
        var frauds: UInt64 = 0
        for entry in entries where entry.modelVersion == modelVersion && entry.label != 0 {
            labelled += 1
            if entry.label == 2 { frauds += 1 }
        }
        return (labelled, frauds)
    }

    /// Per model version and day (oldest first), the live model's AP and CP@100 over the labelled transactions.
    ///
    /// AP is NaN for a day without a labelled fraud (undefined); CP@100 follows Docs/Evaluation.md over the version's
    /// labelled days in order.
    public func dailyMetrics() -> [DailyMetrics] {
        Self.dailyMetrics(labelledRows())
    }

    /// The inputs of ``dailyMetrics()``: O(n) to gather (under the service's lock), the O(n log n) part left to
    /// ``dailyMetrics(_:)`` (outside it).
    public func labelledRows() -> LabelledRows {
        var counts = dayCounts
        for run in [addedRun, removedRun].compactMap(\.self) { counts[run.key, default: 0] += run.count }
        var rows = LabelledRows()
        for (key, count) in counts where count > 0 { rows.transactions[key] = UInt64(count) }
        if labelledCount > 0 {
            rows.labelled.reserveCapacity(labelledCount)
            for entry in entries where entry.label != 0 { rows.labelled.append(entry) }
        }
        return rows
    }

    /// Adds one to a run, folding the run into `counts` when the key changes.
    private static func count(
        _ run: inout Run?, _ key: LabelledRows.Key, into counts: inout [LabelledRows.Key: Int64], sign: Int64
    ) {
        if run?.key == key {
            run?.count += sign
            return
        }
        if let previous = run {
            counts[previous.key, default: 0] += previous.count
            if counts[previous.key] == 0 { counts[previous.key] = nil }
        }
        run = Run(key: key, count: sign)
    }

    /// Computes the daily metrics from gathered rows.
    /// - Parameter rows: From ``labelledRows()``.
    public static func dailyMetrics(_ rows: LabelledRows) -> [DailyMetrics] {
        var byModel: [String: [Entry]] = [:]
        for entry in rows.labelled { byModel[entry.modelVersion, default: []].append(entry) }
        var result: [DailyMetrics] = []
        let keys = rows.transactions.keys.sorted { ($0.version, $0.day) < ($1.version, $1.day) }
        var cardPrecision: [LabelledRows.Key: Double] = [:]
        for (version, labelled) in byModel {
            let scores = labelled.map(\.score)
            let labels = labelled.map { UInt8($0.label == 2 ? 1 : 0) }
            let cards = labelled.map(\.cardId)
            let days = labelled.map { Day(daysSinceEpoch: $0.day) }
            if let cp = try? CardPrecision.compute(scores: scores, labels: labels, cards: cards, days: days, k: 100) {
                for day in cp.days {
                    cardPrecision[LabelledRows.Key(version: version, day: day.day.daysSinceEpoch)] = day.precision
                }
            }
        }
        var byDay: [LabelledRows.Key: [Entry]] = [:]
        for entry in rows.labelled {
            byDay[LabelledRows.Key(version: entry.modelVersion, day: entry.day), default: []].append(entry)
        }
        for key in keys {
            let day = byDay[key] ?? []
            let scores = day.map(\.score)
            let labels = day.map { UInt8($0.label == 2 ? 1 : 0) }
            let frauds = labels.reduce(0) { $0 + Int($1) }
            let averagePrecision =
                frauds == 0
                ? Double.nan : ((try? RankingMetrics.averagePrecision(scores: scores, labels: labels)) ?? .nan)
            let transactions = rows.transactions[key] ?? 0
            result.append(
                DailyMetrics(
                    day: Day(daysSinceEpoch: key.day).description, modelVersion: key.version,
                    transactions: transactions, labelled: UInt64(day.count), frauds: UInt64(frauds),
                    averagePrecision: averagePrecision, cardPrecisionAt100: cardPrecision[key] ?? 0,
                    performance: performance(of: day, version: key.version, scored: transactions, rows: rows)))
        }
        return result
    }

    /// Per model version, precision, recall and fraud rate at its threshold over every kept labelled transaction
    /// (all kept days together), with intervals while labels are partial. O(n).
    /// - Parameter rows: From ``labelledRows()``, with thresholds and confidence set.
    /// - Returns: One entry per version with a kept scored transaction.
    public static func versionPerformance(_ rows: LabelledRows) -> [String: ThresholdPerformance] {
        var scored: [String: UInt64] = [:]
        for (key, count) in rows.transactions { scored[key.version, default: 0] += count }
        var result: [String: ThresholdPerformance] = [:]
        for (version, count) in scored {
            result[version] = ThresholdPerformance(
                threshold: rows.thresholds[version] ?? .infinity, scored: Int(clamping: count),
                confidence: rows.confidence)
        }
        for entry in rows.labelled {
            result[entry.modelVersion]?.add(score: entry.score, fraud: entry.label == 2)
        }
        return result
    }

    private static func performance(
        of entries: [Entry], version: String, scored: UInt64, rows: LabelledRows
    ) -> ThresholdPerformance {
        var performance = ThresholdPerformance(
            threshold: rows.thresholds[version] ?? .infinity, scored: Int(clamping: scored),
            confidence: rows.confidence)
        for entry in entries { performance.add(score: entry.score, fraud: entry.label == 2) }
        return performance
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
