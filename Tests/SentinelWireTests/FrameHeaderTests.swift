import SentinelWire
import Testing

@Suite("Frame header")
struct FrameHeaderTests {
    private static let limit = 1024

    @Test("a declared length is accepted up to the limit and rejected above it", arguments: [0, 1, 1024, 1025])
    func lengthBoundaries(length: Int) throws {
        var bytes: [UInt8] = []
        FrameHeader(type: .request, requestID: 9, code: 1).appendFrame(
            payload: [UInt8](repeating: 0xAB, count: length), to: &bytes)
        var decoder = FrameDecoder(limits: FrameLimits(maximumPayloadSize: Self.limit))
        decoder.append(bytes)
        if length <= Self.limit {
            let header = try #require(try decoder.decodeFrame())
            #expect(header.payloadLength == UInt32(length))
            #expect(decoder.withPayload { $0.count } == length)
        } else {
            #expect {
                _ = try decoder.decodeFrame()
            } throws: { error in
                let error = try #require(error as? WireError)
                return error.code == .frameTooLarge && error.header?.requestID == 9
            }
        }
    }

    @Test("a header round-trips every field at its extremes", arguments: [UInt32(0), 1, UInt32.max])
    func roundTrip(value: UInt32) throws {
        let header = FrameHeader(
            type: FrameType(rawValue: UInt8(truncatingIfNeeded: value)), payloadLength: 0, requestID: value,
            code: UInt16(truncatingIfNeeded: value), flags: UInt16(truncatingIfNeeded: value),
            timeoutMicroseconds: value)
        var bytes: [UInt8] = []
        header.append(to: &bytes)
        #expect(bytes.count == FrameHeader.size)
        let parsed = try bytes.withUnsafeBytes { try FrameHeader.parse($0) }
        #expect(parsed == header)
    }

    @Test("the declared length is rejected before the payload arrives (nothing allocated for it)")
    func oversizedRejectedEarly() throws {
        var bytes: [UInt8] = []
        FrameHeader(type: .request, payloadLength: UInt32.max, requestID: 3, code: 1).append(to: &bytes)
        var decoder = FrameDecoder()
        decoder.append(bytes)  // only the 20 header bytes: a 4 GiB payload never has to be buffered
        #expect(throws: WireError.self) { _ = try decoder.decodeFrame() }
        #expect(decoder.bufferedByteCount == FrameHeader.size)
    }

    @Test("timeouts convert to whole microseconds, rounding up and clamping")
    func timeoutField() {
        #expect(FrameHeader.timeoutField(nil) == 0)
        #expect(FrameHeader.timeoutField(.zero) == 1)
        #expect(FrameHeader.timeoutField(.nanoseconds(1)) == 1)
        #expect(FrameHeader.timeoutField(.nanoseconds(1500)) == 2)
        #expect(FrameHeader.timeoutField(.milliseconds(250)) == 250_000)
        #expect(FrameHeader.timeoutField(.seconds(10_000)) == UInt32.max)
        #expect(FrameHeader.timeoutField(.seconds(-1)) == 1)
    }

    @Test("status codes carry gRPC's numbers and names")
    func statusNames() {
        #expect(StatusCode.allDefined.count == 17)
        #expect(StatusCode.deadlineExceeded.rawValue == 4)
        #expect(StatusCode.deadlineExceeded.name == "DEADLINE_EXCEEDED")
        #expect(StatusCode.unauthenticated.rawValue == 16)
        #expect(StatusCode(rawValue: 17).name == "CODE(17)")
    }

    @Test("method numbers and full names map both ways")
    func methodNames() {
        #expect(MethodID.scoringScore.rawValue == 10)
        #expect(MethodID(fullName: "sentinel.v1.Monitor/RegisterModel") == .monitorRegisterModel)
        #expect(MethodID(fullName: "nope") == nil)
        #expect(Set(MethodID.known.map(\.id.rawValue)).count == MethodID.known.count)
    }
}
