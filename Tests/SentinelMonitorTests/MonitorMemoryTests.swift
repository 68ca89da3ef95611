import Foundation
import SentinelDrift
import SentinelMonitor
import SentinelSchema
import Testing

@Suite("Monitor memory bounds over a long run")
struct MonitorMemoryTests {
    typealias F = MonitorFixtures

    /// Feeds `total` events in batches of 1,000 from `producers` producers across many 1-second windows, with
    /// out-of-order delivery and permanent holes, and checks every bounded structure stays at its cap.
    func run(total: Int, producers: Int) throws {
        var settings = F.settings(history: 30)
        settings.sequenceRangeCapacity = 16
        settings.labelCapacity = 5_000
        var state = MonitorState(settings: settings, startedAt: F.t0)
        _ = try state.register(F.registration(), at: F.t0)
        var next = [UInt64](repeating: 1, count: producers)
        var time = F.t0
        var batches = 0
        var sent = 0
        while sent < total {
            let producer = batches % producers
            let start = next[producer]
            // Every 7th batch of a producer leaves a 3-event hole forever; every 5th arrives before its predecessor.
            let skip: UInt64 = batches % 7 == 0 ? 3 : 0
            let sequences = (start + skip)..<(start + skip + 1_000)
            next[producer] = sequences.upperBound
            let batch = F.batch("p\(producer)", sequences)
            _ = try state.ingest(batch, at: time)
            sent += 1_000
            batches += 1
            time += 250_000
        }
        #expect(state.eventsTotal == UInt64(total))
        let model = try #require(state.models["v1"])
        #expect(model.windows.history.count == 30)
        #expect(model.latencyHistory.count <= 30)
        #expect(state.labels.count == 5_000)
        for producer in state.producers.values {
            #expect(producer.sequences.ranges.count <= 16)
            #expect(producer.sequences.lost.count <= SequenceTracker.defaultLostMemory)
            #expect(producer.sequences.gaps().count <= SequenceTracker.defaultLostMemory)
        }
        let view = state.snapshot(MonitorSnapshotRequest(historyWindows: 1_000), at: time)
        #expect(view.history.count == 30)
        #expect(view.producers.allSatisfy { $0.gaps.count <= SequenceTracker.defaultLostMemory })
        #expect(view.producers.reduce(0) { $0 + $1.events } == UInt64(total))
    }

    @Test("200,000 events, 8 producers: history, sequence ranges and labels stay at their caps")
    func bounded() throws {
        try run(total: 200_000, producers: 8)
    }

    @Test(
        "3 million events, 16 producers (slow)",
        .enabled(if: ProcessInfo.processInfo.environment["SENTINEL_RUN_SLOW_TESTS"] != nil, "SENTINEL_RUN_SLOW_TESTS"))
    func millions() throws {
        try run(total: 3_000_000, producers: 16)
    }
}
