import SentinelSchema

/// What ``MonitorState`` reads from a batch while ingesting it: the same code applies a decoded ``EventBatch``
/// (tests, log replay) and a batch read in place from the RPC payload (``EventBatch/View``), so both compute
/// the same thing.
protocol IngestSource {
    /// One event as the batch presents it.
    associatedtype Event: IngestEvent
    /// The producer's id.
    var producerId: String { get }
    /// Events the producer has dropped since it started.
    var droppedTotal: UInt64 { get }
    /// The number of events.
    var eventCount: Int { get }
    /// The event at `index` (in `0..<eventCount`).
    func event(at index: Int) -> Event
}
