import SentinelSchema
import Testing

@testable import SentinelCLI

@Suite("score: JSON transaction input")
struct ScoreInputTests {
    static let names = ["TX_AMOUNT", "V1", "V2"]

    static func parse(_ text: String) throws -> [Transaction] {
        try TransactionJSON.parse(Array(text.utf8), featureNames: names)
    }

    @Test("named features are put in model order; optional fields are read")
    func namedFeatures() throws {
        let parsed = try Self.parse(
            #"{"id":"t1","card_id":"c","terminal_id":"t","time":"2018-07-01 10:00:05","features":{"V2":3,"V1":2,"TX_AMOUNT":1.5}}"#
        )
        try #require(parsed.count == 1)
        #expect(parsed[0].id == "t1" && parsed[0].cardId == "c" && parsed[0].terminalId == "t")
        #expect(parsed[0].features == [1.5, 2, 3])
        #expect(parsed[0].amount == 1.5)  // from TX_AMOUNT
        #expect(parsed[0].eventTimeMicroseconds == 1_530_439_205_000_000)
    }

    @Test("the amount once: 'amount' fills the amount input left out of 'features' (array or object)")
    func amountOnce() throws {
        let array = try Self.parse(#"{"card_id":"c42","amount":149.62,"features":[2,3]}"#)
        #expect(array[0].features == [149.62, 2, 3])
        #expect(array[0].amount == 149.62)
        let object = try Self.parse(#"{"amount":7,"features":{"V1":2,"V2":3}}"#)
        #expect(object[0].features == [7, 2, 3])
        // Without 'amount' the input is still required.
        #expect(throws: ScoringClientError.self) { try Self.parse(#"{"features":[2,3]}"#) }
        #expect(throws: ScoringClientError.self) { try Self.parse(#"{"features":{"V1":2,"V2":3}}"#) }
    }

    @Test("an array of transactions, JSON Lines, and features as an array in model order")
    func arraysAndLines() throws {
        let array = try Self.parse(#"[{"features":[1,2,3],"amount":9},{"features":[4,5,6]}]"#)
        #expect(array.map(\.id) == ["1", "2"])
        #expect(array.map(\.amount) == [9, 4])
        let lines = try Self.parse("{\"features\":[1,2,3]}\n\n{\"features\":[4,5,6],\"event_time_unix_us\":7}\n")
        try #require(lines.map(\.features) == [[1, 2, 3], [4, 5, 6]])
        #expect(lines[1].eventTimeMicroseconds == 7)
    }

    @Test(
        "bad input names the transaction and the field",
        arguments: [
            (#"{"id":"a","features":{"TX_AMOUNT":1,"V1":2}}"#, "transaction 'a': features: missing input 'V2'"),
            (
                #"{"features":{"TX_AMOUNT":1,"V1":2,"V2":3,"V9":0}}"#,
                "transaction 1: features: the model has no input 'V9'"
            ),
            (#"{"features":{"TX_AMOUNT":"12","V1":2,"V2":3}}"#, "features.TX_AMOUNT must be a number"),
            (#"{"features":{"TX_AMOUNT":true,"V1":2,"V2":3}}"#, "features.TX_AMOUNT must be a number"),
            (#"{"features":[1,2]}"#, "field 'features' has 2 values; the model takes 3"),
            (#"{"features":[1,null,3]}"#, "features[1] (V1) is null"),
            (#"{"amount":"x","features":[1,2,3]}"#, "field 'amount' must be a number"),
            (#"{"amout":1,"features":[1,2,3]}"#, "unknown field 'amout'"),
            (#"{"id":7,"features":[1,2,3]}"#, "field 'id' must be a string"),
            (#"{"time":"2018-02-30 00:00:00","features":[1,2,3]}"#, "field 'time'"),
            (#"{"id":"x"}"#, "transaction 'x': missing field 'features'"),
            (#"[1]"#, "transaction 1: expected a JSON object"),
            ("{\"features\":[1,2,3]}\n{\"features\":", "line 2: not valid JSON"),
            ("[]", "no transaction"),
        ])
    func rejects(text: String, expected: String) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            (error as? ScoringClientError)?.message.contains(expected) == true
        }
    }
}
