import Foundation
import Testing

@testable import SentinelData

@Suite("CSV records")
struct CSVReaderTests {
    /// Random records whose fields hold commas, quotes, CR and LF, written per RFC 4180 with LF or CRLF endings.
    static func randomTable(seed: UInt64) -> (text: [UInt8], records: [[String]]) {
        let noise = Fixtures.randomBytes(40_000, seed: seed)
        var index = 0
        func next() -> Int {
            index += 1
            return Int(noise[index % noise.count])
        }
        let alphabet: [Character] = ["a", "7", ".", ",", "\"", "\n", "\r", " ", "-", "é"]
        let columns = 1 + next() % 6
        let crlf = next() % 2 == 0
        var records: [[String]] = []
        var text = ""
        for _ in 0..<300 {
            var record: [String] = []
            for _ in 0..<columns {
                let length = next() % 7
                record.append(String((0..<length).map { _ in alphabet[next() % alphabet.count] }))
            }
            // A record that is a single empty field is a blank line, which the reader skips by design.
            if columns == 1, record[0].isEmpty { record[0] = "x" }
            let fields = record.map { field -> String in
                // By bytes: in Swift's Character view "\r\n" is one character, which hides a lone "\n".
                let needsQuotes = field.utf8.contains { [44, 34, 13, 10].contains($0) } || next() % 5 == 0
                return needsQuotes ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
            }
            records.append(record)
            text += fields.joined(separator: ",") + (crlf ? "\r\n" : "\n")
        }
        return (Array(text.utf8), records)
    }

    @Test("Random quoted records survive any buffer size", arguments: [1, 2, 3, 5, 17, 64, 4096])
    func randomRecords(bufferSize: Int) throws {
        for seed in UInt64(1)...8 {
            let (text, expected) = Self.randomTable(seed: seed &* 31 &+ UInt64(bufferSize))
            let reader = CSVReader(source: MemorySource(text), name: "r.csv", bufferSize: bufferSize)
            var records: [[String]] = []
            while try reader.nextRecord() {
                records.append((0..<reader.fieldCount).map { reader.string($0) })
            }
            #expect(records == expected, "seed \(seed)")
        }
    }

    @Test("Line numbers count physical lines, including those inside quotes and blank lines")
    func lineNumbers() throws {
        let text = "a,b\n\n1,\"x\ny\"\n\r\n2,3\n"
        let reader = CSVReader(source: MemorySource(Array(text.utf8)), name: "l.csv")
        var lines: [Int] = []
        while try reader.nextRecord() { lines.append(reader.line) }
        #expect(lines == [1, 3, 6])
    }
}
