import SentinelModel
import SentinelRPC
import SentinelSchema
import SentinelWire
import Testing

@testable import SentinelScoring

@Suite("Transaction validation")
struct TransactionValidationTests {
    /// A bad input, the field it must name, and a fragment of the message.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var change: @Sendable (inout Transaction) -> Void
        var field: String
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "empty id", change: { $0.id = "" }, field: "id", message: "transaction: id is empty"),
        Case(
            name: "NUL in id", change: { $0.id = "a\0b" }, field: "id",
            message: "transaction 'a\\0b': id contains U+0000"),
        Case(
            name: "NaN amount", change: { $0.amount = .nan }, field: "amount",
            message: "transaction 'tx-3': amount is NaN"),
        Case(
            name: "+Inf amount", change: { $0.amount = .infinity }, field: "amount",
            message: "transaction 'tx-3': amount is +Inf"),
        Case(
            name: "negative amount", change: { $0.amount = -0.5 }, field: "amount",
            message: "transaction 'tx-3': amount is negative (-0.5)"),
        Case(
            name: "too few features", change: { $0.features.removeLast() }, field: "features",
            message: "transaction 'tx-3': expected 29 features (V1…Amount), got 28"),
        Case(
            name: "too many features", change: { $0.features.append(1) }, field: "features",
            message: "expected 29 features (V1…Amount), got 30"),
        Case(name: "no features", change: { $0.features = [] }, field: "features", message: "got 0"),
        Case(
            name: "NaN feature", change: { $0.features[3] = .nan }, field: "features[3]",
            message: "transaction 'tx-3': features[3] (V4) is NaN"),
        Case(
            name: "+Inf feature", change: { $0.features[0] = .infinity }, field: "features[0]",
            message: "features[0] (V1) is +Inf"),
        Case(
            name: "-Inf feature", change: { $0.features[28] = -.infinity }, field: "features[28]",
            message: "features[28] (Amount) is -Inf"),
    ]

    @Test("each bad input is named with its field", arguments: cases)
    func validator(_ bad: Case) {
        var transaction = ScoringFixtures.transaction(row: 3)
        bad.change(&transaction)
        let problem = TransactionValidator.problem(
            in: transaction, index: nil, featureNames: ScoringFixtures.model.artifact.featureNames)
        #expect(problem?.field == bad.field)
        #expect(problem?.message.contains(bad.message) == true, "\(problem?.message ?? "nil")")
        #expect(problem?.statusCode == .invalidArgument)
    }

    /// Every case but the NUL: protobuf-c strings end at U+0000, so "a\0b" crosses the wire as "a" (a schema-level
    /// limit, see Docs/Design.md); the validator's check covers in-process callers.
    @Test(
        "Score answers INVALID_ARGUMENT with the message, and counts the error",
        arguments: cases.filter { $0.name != "NUL in id" })
    func scoreRejects(_ bad: Case) async throws {
        let (service, sink, _) = try await ScoringFixtures.service()
        var transaction = ScoringFixtures.transaction(row: 3)
        bad.change(&transaction)
        let error = rpcError { _ = try call(service, .scoringScore, ScoreRequest(transaction: transaction)) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(bad.message) == true, "\(error?.message ?? "nil")")
        #expect(sink.events.isEmpty)
        #expect(service.statistics.transactions == 0)
        #expect(service.statistics.errors == [StatsResponse.ErrorCount(statusCode: 3, count: 1)])
    }

    @Test("a valid transaction passes")
    func valid() {
        let problem = TransactionValidator.problem(
            in: ScoringFixtures.transaction(row: 0), index: nil,
            featureNames: ScoringFixtures.model.artifact.featureNames)
        #expect(problem == nil)
    }

    @Test("inside a batch the message names index and id")
    func batchLabel() {
        var transaction = ScoringFixtures.transaction(row: 3, id: "abc")
        transaction.amount = -1
        let problem = TransactionValidator.problem(
            in: transaction, index: 7, featureNames: ScoringFixtures.model.artifact.featureNames)
        #expect(problem?.message == "transaction 7 ('abc'): amount is negative (-1.0)")
        transaction.id = ""
        let unnamed = TransactionValidator.problem(
            in: transaction, index: 7, featureNames: ScoringFixtures.model.artifact.featureNames)
        #expect(unnamed?.message == "transaction 7: id is empty")
    }
}
