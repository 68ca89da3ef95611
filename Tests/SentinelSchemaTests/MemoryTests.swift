import Foundation
import SentinelSchema
import Testing

@Suite("Memory")
struct MemoryTests {
    /// Resident set size of this process, from /proc/self/statm (Linux).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let fields = statm.split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static var procAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/self/statm") }

    @Test(
        "A million round trips keep resident memory flat",
        .enabled(if: procAvailable, "needs /proc/self/statm (Linux)"))
    func millionRoundTrips() throws {
        let transaction = Samples.transaction()
        // Larger than the 1 KiB stack block, so packing it also exercises the arena's heap blocks.
        let batch = EventBatch(producerId: "api-1", events: (1...40).map { Samples.scoringEvent(sequence: $0) })
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var checksum = 0.0

        func run(_ count: Int) throws {
            for index in 0..<count {
                buffer.removeAll(keepingCapacity: true)
                if index % 200 == 0 {
                    batch.serialize(into: &buffer)
                    let decoded = try buffer.withUnsafeBytes { try EventBatch(serializedBytes: $0) }
                    checksum += decoded.events[39].amount
                } else {
                    transaction.serialize(into: &buffer)
                    let decoded = try buffer.withUnsafeBytes { try Transaction(serializedBytes: $0) }
                    checksum += decoded.features[29]
                }
            }
        }

        try run(100_000)  // warm-up: let malloc and the runtime reach their steady state
        let before = try Self.residentBytes()
        try run(1_000_000)
        let after = try Self.residentBytes()
        #expect(checksum != 0)
        // A leak of even one allocation per round trip would add tens of MiB (and a lost 16 KiB arena block per
        // batch, 80 MiB); other tests running in parallel may add a few MiB of their own.
        #expect(after - before < 16 << 20, "resident memory grew from \(before >> 20) MiB to \(after >> 20) MiB")
    }
}

@Suite("Unpacking budget")
struct UnpackBudgetTests {
    /// `count` empty entries of length-delimited field `field`: two bytes on the wire each.
    static func emptyEntries(field: UInt8, count: Int) -> [UInt8] {
        [UInt8]((0..<count).flatMap { _ in [field << 3 | 2, 0] })
    }

    @Test("millions of empty items in 4 MiB are refused as too large to unpack, in every decode path")
    func emptyItems() throws {
        let million = 2_000_000
        let events = Self.emptyEntries(field: 2, count: million)
        let eventError = #expect(throws: SchemaError.self) {
            try events.withUnsafeBytes { try EventBatch(serializedBytes: $0) }
        }
        #expect(eventError?.code == .tooLargeToUnpack)
        #expect(eventError?.message.contains("sentinel.v1.EventBatch: unpacking 4000000 bytes needs more than") == true)
        #expect(eventError.map { String(describing: $0.rpcError) }?.contains("RESOURCE_EXHAUSTED") == true)
        let viewError = #expect(throws: SchemaError.self) {
            try events.withUnsafeBytes { try EventBatch.withView(serializedBytes: $0) { _ in } }
        }
        #expect(viewError?.code == .tooLargeToUnpack)
        let transactions = Self.emptyEntries(field: 1, count: million)
        let batchError = #expect(throws: SchemaError.self) {
            try transactions.withUnsafeBytes { try ScoreBatchRequest.withView(serializedBytes: $0) { _ in } }
        }
        #expect(batchError?.code == .tooLargeToUnpack)
        // Nested: RegisterModelRequest.reference (2) holding a million empty FeatureProfiles (1).
        let profiles = Self.emptyEntries(field: 1, count: million)
        var register: [UInt8] = [2 << 3 | 2]
        var length = profiles.count
        while length >= 0x80 {
            register.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        register.append(UInt8(length))
        register += profiles
        let registerError = #expect(throws: SchemaError.self) {
            try register.withUnsafeBytes { try RegisterModelRequest(serializedBytes: $0) }
        }
        #expect(registerError?.code == .tooLargeToUnpack)
    }

    @Test("ordinary messages decode well within the budget")
    func ordinary() throws {
        let batch = EventBatch(producerId: "api-1", events: (1...1_000).map { Samples.scoringEvent(sequence: $0) })
        let bytes = batch.serializedBytes()
        let decoded = try bytes.withUnsafeBytes { try EventBatch(serializedBytes: $0) }
        #expect(decoded.events.count == 1_000)
        let transactions = ScoreBatchRequest(transactions: (0..<10_000).map { _ in Samples.transaction() })
        let encoded = transactions.serializedBytes()
        #expect(try encoded.withUnsafeBytes { try ScoreBatchRequest(serializedBytes: $0) }.transactions.count == 10_000)
    }
}
