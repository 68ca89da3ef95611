import Foundation
import SentinelData
import SentinelLock
import SentinelLog
import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Synchronization

@testable import SentinelScoring

/// Models trained once from the committed sample `data/creditcard-sample.csv.gz`, and helpers to call handlers.
enum ScoringFixtures {
    /// The committed sample (1,500 ULB rows), loaded once.
    static var sample: Dataset { CommittedSample.dataset }

    /// A logistic model on all 29 inputs (V1…V28, Amount).
    static let model = train(sample, c: 1)
    /// The same inputs, another regularisation: another version, same features.
    static let sibling = train(sample, c: 0.25)
    /// A model without `Amount`: different features.
    static let fewerFeatures: ModelFile = {
        var reduced = sample
        reduced.features.removeLast()
        reduced.featureNames.removeLast()
        reduced.amountFeatureIndex = nil
        return train(reduced, c: 1)
    }()

    private static func train(_ dataset: Dataset, c: Double) -> ModelFile {
        do {
            let artifact = try ModelTrainer.train(
                dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression(c: c))))
            return try ModelFile(artifact: artifact)
        } catch {
            fatalError("cannot train the fixture model: \(error)")
        }
    }

    /// A fresh temporary directory.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-scoring-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `file` into `directory` under `name` and returns the path.
    static func write(_ file: ModelFile, to directory: URL, name: String = "model.sentinel") throws -> String {
        let path = directory.appendingPathComponent(name).path
        try file.write(to: path)
        return path
    }

    /// A service serving `file` (loaded from a temporary path), with a recording sink.
    static func service(
        _ file: ModelFile = model, maximumBatchSize: Int = 10_000
    ) async throws -> (ScoringService, RecordingSink, URL) {
        let directory = try directory()
        let path = try write(file, to: directory)
        let sink = RecordingSink()
        let log = CapturedLog()
        let service = ScoringService(
            store: ModelStore(configuredPath: path), maximumBatchSize: maximumBatchSize, sink: sink, log: log.log)
        try await service.reload(ReloadModelRequest(), origin: "startup")
        return (service, sink, directory)
    }

    /// Sample row `row` as a transaction (amount = the `Amount` input).
    static func transaction(row: Int, id: String? = nil, dataset: Dataset = sample) -> Transaction {
        let features = dataset.features.map { $0[row] }
        let amount = dataset.amountFeatureIndex.map { features[$0] } ?? 1
        return Transaction(
            id: id ?? "tx-\(row)", eventTimeMicroseconds: 1_532_476_800_000_000 + Int64(row), cardId: "card-\(row % 7)",
            terminalId: "term-\(row % 5)", amount: amount, features: features)
    }

    static func context(_ method: MethodID) -> RequestContext {
        RequestContext(requestID: 1, method: method, deadline: nil)
    }
}

/// Calls a synchronous method through the service's router with an encoded message, as the event loop would
/// (decoding, error mapping and counting included).
func call<Request: WireMessage>(_ service: ScoringService, _ method: MethodID, _ request: Request) throws -> [UInt8] {
    try callRaw(service, method, request.serializedBytes())
}

/// Calls a synchronous method through the service's router with raw bytes.
func callRaw(_ service: ScoringService, _ method: MethodID, _ bytes: [UInt8]) throws -> [UInt8] {
    var response: [UInt8] = []
    try bytes.withUnsafeBytes {
        try service.makeRouter().handleSynchronously(ScoringFixtures.context(method), $0, into: &response)
    }
    return response
}

/// The RPC error a call throws, or `nil`.
func rpcError(_ body: () throws -> Void) -> RPCError? {
    do {
        try body()
        return nil
    } catch let error as RPCError {
        return error
    } catch {
        return RPCError(.unknown, "not an RPCError: \(error)")
    }
}

/// A sink that keeps every event and every activated model.
final class RecordingSink: ScoringEventSink {
    private let state = Lock<(events: [ScoringEvent], models: [String])>(([], []))

    func record(_ event: ScoringEvent) -> EventReceipt {
        state.withLock { $0.events.append(event) }
        return .none
    }

    func modelActivated(_ model: ModelHandle) {
        state.withLock { $0.models.append(model.version) }
    }

    var delivery: StatsResponse.EventDelivery {
        StatsResponse.EventDelivery(queued: UInt64(events.count))
    }

    var isMonitorReachable: Bool { true }

    var statistics: ReporterStatistics {
        var statistics = ReporterStatistics()
        statistics.queued = UInt64(events.count)
        return statistics
    }

    var events: [ScoringEvent] { state.withLock { $0.events } }
    var models: [String] { state.withLock { $0.models } }
}

/// A log that keeps its lines.
final class CapturedLog: Sendable {
    private let lines = Lock<[String]>([])

    var log: JSONLog {
        JSONLog { [self] line in lines.withLock { $0.append(line) } }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
