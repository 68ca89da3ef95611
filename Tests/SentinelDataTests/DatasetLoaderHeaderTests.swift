import Foundation
import Testing

@testable import SentinelData

@Suite("Dataset loader: header only")
struct DatasetLoaderHeaderTests {
    @Test("the header of plain text, quoted names included, without reading the rows")
    func plainHeader() throws {
        // The second row is malformed: reading the header must not look at it.
        let text = "\u{FEFF}a,\"b,c\",TX_AMOUNT\n1,2,3\n\"oops\n"
        #expect(try DatasetLoader.header(bytes: Array(text.utf8)) == ["a", "b,c", "TX_AMOUNT"])
    }

    @Test("a gzip file's header, read from a path", .enabled(if: Fixtures.hasGzip, "needs the gzip command"))
    func gzipHeader() throws {
        let compressed = try Fixtures.gzip(Array("Time,Amount,Class\n0,1.5,0\n".utf8))
        let path = Fixtures.temporaryFile(compressed, suffix: ".csv.gz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try DatasetLoader.header(path: path) == ["Time", "Amount", "Class"])
    }

    @Test("an empty file and a repeated name are errors naming the file")
    func errors() throws {
        let empty = #expect(throws: DataError.self) { try DatasetLoader.header(bytes: [], name: "e.csv") }
        #expect(empty?.code == .emptyFile)
        #expect(empty?.description.contains("e.csv") == true)
        let twice = #expect(throws: DataError.self) {
            try DatasetLoader.header(bytes: Array("a,b,a\n1,2,3\n".utf8), name: "d.csv")
        }
        #expect(twice?.code == .duplicateColumn)
        #expect(twice?.message.contains("'a'") == true)
    }
}
