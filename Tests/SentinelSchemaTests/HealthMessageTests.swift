import SentinelSchema
import Testing

@Suite("Health messages")
struct HealthMessageTests {
    @Test("HealthCheckRequest round trip", arguments: ["", "sentinel.v1.Scoring", "сервис ✓ 🚀"])
    func requestRoundTrip(service: String) throws {
        let request = HealthCheckRequest(service: service)
        let bytes = request.serializedBytes()
        #expect(bytes.count == request.serializedSize)
        #expect(try HealthCheckRequest(serializedBytes: bytes) == request)
    }

    @Test("HealthCheckResponse round trip", arguments: HealthCheckResponse.ServingStatus.allCases)
    func responseRoundTrip(status: HealthCheckResponse.ServingStatus) throws {
        let response = HealthCheckResponse(status: status)
        #expect(try HealthCheckResponse(serializedBytes: response.serializedBytes()) == response)
    }

    @Test("Known bytes: service \"abc\" is field 1, length 3")
    func knownRequestBytes() throws {
        let bytes: [UInt8] = [0x0A, 0x03, 0x61, 0x62, 0x63]
        #expect(HealthCheckRequest(service: "abc").serializedBytes() == bytes)
        #expect(try HealthCheckRequest(serializedBytes: bytes).service == "abc")
    }

    @Test("Known bytes: SERVING is field 1 varint 1; UNKNOWN packs to nothing")
    func knownResponseBytes() throws {
        #expect(HealthCheckResponse(status: .serving).serializedBytes() == [0x08, 0x01])
        #expect(HealthCheckResponse(status: .notServing).serializedBytes() == [0x08, 0x02])
        #expect(HealthCheckResponse().serializedBytes().isEmpty)
        #expect(try HealthCheckResponse(serializedBytes: [UInt8]()).status == .unknown)
    }

    @Test("An undefined status number is a decode error")
    func undefinedStatus() {
        #expect {
            try HealthCheckResponse(serializedBytes: [0x08, 0x07] as [UInt8])
        } throws: { error in
            (error as? SchemaError)?.code == .invalidEnumValue
        }
    }

    @Test("Truncated bytes are a decode error")
    func truncated() {
        #expect {
            try HealthCheckRequest(serializedBytes: [0x0A, 0x05, 0x61] as [UInt8])
        } throws: { error in
            (error as? SchemaError)?.code == .invalidMessage
        }
    }

    @Test("serialize(into:) appends after existing bytes")
    func appends() throws {
        var buffer: [UInt8] = [0xFF, 0xEE]
        HealthCheckResponse(status: .serving).serialize(into: &buffer)
        #expect(buffer == [0xFF, 0xEE, 0x08, 0x01])
    }
}
