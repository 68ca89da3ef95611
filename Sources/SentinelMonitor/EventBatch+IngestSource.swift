import SentinelSchema

// The decoded batch (tests, log replay) and the batch read in place (the RPC path) feed the same ingestion code.
extension EventBatch: IngestSource {
    var eventCount: Int { events.count }

    func event(at index: Int) -> ScoringEvent { events[index] }
}

extension EventBatch.View: IngestSource {
    var eventCount: Int { count }

    func event(at index: Int) -> ScoringEvent.View { self[index] }
}
