import Testing

@testable import SentinelData

@Suite("Gzip decoder")
struct GzipReaderTests {
    static let corpus =
        Fixtures.textCorpus(600_000, seed: 1) + Fixtures.randomBytes(200_000, seed: 2)
        + Fixtures.textCorpus(300_000, seed: 3)

    @Test(
        "Decodes what the gzip command writes",
        .enabled(if: Fixtures.hasGzip, "needs the gzip command"),
        arguments: ["-1", "-6", "-9"])
    func matchesGzipCommand(level: String) throws {
        let compressed = try Fixtures.gzip(Self.corpus, [level])
        #expect(try Fixtures.gunzip(compressed) == Self.corpus)
    }

    @Test(
        "Small and edge-case inputs", .enabled(if: Fixtures.hasGzip, "needs the gzip command"),
        arguments: [0, 1, 2, 257, 32_768, 32_769, 70_000])
    func edgeSizes(size: Int) throws {
        let input = Fixtures.textCorpus(size, seed: UInt64(size))
        #expect(try Fixtures.gunzip(try Fixtures.gzip(input, ["-9"])) == input)
        #expect(try Fixtures.gunzip(try Fixtures.gzip(input, ["-n", "-1"]), step: 7) == input)
    }

    @Test("Incompressible input is stored, and stored blocks decode", .enabled(if: Fixtures.hasGzip))
    func storedBlocks() throws {
        let input = Fixtures.randomBytes(300_000, seed: 9)
        let compressed = try Fixtures.gzip(input, ["-1"])
        // Stored blocks make the output slightly larger than the input.
        #expect(compressed.count > input.count)
        #expect(try Fixtures.gunzip(compressed) == input)
    }

    @Test("Long runs exercise overlapping matches (distance 1 and short distances)", .enabled(if: Fixtures.hasGzip))
    func runs() throws {
        var input = [UInt8](repeating: 65, count: 100_000)
        for period in 2...9 {
            input += (0..<50_000).map { UInt8(48 + $0 % period) }
        }
        #expect(try Fixtures.gunzip(try Fixtures.gzip(input, ["-9"])) == input)
    }

    @Test("Concatenated members decode as one stream", .enabled(if: Fixtures.hasGzip))
    func concatenatedMembers() throws {
        let first = Fixtures.textCorpus(50_000, seed: 4)
        let second = Fixtures.randomBytes(1000, seed: 5)
        let empty: [UInt8] = []
        let compressed = try Fixtures.gzip(first) + Fixtures.gzip(empty) + Fixtures.gzip(second, ["-1"])
        #expect(try Fixtures.gunzip(compressed) == first + second)
    }

    @Test("A hand-written member: fixed Huffman codes and every optional header field")
    func handWrittenMember() throws {
        // "hello" compressed with fixed Huffman codes (as zlib writes it), in a member with FHCRC, FEXTRA,
        // FNAME and FCOMMENT set.
        let deflate: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        var member: [UInt8] = [0x1F, 0x8B, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]
        member += [3, 0, 1, 2, 3]  // FEXTRA: 3 bytes
        member += Array("name.csv".utf8) + [0]
        member += Array("a comment".utf8) + [0]
        member += [0xAB, 0xCD]  // header CRC-16 (not verified)
        member += deflate
        var crc = CRC32()
        let text = Array("hello".utf8)
        text.withUnsafeBytes { crc.update($0) }
        for shift in stride(from: 0, to: 32, by: 8) {
            member.append(UInt8(truncatingIfNeeded: crc.value >> UInt32(shift)))
        }
        member += [5, 0, 0, 0]
        #expect(try Fixtures.gunzip(member) == text)
    }

    @Test("CRC-32 matches the standard check value")
    func crcCheckValue() {
        var crc = CRC32()
        Array("123456789".utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == 0xCBF4_3926)
        var pieces = CRC32()
        let long = Fixtures.randomBytes(1001, seed: 7)
        long[0..<13].withUnsafeBytes { pieces.update($0) }
        long[13...].withUnsafeBytes { pieces.update($0) }
        var whole = CRC32()
        long.withUnsafeBytes { whole.update($0) }
        #expect(pieces.value == whole.value)
    }

    static let sample = Fixtures.textCorpus(100_000, seed: 11)

    @Test(
        "Truncated input is an error naming the file", .enabled(if: Fixtures.hasGzip),
        arguments: [1, 2, 5, 10, 11, 100, 1000, -9, -8, -5, -1])
    func truncated(cut: Int) throws {
        let compressed = try Fixtures.gzip(Self.sample, ["-n"])
        let length = cut > 0 ? cut : compressed.count + cut
        let error = #expect(throws: DataError.self) { try Fixtures.gunzip(Array(compressed[0..<length])) }
        #expect(error?.code == .truncatedCompressedData || error?.code == .corruptCompressedData)
        #expect(error?.description.hasPrefix("test.gz: ") == true)
    }

    @Test("A wrong CRC-32 or ISIZE is detected", .enabled(if: Fixtures.hasGzip), arguments: [-8, -5, -4, -1])
    func badTrailer(offset: Int) throws {
        var compressed = try Fixtures.gzip(Self.sample, ["-n"])
        compressed[compressed.count + offset] ^= 0x01
        let error = #expect(throws: DataError.self) { try Fixtures.gunzip(compressed) }
        #expect(error?.code == .corruptCompressedData)
        #expect(error?.message.contains(offset < -4 ? "CRC-32" : "ISIZE") == true)
    }

    @Test("Corrupted compressed bytes never decode silently", .enabled(if: Fixtures.hasGzip))
    func corruptedBody() throws {
        let compressed = try Fixtures.gzip(Self.sample, ["-n"])
        for position in stride(from: 10, to: compressed.count - 8, by: max(1, compressed.count / 60)) {
            var damaged = compressed
            damaged[position] ^= 0x5A
            #expect(throws: DataError.self) { try Fixtures.gunzip(damaged) }
        }
    }

    @Test("Bad headers and trailing garbage are rejected", .enabled(if: Fixtures.hasGzip))
    func badHeaders() throws {
        let compressed = try Fixtures.gzip(Self.sample, ["-n"])
        var method = compressed
        method[2] = 7
        #expect(throws: DataError.self) { try Fixtures.gunzip(method) }
        var flags = compressed
        flags[3] = 0x80
        #expect(throws: DataError.self) { try Fixtures.gunzip(flags) }
        let garbage = #expect(throws: DataError.self) { try Fixtures.gunzip(compressed + [0x41, 0x42, 0x43]) }
        #expect(garbage?.message.contains("after gzip member") == true)
    }
}
