import Testing

@testable import SentinelData

@Suite("Number and date parsing")
struct NumberParserTests {
    static func parse(_ text: String) -> Double? {
        var bytes = Array(text.utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { NumberParser.parseDouble($0.baseAddress!, count: $0.count - 1) }
    }

    @Test(
        "Same Double as Swift's parser",
        arguments: [
            "0", "-0", "0.0", "-0.0", "1", "+1", "69.0", "149.62", "0.1", "0.3", "-2.3122265423263",
            "55.131250000000016", "52.04190476190477", "0.037037037037037035", "9007199254740992",
            "9007199254740993", "9007199254740991.5", "123456789012345678901234567890", "0.000000000000000000000001",
            "1e22", "1e23", "1e-22", "1e-23", "-2.34693934265881E-4", "2.5e+10", "7e-320", "1.7976931348623157e308",
            "4.9e-324", "2.2250738585072011e-308", ".5", "5.", "00012.5000", "3.0e0", "1E5",
            "0.30000000000000004", "25691.16", "1234567.891234567", "0.1234567890123456789",
            "9007199254740993.0", "9007199254740995.00", "18014398509481987.0", "1.8446744073709551615",
            "0.000000000000000000000000001", "9.999999999999999999e-8", "0.1000000000000000055511151231257827",
        ])
    func matchesSwift(text: String) {
        let expected = Double(text)!
        let parsed = Self.parse(text)
        #expect(parsed?.bitPattern == expected.bitPattern, "\(text): \(String(describing: parsed)) vs \(expected)")
    }

    @Test("Random decimals round-trip exactly like Double(String)")
    func randomDecimals() {
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        for _ in 0..<20_000 {
            let digits = Int(next() % 19) + 1
            var text = next() % 4 == 0 ? "-" : ""
            let mantissa = String(next() % pow10(digits))
            let point = Int(next() % UInt64(mantissa.count + 1))
            text += mantissa.prefix(point).isEmpty ? "0" : String(mantissa.prefix(point))
            text += "." + mantissa.dropFirst(point) + "0"
            if next() % 3 == 0 { text += "e\(Int(next() % 40) - 20)" }
            let expected = Double(text)!
            #expect(Self.parse(text)?.bitPattern == expected.bitPattern, "\(text)")
        }
        // Shortest round-trip representations of random doubles.
        for _ in 0..<20_000 {
            let value = Double(bitPattern: next() << 11 | next() % 2048).truncatingRemainder(dividingBy: 1e12)
            guard value.isFinite else { continue }
            let text = "\(value)"
            #expect(Self.parse(text)?.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    private func pow10(_ n: Int) -> UInt64 { (0..<n).reduce(1) { value, _ in value * 10 } }

    @Test(
        "Rejects everything that is not a finite decimal number",
        arguments: [
            "", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "0x10", "1,5", "nan", "NaN", "inf",
            "-inf", "Infinity", "1e400", "--1", "1-", "abc", "1_000", "١",
        ])
    func rejects(text: String) {
        #expect(Self.parse(text) == nil, "\(text)")
    }

    static func parseDate(_ text: String) -> (seconds: Int64, day: Day)? {
        let bytes = Array(text.utf8) + [0]
        return bytes.withUnsafeBufferPointer { NumberParser.parseDateTime($0.baseAddress!, count: $0.count - 1) }
    }

    @Test("Date-times become epoch seconds and days")
    func dateTimes() {
        #expect(Self.parseDate("1970-01-01 00:00:00")?.seconds == 0)
        #expect(Self.parseDate("2018-07-01 00:02:06")?.seconds == 1_530_403_326)
        #expect(Self.parseDate("2018-07-01 00:02:06")?.day == Day("2018-07-01"))
        #expect(Self.parseDate("2018-07-01T23:59:59")?.seconds == 1_530_489_599)
        #expect(Self.parseDate("2018-07-01")?.seconds == 1_530_403_200)
        #expect(Self.parseDate("2016-02-29 12:00:00") != nil)
    }

    @Test(
        "Rejects malformed or impossible date-times",
        arguments: [
            "", "2018-07-01 00:02", "2018-02-30 00:00:00", "2018-13-01 00:00:00", "2018-07-01 24:00:00",
            "2018-07-01 00:60:00", "2018-07-01 00:00:60", "2018/07/01 00:00:00", "2018-07-01_00:00:00",
            "18-07-01 00:00:00", "2018-07-01 00:00:0x", "2017-02-29",
        ])
    func badDates(text: String) {
        #expect(Self.parseDate(text) == nil, "\(text)")
    }
}
