import SentinelMonitor
import Testing

@Suite("Label book")
struct LabelBookTests {
    @Test(
        "per-day counts kept incrementally equal a recount of the kept entries, across evictions",
        arguments: [1, 7, 100])
    func incrementalCounts(capacity: Int) {
        var book = LabelBook(capacity: capacity, pendingCapacity: 10)
        var kept: [(id: String, version: String, day: Int32)] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<500 {
            // Runs of a few events share version and day, as batches do.
            let run = index / 3
            let version = ["v1", "v2", "v3"][run % 3]
            let day = Int32(run % 5)
            let id = "t\(index)"
            book.recordScored(
                transactionId: id, cardId: "c\(index % 13)", eventTimeMicroseconds: Int64(day) * 86_400_000_000,
                score: Double.random(in: 0...1, using: &generator), modelVersion: version)
            kept.append((id, version, day))
            if kept.count > capacity { kept.removeFirst() }
            if index % 4 == 0 { _ = book.label(transactionId: "t\(index / 2)", fraud: index % 8 == 0) }
        }
        var expected: [LabelBook.LabelledRows.Key: UInt64] = [:]
        for entry in kept {
            expected[LabelBook.LabelledRows.Key(version: entry.version, day: entry.day), default: 0] += 1
        }
        let rows = book.labelledRows()
        #expect(rows.transactions == expected)
        #expect(rows.labelled.allSatisfy { entry in kept.contains { $0.id == entry.transactionId } })
        #expect(book.count == min(500, capacity))
    }
}
