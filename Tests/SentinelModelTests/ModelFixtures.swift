import SentinelData

@testable import SentinelModel

/// Small deterministic datasets for model tests.
enum ModelFixtures {
    /// `days` days of transactions (`perDay` each) over 3 inputs, with card ids, times and a noisy label.
    static func dataset(days: Int = 10, perDay: Int = 60, firstDay: String = "2018-07-01") -> Dataset {
        let start = Day(firstDay)!
        var a: [Double] = []
        var b: [Double] = []
        var c: [Double] = []
        var labels: [UInt8] = []
        var cards: [String] = []
        var times: [Int64] = []
        var dayColumn: [Day] = []
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            // SplitMix64: a fixed sequence, so the fixture never changes.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        for day in 0..<days {
            for i in 0..<perDay {
                let x = next() * 10
                let y = next() * 4 - 2
                let noise = next()
                a.append(x)
                b.append(i % 7 == 0 ? .nan : y)
                c.append(Double(i % 3))
                labels.append(x + 3 * (i % 7 == 0 ? 0 : y) + 4 * noise > 11 ? 1 : 0)
                cards.append(String((day * 13 + i * 7) % 97))
                let dayValue = start.adding(days: day)
                dayColumn.append(dayValue)
                times.append(Int64(dayValue.daysSinceEpoch) * 86_400 + Int64(i * 1_000))
            }
        }
        return Dataset(
            schema: .custom, featureNames: ["a", "b", "c"], features: [a, b, c], labels: labels, cardIDs: cards,
            eventTimes: times, days: dayColumn, rowCount: labels.count)
    }

    /// A logistic-regression artifact trained on ``dataset(days:perDay:firstDay:)``.
    static func logisticArtifact() throws -> ModelArtifact {
        try ModelTrainer.train(
            dataset: dataset(), configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())),
            producer: "sentinel test")
    }
}
