import SentinelArguments
import Testing

@testable import SentinelCLI

@Suite("--drift specification")
struct DriftSpecTests {
    static let names = ["TX_AMOUNT", "V1", "V3"]

    @Test("scale, shift, subtract and set parse and apply left to right")
    func parsesAndApplies() throws {
        let spec = try DriftSpec(parsing: " TX_AMOUNT*1.5, V1+10 ,V3=0,TX_AMOUNT-1,V1+-2.5e1", featureNames: Self.names)
        #expect(
            spec.terms.map(\.operation) == [.scale(1.5), .shift(10), .set(0), .shift(-1), .shift(-25)])
        #expect(spec.terms.map(\.index) == [0, 1, 2, 0, 1])
        var features = [100.0, 1, 7]
        spec.apply(to: &features)
        #expect(features == [149, -14, 0])
        #expect(spec.description == "TX_AMOUNT*1.5,V1+10.0,V3=0.0,TX_AMOUNT-1.0,V1-25.0")
    }

    @Test("a missing input stays missing under * + -, and = sets it")
    func missingValues() throws {
        var features = [Double.nan, .nan, .nan]
        try DriftSpec(parsing: "TX_AMOUNT*2,V1+1,V3=4", featureNames: Self.names).apply(to: &features)
        #expect(features[0].isNaN && features[1].isNaN)
        #expect(features[2] == 4)
    }

    @Test(
        "malformed specifications are usage errors naming the term",
        arguments: [
            ("AMOUNT*2", "no feature 'AMOUNT'"),
            ("TX_AMOUNT", "expected FEATURE*N"),
            ("TX_AMOUNT*", "'' is not a finite number"),
            ("TX_AMOUNT*inf", "'inf' is not a finite number"),
            ("TX_AMOUNT*nan", "'nan' is not a finite number"),
            ("TX_AMOUNT*0x10", "'0x10' is not a finite number"),
            ("TX_AMOUNT*1e400", "'1e400' is not a finite number"),
            ("*2", "no feature name"),
            ("TX_AMOUNT*2,", "empty term"),
            ("", "empty term"),
            ("tx_amount*2", "no feature 'tx_amount'"),
            ("TX_AMOUNT/2", "expected FEATURE*N"),
        ])
    func rejects(text: String, expected: String) {
        #expect {
            try DriftSpec(parsing: text, featureNames: Self.names)
        } throws: { error in
            guard let error = error as? UsageError else { return false }
            return error.message.contains(expected) && error.message.contains("--drift")
        }
    }
}
