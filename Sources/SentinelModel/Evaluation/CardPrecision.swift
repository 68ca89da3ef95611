public import SentinelData

/// Card precision among the top k (CP@k), computed day by day as `Docs/Evaluation.md` prescribes.
///
/// For each test day in order: drop the transactions of cards detected on earlier test days (in an earlier
/// day's top k and compromised); group the day's transactions by card, a card's risk being its highest score
/// that day and the card compromised when it had at least one fraud that day; rank cards by risk (ties by
/// ascending card id, see ``CardOrder``) and take the top k. CP@k(day) = compromised cards among them / k
/// (a day with fewer than k cards still divides by k, as the Handbook does). CP@k is the mean over the days
/// that have transactions.
///
/// ```swift
/// let cp = try CardPrecision.compute(scores: s, labels: y, cards: c, days: d, k: 100)
/// print(cp.mean, cp.days.map(\.precision))
/// ```
public struct CardPrecision: Sendable, Codable, Equatable {
    /// The result for one test day.
    public struct DayResult: Sendable, Codable, Equatable {
        /// The day.
        public var day: Day
        /// Cards with transactions that day, after removing cards detected earlier.
        public var cards: Int
        /// Of those, cards with at least one fraud that day.
        public var compromisedCards: Int
        /// Compromised cards among the day's top k.
        public var detectedCards: Int
        /// `detectedCards / k`.
        public var precision: Double

        /// Creates a day result.
        public init(day: Day, cards: Int, compromisedCards: Int, detectedCards: Int, precision: Double) {
            self.day = day
            self.cards = cards
            self.compromisedCards = compromisedCards
            self.detectedCards = detectedCards
            self.precision = precision
        }
    }

    /// The k in CP@k.
    public var k: Int
    /// One result per day with transactions, in day order.
    public var days: [DayResult]
    /// The mean of the daily precisions.
    public var mean: Double
    /// How equal risks were ordered.
    public var cardOrder: CardOrder

    /// Creates a result from stored parts.
    public init(k: Int, days: [DayResult], mean: Double, cardOrder: CardOrder) {
        self.k = k
        self.days = days
        self.mean = mean
        self.cardOrder = cardOrder
    }

    /// Computes CP@k.
    /// - Parameters:
    ///   - scores: One finite score per transaction.
    ///   - labels: One label (0/1) per transaction.
    ///   - cards: The card id of each transaction.
    ///   - days: The day of each transaction.
    ///   - k: How many cards are investigated per day (at least 1).
    /// - Returns: Daily and mean card precision.
    /// - Throws: ``ModelError`` `.invalidArgument` for k < 1; `.invalidData` for mismatched sizes, no rows,
    ///   a non-finite score or a bad label.
    public static func compute(
        scores: [Double],
        labels: [UInt8],
        cards: [String],
        days: [Day],
        k: Int
    ) throws -> CardPrecision {
        guard k >= 1 else {
            throw ModelError(.invalidArgument, "k must be at least 1, got \(k)")
        }
        _ = try RankingMetrics.validate(scores: scores, labels: labels)
        guard cards.count == scores.count, days.count == scores.count else {
            throw ModelError(
                .invalidData,
                "CP@k needs a card id and a day for every row: \(scores.count) rows, \(cards.count) card ids, "
                    + "\(days.count) days"
            )
        }
        let order = CardOrder.choose(for: Set(cards))
        var rowsByDay: [Day: [Int]] = [:]
        for row in days.indices {
            rowsByDay[days[row], default: []].append(row)
        }
        var detected = Set<String>()
        var results: [DayResult] = []
        for day in rowsByDay.keys.sorted() {
            // Per card: highest score and whether any transaction was a fraud.
            var risk: [String: (score: Double, compromised: Bool)] = [:]
            for row in rowsByDay[day] ?? [] where !detected.contains(cards[row]) {
                let previous = risk[cards[row]]
                risk[cards[row]] = (
                    max(previous?.score ?? -.infinity, scores[row]),
                    (previous?.compromised ?? false) || labels[row] == 1
                )
            }
            let ranked = risk.sorted { lhs, rhs in
                lhs.value.score != rhs.value.score
                    ? lhs.value.score > rhs.value.score : order.areInIncreasingOrder(lhs.key, rhs.key)
            }
            var hits = 0
            for (card, value) in ranked.prefix(k) where value.compromised {
                hits += 1
                detected.insert(card)
            }
            results.append(
                DayResult(
                    day: day,
                    cards: risk.count,
                    compromisedCards: risk.values.count(where: \.compromised),
                    detectedCards: hits,
                    precision: Double(hits) / Double(k)
                )
            )
        }
        let mean = results.map(\.precision).reduce(0, +) / Double(results.count)
        return CardPrecision(k: k, days: results, mean: mean, cardOrder: order)
    }
}
