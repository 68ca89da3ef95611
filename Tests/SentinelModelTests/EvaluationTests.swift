import SentinelData
import Testing

@testable import SentinelModel

@Suite("Ranking metrics")
struct RankingMetricsTests {
    @Test("average precision matches scikit-learn's documented example")
    func averagePrecisionExample() throws {
        // sklearn: average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.8333...
        let ap = try RankingMetrics.averagePrecision(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
        #expect(abs(ap - 5.0 / 6.0) < 1e-12)
    }

    @Test("ROC AUC matches scikit-learn's documented example")
    func rocExample() throws {
        let auc = try RankingMetrics.rocAUC(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
        #expect(abs(auc - 0.75) < 1e-12)
    }

    @Test(
        "tied scores form one threshold, whatever the row order",
        arguments: [[0, 1, 2, 3], [2, 3, 1, 0], [3, 1, 0, 2]])
    func ties(permutation: [Int]) throws {
        // Group 0.5 (1 fraud of 3): R = 1/2, P = 1/3. Then 0.1: R = 1, P = 1/2. AP = 1/6 + 1/4.
        let scores = [0.5, 0.5, 0.5, 0.1]
        let labels: [UInt8] = [1, 0, 0, 1]
        let permutedScores = permutation.map { scores[$0] }
        let permutedLabels = permutation.map { labels[$0] }
        let ap = try RankingMetrics.averagePrecision(scores: permutedScores, labels: permutedLabels)
        #expect(abs(ap - (1.0 / 6.0 + 1.0 / 4.0)) < 1e-12)
        // Pairs (fraud, genuine): 0.5 vs 0.5 twice → 1/2 each; 0.1 vs 0.5 twice → 0. AUC = 1 / 4.
        let auc = try RankingMetrics.rocAUC(scores: permutedScores, labels: permutedLabels)
        #expect(abs(auc - 0.25) < 1e-12)
    }

    @Test("a perfect ranking scores 1, a reversed one AUC 0")
    func extremes() throws {
        #expect(try RankingMetrics.averagePrecision(scores: [0.9, 0.8, 0.1], labels: [1, 1, 0]) == 1)
        #expect(try RankingMetrics.rocAUC(scores: [0.9, 0.8, 0.1], labels: [1, 1, 0]) == 1)
        #expect(try RankingMetrics.rocAUC(scores: [0.1, 0.2, 0.9], labels: [1, 1, 0]) == 0)
    }

    @Test("bad input is rejected with a code")
    func badInput() {
        #expect(throws: ModelError.self) { try RankingMetrics.averagePrecision(scores: [0.1], labels: [1, 0]) }
        #expect(throws: ModelError.self) { try RankingMetrics.averagePrecision(scores: [], labels: []) }
        #expect(throws: ModelError.self) { try RankingMetrics.rocAUC(scores: [.nan, 0.2], labels: [1, 0]) }
        #expect(throws: ModelError.self) { try RankingMetrics.rocAUC(scores: [0.1, 0.2], labels: [2, 0]) }
        do {
            _ = try RankingMetrics.averagePrecision(scores: [0.1, 0.2], labels: [0, 0])
            Issue.record("expected an error")
        } catch let error as ModelError {
            #expect(error.code == .noPositives)
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: ModelError.self) { try RankingMetrics.rocAUC(scores: [0.1, 0.2], labels: [1, 1]) }
    }
}

@Suite("Confusion matrix")
struct ConfusionMatrixTests {
    @Test("counts at a threshold, a score equal to it being flagged")
    func counts() throws {
        let matrix = try ConfusionMatrix(
            scores: [0.9, 0.5, 0.5, 0.2, 0.1], labels: [1, 0, 1, 1, 0], threshold: 0.5)
        #expect(matrix == ConfusionMatrix(truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
        #expect(abs(matrix.precision - 2.0 / 3.0) < 1e-12)
        #expect(abs(matrix.recall - 2.0 / 3.0) < 1e-12)
        #expect(abs(matrix.f1 - 2.0 / 3.0) < 1e-12)
        #expect(abs(matrix.flagRate - 3.0 / 5.0) < 1e-12)
    }

    @Test("nothing flagged gives zero precision and F1")
    func nothingFlagged() throws {
        let matrix = try ConfusionMatrix(scores: [0.1, 0.2], labels: [1, 0], threshold: 0.9)
        #expect(matrix.precision == 0)
        #expect(matrix.recall == 0)
        #expect(matrix.f1 == 0)
    }
}

@Suite("Card precision at k")
struct CardPrecisionTests {
    static let day1 = Day("2018-08-08")!
    static let day2 = Day("2018-08-09")!

    @Test("ranks cards by their highest score, ties by numeric card id, and drops detected cards later")
    func numericTies() throws {
        let d1 = Self.day1
        let d2 = Self.day2
        // Day 1: card 2 (max 0.9, fraud), cards 9 and 10 tie at 0.5; numerically 9 < 10, so 9 (genuine) makes the
        // top 2 and 10 (fraud) does not: 1 hit of 2. Day 2: card 2 was detected and is dropped; 10 (fraud) and 5
        // (genuine) remain: 1 hit of 2.
        let result = try CardPrecision.compute(
            scores: [0.9, 0.1, 0.5, 0.5, 0.99, 0.3, 0.2],
            labels: [1, 0, 1, 0, 1, 1, 0],
            cards: ["2", "2", "10", "9", "2", "10", "5"],
            days: [d1, d1, d1, d1, d2, d2, d2],
            k: 2
        )
        #expect(result.cardOrder == .numeric)
        #expect(result.days.map(\.precision) == [0.5, 0.5])
        #expect(result.days.map(\.cards) == [3, 2])
        #expect(result.days.map(\.compromisedCards) == [2, 1])
        #expect(result.mean == 0.5)
    }

    @Test("ids that are not all integers compare as strings")
    func stringTies() throws {
        let d1 = Self.day1
        // "c10" < "c9" as strings, so the fraud on c10 wins the single slot.
        let result = try CardPrecision.compute(
            scores: [0.5, 0.5], labels: [1, 0], cards: ["c10", "c9"], days: [d1, d1], k: 1)
        #expect(result.cardOrder == .lexicographic)
        #expect(result.mean == 1)
        #expect(result.cardOrder.tieRule.contains("strings"))
    }

    @Test("a day with fewer than k cards still divides by k")
    func fewCards() throws {
        let result = try CardPrecision.compute(
            scores: [0.5], labels: [1], cards: ["1"], days: [Self.day1], k: 100)
        #expect(result.mean == 0.01)
    }

    @Test("k below 1 and mismatched columns are rejected")
    func badInput() {
        #expect(throws: ModelError.self) {
            try CardPrecision.compute(scores: [0.5], labels: [1], cards: ["1"], days: [Self.day1], k: 0)
        }
        #expect(throws: ModelError.self) {
            try CardPrecision.compute(scores: [0.5], labels: [1], cards: [], days: [Self.day1], k: 1)
        }
    }
}

