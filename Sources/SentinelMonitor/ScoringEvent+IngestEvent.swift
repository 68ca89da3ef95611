import SentinelSchema

extension ScoringEvent: IngestEvent {
    var featureCount: Int { features.count }

    var hasTransactionId: Bool { !transactionId.isEmpty }

    func hasSameModelVersion(as other: ScoringEvent) -> Bool { modelVersion == other.modelVersion }

    func withFeatures<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { features.withUnsafeBufferPointer(body) }
}

extension ScoringEvent.View: IngestEvent {
    var featureCount: Int { features.count }

    func withFeatures<R>(_ body: (UnsafeBufferPointer<Double>) -> R) -> R { body(features) }
}
