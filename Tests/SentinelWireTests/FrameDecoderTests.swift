import SentinelWire
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    private func frame(id: UInt32, payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(type: .request, requestID: id, code: 1).appendFrame(payload: payload, to: &bytes)
        return bytes
    }

    @Test("a frame delivered one byte at a time decodes once, at its last byte")
    func oneByteAtATime() throws {
        let bytes = frame(id: 42, payload: Array("hello".utf8))
        var decoder = FrameDecoder()
        for (index, byte) in bytes.enumerated() {
            decoder.append([byte])
            let header = try decoder.decodeFrame()
            if index < bytes.count - 1 {
                #expect(header == nil)
            } else {
                #expect(header?.requestID == 42)
                #expect(decoder.withPayload { Array($0) } == Array("hello".utf8))
            }
        }
        try decoder.finish()
    }

    @Test("many frames coalesced in one buffer all decode, in order")
    func coalesced() throws {
        var bytes: [UInt8] = []
        for id in 1...500 { bytes += frame(id: UInt32(id), payload: Array(repeating: UInt8(id % 251), count: id % 37)) }
        var decoder = FrameDecoder()
        decoder.append(bytes)
        var seen: [UInt32] = []
        while let header = try decoder.decodeFrame() {
            seen.append(header.requestID)
            let payload = decoder.withPayload { Array($0) }
            #expect(payload == Array(repeating: UInt8(Int(header.requestID) % 251), count: Int(header.requestID) % 37))
        }
        #expect(seen == (1...500).map { UInt32($0) })
        try decoder.finish()
    }

    @Test("fill reads straight into the buffer and the decoder compacts as it goes")
    func fillAndCompact() throws {
        var decoder = FrameDecoder()
        var decoded = 0
        for id in 1...2000 {
            let bytes = frame(id: UInt32(id), payload: Array(repeating: 7, count: 100))
            decoder.fill(maximumCount: bytes.count) { target in
                target.copyBytes(from: bytes)
                return bytes.count
            }
            while try decoder.decodeFrame() != nil { decoded += 1 }
        }
        #expect(decoded == 2000)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test(
        "bad magic is rejected as soon as two bytes are in", arguments: [[0x00, 0x01], [0x53, 0x00], [0x16, 0x03]])
    func badMagic(prefix: [UInt8]) {
        var decoder = FrameDecoder()
        decoder.append(prefix)
        #expect {
            _ = try decoder.decodeFrame()
        } throws: { ($0 as? WireError)?.code == .badMagic }
    }

    @Test("an HTTP request line at the start is recognised", arguments: ["GET / HTTP/1.1\r\n", "POST /x", "HEAD "])
    func http(text: String) {
        var decoder = FrameDecoder()
        decoder.append(Array(text.utf8))
        #expect {
            _ = try decoder.decodeFrame()
        } throws: { ($0 as? WireError)?.code == .httpRequest }
    }

    @Test("a partial HTTP method waits for more bytes")
    func partialHTTP() throws {
        var decoder = FrameDecoder()
        decoder.append(Array("GE".utf8))
        #expect(try decoder.decodeFrame() == nil)
        decoder.append(Array("T /".utf8))
        #expect(throws: WireError.self) { _ = try decoder.decodeFrame() }
    }

    @Test("an unsupported version is rejected with the header")
    func version() {
        var bytes = frame(id: 5, payload: [])
        bytes[2] = 2
        var decoder = FrameDecoder()
        decoder.append(bytes)
        #expect {
            _ = try decoder.decodeFrame()
        } throws: { ($0 as? WireError)?.code == .unsupportedVersion && ($0 as? WireError)?.header?.requestID == 5 }
    }

    @Test("a stream that ends inside a frame is reported as truncated")
    func truncated() throws {
        let bytes = frame(id: 1, payload: [1, 2, 3, 4])
        var decoder = FrameDecoder()
        decoder.append(Array(bytes.dropLast()))
        #expect(try decoder.decodeFrame() == nil)
        #expect {
            try decoder.finish()
        } throws: { ($0 as? WireError)?.code == .truncatedFrame }
    }

    @Test("unknown frame types decode (receivers skip them)")
    func unknownType() throws {
        var bytes: [UInt8] = []
        FrameHeader(type: FrameType(rawValue: 200), requestID: 0).appendFrame(payload: [1, 2], to: &bytes)
        var decoder = FrameDecoder()
        decoder.append(bytes)
        let header = try #require(try decoder.decodeFrame())
        #expect(header.type.description == "TYPE(200)")
    }
}
