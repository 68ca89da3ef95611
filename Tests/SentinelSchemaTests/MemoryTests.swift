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
