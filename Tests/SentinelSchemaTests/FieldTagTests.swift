import Foundation
import SentinelSchema
import Testing

/// The generated `FieldTag` enums, which the hand-written encoders write, against Protos/sentinel.proto read here
/// independently of the generator.
@Suite("Field tags")
struct FieldTagTests {
    /// Every message's tag enum (messages without fields have none).
    static let tagTypes: [any ProtobufFieldTag.Type] = [
        EventBatch.FieldTag.self, HealthCheckRequest.FieldTag.self, HealthCheckResponse.FieldTag.self,
        IngestAck.FieldTag.self, LatencySummary.FieldTag.self, ModelInfoResponse.FieldTag.self,
        ModelInfoResponse.TrainingWindow.FieldTag.self, ModelInfoResponse.Metric.FieldTag.self,
        MonitorSnapshotRequest.FieldTag.self, MonitorSnapshotResponse.FieldTag.self,
        MonitorSnapshotResponse.ModelSnapshot.FieldTag.self, MonitorSnapshotResponse.DriftReport.FieldTag.self,
        MonitorSnapshotResponse.FeatureDrift.FieldTag.self, MonitorSnapshotResponse.ExactKS.FieldTag.self,
        MonitorSnapshotResponse.RateStats.FieldTag.self, MonitorSnapshotResponse.Alert.FieldTag.self,
        MonitorSnapshotResponse.Producer.FieldTag.self, MonitorSnapshotResponse.WindowSummary.FieldTag.self,
        MonitorSnapshotResponse.DailyLabelMetrics.FieldTag.self, MonitorSnapshotResponse.WindowState.FieldTag.self,
        MonitorSnapshotResponse.Distribution.FieldTag.self, MonitorSnapshotResponse.LabelPerformance.FieldTag.self,
        RegisterModelRequest.FieldTag.self,
        RegisterModelRequest.FeatureProfile.FieldTag.self, RegisterModelRequest.ReferenceProfile.FieldTag.self,
        RegisterModelResponse.FieldTag.self, ReloadModelRequest.FieldTag.self, ReloadModelResponse.FieldTag.self,
        ReportLabelsRequest.FieldTag.self, ReportLabelsRequest.Label.FieldTag.self, ReportLabelsResponse.FieldTag.self,
        ScoreBatchRequest.FieldTag.self, ScoreBatchResponse.FieldTag.self, ScoreBatchResponse.Item.FieldTag.self,
        ScoreBatchResponse.ItemError.FieldTag.self, ScoreRequest.FieldTag.self, ScoreResponse.FieldTag.self,
        ScoringEvent.FieldTag.self, SequenceRange.FieldTag.self, StatsResponse.FieldTag.self,
        StatsResponse.ErrorCount.FieldTag.self, StatsResponse.EventDelivery.FieldTag.self, Transaction.FieldTag.self,
    ]

    /// A field as the .proto declares it: number and wire type.
    struct Declared: Equatable, CustomStringConvertible {
        var number: Int
        var wireType: UInt8
        var description: String { "\(number)/\(wireType)" }
    }

    /// Every message's fields, by fully qualified message name and field name, read line by line.
    static func declaredFields() throws -> [String: [String: Declared]] {
        let text = try String(contentsOf: SchemaCoverageTests.protoFile, encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "//", maxSplits: 1).first ?? "" }
        let words = lines.map { $0.split(whereSeparator: { " {};=".contains($0) }).map(String.init) }
        let enums = Set(words.filter { $0.first == "enum" }.map { $0[1] })
        var scopes: [(kind: String, name: String)] = []
        var messages: [String: [String: Declared]] = [:]
        for (line, parts) in zip(lines, words) {
            if let kind = parts.first, ["message", "enum", "oneof", "service"].contains(kind), line.contains("{") {
                scopes.append((kind, parts[1]))
                let name = "sentinel.v1." + scopes.filter { $0.kind == "message" }.map(\.name).joined(separator: ".")
                if kind == "message" { messages[name] = messages[name] ?? [:] }
            } else if let scope = scopes.last, scope.kind == "message" || scope.kind == "oneof",
                parts.count >= 3, let number = Int(parts[parts.count - 1])
            {
                let repeated = parts[0] == "repeated"
                let type = parts[parts.count - 3]
                let wireType: UInt8
                switch type {
                case _ where repeated: wireType = 2
                case "double": wireType = 1
                case "string": wireType = 2
                case "int64", "uint64", "uint32", "int32", "bool": wireType = 0
                case _ where enums.contains(String(type.split(separator: ".").last!)): wireType = 0
                default: wireType = 2
                }
                let message = "sentinel.v1." + scopes.filter { $0.kind == "message" }.map(\.name).joined(separator: ".")
                messages[message, default: [:]][parts[parts.count - 2]] = Declared(number: number, wireType: wireType)
            }
            if line.contains("}") { scopes.removeLast() }
        }
        return messages
    }

    static func generated<T: ProtobufFieldTag>(_ type: T.Type) -> (String, [String: Declared]) {
        (
            T.messageProtoName,
            Dictionary(
                uniqueKeysWithValues: T.allCases.map {
                    ($0.protoFieldName, Declared(number: $0.fieldNumber, wireType: $0.wireType))
                })
        )
    }

    @Test("every message's FieldTag holds exactly its .proto fields, with their numbers and wire types")
    func tagsMatchTheProto() throws {
        let declared = try Self.declaredFields()
        #expect(declared.count >= 40)
        var covered: Set<String> = []
        for type in Self.tagTypes {
            let (message, fields) = Self.generated(type)
            covered.insert(message)
            #expect(fields == declared[message], "\(message)")
        }
        let withFields = Set(declared.filter { !$0.value.isEmpty }.keys)
        #expect(
            covered == withFields, "messages without a listed FieldTag: \(withFields.subtracting(covered).sorted())")
    }

    @Test("tags the encoders write, spelled out")
    func knownTags() {
        #expect(ScoringEvent.FieldTag.sequence.rawValue == 0x08)
        #expect(ScoringEvent.FieldTag.amount.rawValue == 0x39)
        #expect(ScoringEvent.FieldTag.features.rawValue == 0x42)
        #expect(ScoringEvent.FieldTag.serverLatencyNanoseconds.rawValue == 0x60)
        #expect(EventBatch.FieldTag.events.rawValue == 0x12)
        #expect(ScoreResponse.FieldTag.threshold.rawValue == 0x31)
        #expect(ScoreBatchResponse.ItemError.FieldTag.field.rawValue == 0x1A)
    }
}
