import SentinelMonitor
import Testing

@Suite("Sequence tracker")
struct SequenceTrackerTests {
    @Test("in order: each number new once, no gaps, constant memory")
    func inOrder() {
        var tracker = SequenceTracker()
        for sequence in UInt64(1)...10_000 { expectInsert(tracker.insert(sequence), true) }
        expectInsert(tracker.insert(1), false)
        expectInsert(tracker.insert(10_000), false)
        #expect(tracker.watermark == 10_000)
        #expect(tracker.ranges.isEmpty)
        #expect(tracker.missing == 0)
        #expect(tracker.gaps().isEmpty)
    }

    @Test("out of order: ranges merge, holes are gaps until filled, then nothing is missing")
    func outOfOrder() {
        var tracker = SequenceTracker()
        expectInsert(tracker.insert(5), true)
        expectInsert(tracker.insert(3), true)
        expectInsert(tracker.insert(4), true)
        #expect(tracker.ranges == [3...5])
        #expect(tracker.missing == 2)
        #expect(tracker.gaps() == [1...2])
        expectInsert(tracker.insert(4), false)
        expectInsert(tracker.insert(1), true)
        #expect(tracker.gaps() == [2...2])
        expectInsert(tracker.insert(2), true)
        #expect(tracker.watermark == 5)
        #expect(tracker.ranges.isEmpty)
        #expect(tracker.missing == 0)
    }

    @Test("a gap is counted once however often it is reported", arguments: [1, 2, 5])
    func gapCountedOnce(repeats: Int) {
        var tracker = SequenceTracker()
        for sequence in UInt64(1)...10 { tracker.insert(sequence) }
        for _ in 0..<repeats {
            for sequence in UInt64(21)...30 { tracker.insert(sequence) }
        }
        #expect(tracker.missing == 10)
        #expect(tracker.gaps() == [11...20])
        #expect(tracker.highest == 30)
    }

    @Test("past the range cap the oldest gap is declared lost; memory stays at the cap", arguments: [1, 4, 64])
    func capDeclaresLost(capacity: Int) {
        var tracker = SequenceTracker(rangeCapacity: capacity, lostMemory: 3)
        // Every other number: each received number is its own range above a one-number hole.
        for index in UInt64(1)...UInt64(capacity + 10) { tracker.insert(index * 2) }
        #expect(tracker.ranges.count <= capacity)
        #expect(tracker.lostCount == 10)
        #expect(tracker.lost.count == 3)
        #expect(tracker.missing == UInt64(capacity + 10))
        // A lost number arriving late is acknowledged as a duplicate, not counted.
        expectInsert(tracker.insert(1), false)
        #expect(tracker.contains(1))
    }

    @Test("contains agrees with insert for random orders")
    func randomOrder() {
        var generator = SystemRandomNumberGenerator()
        var tracker = SequenceTracker()
        var seen = Set<UInt64>()
        for _ in 0..<5_000 {
            let sequence = UInt64.random(in: 1...2_000, using: &generator)
            #expect(tracker.contains(sequence) == seen.contains(sequence))
            expectInsert(tracker.insert(sequence), seen.insert(sequence).inserted)
        }
        let highest = seen.max() ?? 0
        #expect(tracker.missing == highest - UInt64(seen.count))
    }
}

/// Checks a mutating insert's result (`#expect` cannot wrap a mutating call).
func expectInsert(_ inserted: Bool, _ expected: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(inserted == expected, sourceLocation: sourceLocation)
}
