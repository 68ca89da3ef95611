import Foundation
import SentinelTestSupport
import Testing

@testable import SentinelSchema

/// `ScoreBatchRequest.withView` (views over protobuf-c's unpacked structures) must read every request exactly as the
/// copying decoder does.
@Suite("ScoreBatchRequest views")
struct ScoreBatchRequestViewTests {
    /// What a view holds, re-encoded (bit for bit, NaNs included), or the error, to compare with the copying
    /// decoder.
    enum Outcome: Equatable {
        case decoded([UInt8])
        case failed(String)

        static func of(_ transactions: [Transaction], _ modelVersion: String?) -> Outcome {
            .decoded(ScoreBatchRequest(transactions: transactions, modelVersion: modelVersion).serializedBytes())
        }
    }

    static func viaView(_ bytes: [UInt8]) -> Outcome {
        do {
            return try bytes.withUnsafeBytes { raw in
                try ScoreBatchRequest.withView(serializedBytes: raw) { view in
                    .of(view.transactions.map { $0.copy() }, view.modelVersion)
                }
            }
        } catch {
            return .failed("\(error)")
        }
    }

    static func viaDecoder(_ bytes: [UInt8]) -> Outcome {
        do {
            let request = try ScoreBatchRequest(serializedBytes: bytes)
            return .of(request.transactions, request.modelVersion)
        } catch {
            return .failed("\(error)")
        }
    }

    static func sample(_ random: inout ScoreBatchFastPathTests.Generator, count: Int) -> ScoreBatchRequest {
        var request = ScoreBatchRequest(transactions: ScoreBatchFastPathTests.batch(count: count, using: &random))
        if count % 2 == 0 { request.modelVersion = count % 4 == 0 ? "0123456789ab" : "" }
        if count == 3 { request.transactions[1].eventTimeMicroseconds = -5 }
        return request
    }

    @Test("requests read through a view equal the copying decoder's")
    func canonical() {
        var random = ScoreBatchFastPathTests.Generator(state: 11)
        for count in 0..<40 {
            let bytes = Self.sample(&random, count: count).serializedBytes()
            #expect(Self.viaView(bytes) == Self.viaDecoder(bytes))
        }
    }

    @Test("non-canonical encodings (unpacked features, repeated and unknown fields) decode as protobuf-c does")
    func nonCanonical() {
        let transaction: [UInt8] = [0x0A, 0x02, 0x74, 0x31, 0x29] + Array(repeating: 0, count: 7) + [0x40]
        let unpacked = transaction + [0x31] + Array(repeating: 0, count: 7) + [0x3F]
        let repeatedId = transaction + [0x0A, 0x02, 0x74, 0x32]
        let unknown = transaction + [0x38, 0x05]
        let twoVersions: [UInt8] =
            [0x0A, UInt8(transaction.count)] + transaction + [0x12, 0x01, 0x61, 0x12, 0x01, 0x62]
        let topUnknown: [UInt8] = [0x0A, UInt8(transaction.count)] + transaction + [0x18, 0x01]
        let oddFeatures = transaction + [0x32, 0x03, 1, 2, 3]
        let longVarint = transaction + [0x10] + Array(repeating: 0xFF, count: 9) + [0x7F]
        for bytes in [
            [0x0A, UInt8(unpacked.count)] + unpacked, [0x0A, UInt8(repeatedId.count)] + repeatedId,
            [0x0A, UInt8(unknown.count)] + unknown, twoVersions, topUnknown,
            [0x0A, UInt8(oddFeatures.count)] + oddFeatures,
            [0x0A, UInt8(longVarint.count)] + longVarint,
        ] {
            #expect(Self.viaView(bytes) == Self.viaDecoder(bytes), "\(bytes)")
        }
    }

    @Test("mutated and truncated requests are accepted or refused as the copying decoder does, with its error")
    func mutations() {
        var random = ScoreBatchFastPathTests.Generator(state: 23)
        var refused = 0
        for round in 0..<3_000 {
            var bytes = Self.sample(&random, count: 1 + round % 4).serializedBytes()
            switch round % 3 {
            case 0:
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                bytes.removeLast(Int.random(in: 1...min(12, bytes.count), using: &random))
            default:
                bytes.insert(
                    UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
            }
            let view = Self.viaView(bytes)
            #expect(view == Self.viaDecoder(bytes), "\(bytes)")
            if case .failed = view { refused += 1 }
        }
        // Both answers were exercised.
        #expect(refused > 100)
        #expect(refused < 2_900)
    }
}
