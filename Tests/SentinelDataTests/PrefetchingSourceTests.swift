import Testing

@testable import SentinelData

@Suite("Read-ahead thread")
struct PrefetchingSourceTests {
    @Test("Delivers every byte in order, whatever the chunk and read sizes", arguments: [1, 7, 4096])
    func order(chunkSize: Int) throws {
        let input = Fixtures.randomBytes(50_000, seed: UInt64(chunkSize))
        let source = PrefetchingSource(source: MemorySource(input), chunkSize: chunkSize, chunkCount: 3)
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1000)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            output += buffer[0..<count]
        }
        #expect(output == input)
    }

    @Test("Errors of the decoder reach the loader, with the file name", .enabled(if: Fixtures.hasGzip))
    func errorsPropagate() throws {
        var text = "amount,label\n"
        for index in 0..<100_000 { text += "\(index),\(index % 2)\n" }
        let compressed = try Fixtures.gzip(Array(text.utf8), ["-n"])
        let options = LoadOptions(featureColumns: ["amount"], labelColumn: "label")
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(bytes: Array(compressed.dropLast(100)), name: "cut.csv.gz", options: options)
        }
        #expect(error?.code == .truncatedCompressedData)
        #expect(error?.description.hasPrefix("cut.csv.gz: ") == true)
        // Stopping early (a row limit) leaves the read-ahead thread to finish on its own.
        var limited = options
        limited.limit = 10
        #expect(try DatasetLoader.load(bytes: compressed, options: limited).features == [(0..<10).map(Double.init)])
    }
}
