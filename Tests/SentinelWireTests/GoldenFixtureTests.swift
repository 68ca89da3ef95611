import SentinelWire
import Testing

@Suite("Golden fixtures (PROTOCOL.md §11)")
struct GoldenFixtureTests {
    private func decodeOne(_ bytes: [UInt8]) throws -> (FrameHeader, [UInt8]) {
        var decoder = FrameDecoder()
        decoder.append(bytes)
        let header = try #require(try decoder.decodeFrame())
        let payload = decoder.withPayload { Array($0) }
        #expect(try decoder.decodeFrame() == nil)
        try decoder.finish()
        return (header, payload)
    }

    @Test("the Health.Check request decodes to the documented values")
    func request() throws {
        let bytes = try Fixture.bytes("health-check-request.hex")
        #expect(bytes.count == 20)
        let (header, payload) = try decodeOne(bytes)
        #expect(header.type == .request)
        #expect(header.requestID == 1)
        #expect(header.method == .healthCheck)
        #expect(header.method.fullName == "sentinel.v1.Health/Check")
        #expect(header.flags == 0)
        #expect(header.timeoutMicroseconds == 1_000_000)
        #expect(header.timeout == .seconds(1))
        #expect(payload.isEmpty)
    }

    @Test("the Health.Check response decodes to the documented values")
    func response() throws {
        let bytes = try Fixture.bytes("health-check-response.hex")
        #expect(bytes.count == 22)
        let (header, payload) = try decodeOne(bytes)
        #expect(header.type == .response)
        #expect(header.requestID == 1)
        #expect(header.status == .ok)
        #expect(payload == [0x08, 0x01])
    }

    @Test("the UNIMPLEMENTED response decodes to the documented values")
    func unimplemented() throws {
        let (header, payload) = try decodeOne(try Fixture.bytes("unimplemented-response.hex"))
        #expect(header.type == .response)
        #expect(header.requestID == 2)
        #expect(header.status == .unimplemented)
        #expect(String(decoding: payload, as: UTF8.self) == "unknown method 99")
    }

    @Test("encoding the documented values gives the fixture bytes")
    func encode() throws {
        var request: [UInt8] = []
        FrameHeader(
            type: .request, requestID: 1, code: MethodID.healthCheck.rawValue,
            timeoutMicroseconds: FrameHeader.timeoutField(.seconds(1))
        ).appendFrame(payload: [], to: &request)
        #expect(request == (try Fixture.bytes("health-check-request.hex")))
        var response: [UInt8] = []
        FrameHeader(type: .response, requestID: 1, code: StatusCode.ok.rawValue)
            .appendFrame(payload: [0x08, 0x01], to: &response)
        #expect(response == (try Fixture.bytes("health-check-response.hex")))
    }
}