@Suite("Known compromised cards")
struct TestSelectionTests {
    @Test("a test row is dropped when its card had a fraud from the training start through t − delay − 1")
    func knownFrauds() throws {
        let start = Day("2018-07-25")!
        let testFrom = start.adding(days: 14)
        let settings = try EvaluationSettings(
            trainingStart: start, testFrom: testFrom, testTo: testFrom.adding(days: 1), delayDays: 7)
        // Rows: X fraud on the training start; Y fraud on start+7 (= t − 8 for t = start+15, not for start+14);
        // Z fraud the day before training started (not known); W fraud on the first test day (not known yet).
        let rows: [(card: String, day: Day, label: UInt8)] = [
            ("X", start, 1), ("Y", start.adding(days: 7), 1), ("Z", start.adding(days: -1), 1),
            ("X", testFrom, 0), ("Y", testFrom, 0), ("Z", testFrom, 0), ("W", testFrom, 1),
            ("X", testFrom.adding(days: 1), 0), ("Y", testFrom.adding(days: 1), 1), ("W", testFrom.adding(days: 1), 0),
        ]
        let dataset = Dataset(
            schema: .custom, featureNames: ["a"], features: [rows.map { _ in 0.0 }],
            labels: rows.map(\.label), cardIDs: rows.map(\.card), days: rows.map(\.day), rowCount: rows.count)
        let selection = try TestSelection(dataset: dataset, settings: settings)
        #expect(selection.rows == [4, 5, 6, 9])
        #expect(selection.testWindowRows == 7)
        #expect(selection.droppedRows == 3)
    }

    @Test("data without card ids or without test rows is rejected")
    func badData() throws {
        let day = Day("2018-08-08")!
        let settings = try EvaluationSettings(trainingStart: day, testFrom: day, testTo: day)
        let noCards = Dataset(
            schema: .custom, featureNames: ["a"], features: [[0]], labels: [1], days: [day], rowCount: 1)
        #expect(throws: ModelError.self) { try TestSelection(dataset: noCards, settings: settings) }
        let elsewhere = Dataset(
            schema: .custom, featureNames: ["a"], features: [[0]], labels: [1], cardIDs: ["1"],
            days: [day.adding(days: 3)], rowCount: 1)
        #expect(throws: ModelError.self) { try TestSelection(dataset: elsewhere, settings: settings) }
        #expect(throws: ModelError.self) {
            try EvaluationSettings(trainingStart: day, testFrom: day, testTo: day.adding(days: -1))
        }
    }
}
