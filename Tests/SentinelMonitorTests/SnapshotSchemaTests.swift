import Foundation
import SentinelSchema
import SentinelTestSupport
import Testing

/// Docs/schemas/snapshot.schema.json describes what the monitor renders: the fixture snapshot (every kind of
/// member present, non-finite numbers included) conforms, and the validator rejects what the schema forbids.
@Suite("Docs/schemas/snapshot.schema.json")
struct SnapshotSchemaTests {
    @Test("a rendered snapshot conforms, with and without per-window features, with undefined numbers as null")
    func renderedSnapshotConforms() throws {
        let schema = try JSONSchema(named: "snapshot")
        var snapshot = DashboardFixture.snapshot(step: 2)
        #expect(schema.violations(of: SnapshotJSON.render(snapshot)) == [])
        // An empty window's rates and a day without a labelled fraud are undefined: null, not 0 or NaN.
        snapshot.models[0].windowRates.flagRate = .nan
        snapshot.labelMetrics[0].averagePrecision = .nan
        snapshot.models[0].drift.features[0].exactKS = MonitorSnapshotResponse.ExactKS(
            statistic: 0.1, pValue: 0.2, sampleSize: 300, referenceSize: 2_000)
        for index in snapshot.history.indices {
            snapshot.history[index].features = snapshot.models[0].drift.features
            snapshot.history[index].score = snapshot.models[0].drift.score
        }
        let text = SnapshotJSON.render(snapshot)
        #expect(text.contains("\"flag_rate\":null") && text.contains("\"average_precision\":null"))
        #expect(schema.violations(of: text) == [])
        #expect(schema.violations(of: SnapshotJSON.render(MonitorSnapshotResponse())) == [])
    }

    @Test("the validator finds a missing key, an undocumented key, a wrong type, a bad level and a negative count")
    func violationsAreFound() throws {
        let schema = try JSONSchema(named: "snapshot")
        let text = SnapshotJSON.render(DashboardFixture.snapshot())
        let cases: [(String, String, String)] = [
            ("\"events_total\":", "\"events_totals\":", "$: missing \"events_total\""),
            ("\"uptime_seconds\":", "\"uptime\":1,\"uptime_seconds\":", "$: undocumented key \"uptime\""),
            ("\"idle\":false", "\"idle\":0", "$.models[0].idle: [\"integer\", \"number\"] where [\"boolean\"]"),
            ("\"level\":\"warn\"", "\"level\":\"critical\"", "$.alerts[0].level: string(\"critical\") is not one"),
            ("\"closed_missing\":0", "\"closed_missing\":-1", "closed_missing: -1.0 is below 0.0"),
        ]
        for (original, replacement, expected) in cases {
            #expect(text.contains(original), "the fixture has \(original)")
            let broken = text.replacingOccurrences(of: original, with: replacement)
            let found = schema.violations(of: broken)
            #expect(found.contains { $0.contains(expected) }, "\(replacement): \(found)")
        }
        #expect(schema.violations(of: "{").count == 1)
        let unknown = try JSONSchema(text: #"{"type": "object", "patternProperties": {}}"#)
        #expect(
            unknown.violations(of: "{}") == [
                "$: the schema uses \"patternProperties\", which this validator does not check"
            ])
    }
}
