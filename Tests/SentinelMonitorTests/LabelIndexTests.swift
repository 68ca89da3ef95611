import Foundation
import SentinelTestSupport
import Testing

@testable import SentinelMonitor

/// The label book's open-addressing index against a `[String: Int]` model, and the book's snapshot layout.
@Suite("Label index")
struct LabelIndexTests {
    typealias Generator = SplitMix64Generator

    @Test("random inserts, replacements and removals agree with a dictionary", arguments: [1, 7, 300])
    func againstDictionary(idSpace: Int) {
        var generator = Generator(state: UInt64(idSpace))
        var index = LabelIndex()
        var model: [String: Int] = [:]
        // Slot → id, as the book's entries hold them.
        var slots: [String] = []
        for step in 0..<20_000 {
            let id = "tx-\(Int.random(in: 0..<idSpace, using: &generator))"
            if Int.random(in: 0..<3, using: &generator) == 0, !slots.isEmpty {
                // Remove the mapping of a random slot, as an eviction does.
                let slot = Int.random(in: 0..<slots.count, using: &generator)
                let owner = slots[slot]
                let removed = index.remove(LabelIndex.hash(owner), slot: slot)
                #expect(removed == (model[owner] == slot), "step \(step)")
                if model[owner] == slot { model[owner] = nil }
            } else {
                let slot = slots.count
                slots.append(id)
                let previous = index.insert(LabelIndex.hash(id), slot: slot) { slots[$0] == id }
                #expect(previous == model[id], "step \(step)")
                model[id] = slot
            }
            if step % 997 == 0 {
                #expect(index.count == model.count)
                for (id, slot) in model {
                    #expect(index.find(LabelIndex.hash(id)) { slots[$0] == id } == slot)
                }
                #expect(index.find(LabelIndex.hash("absent")) { slots[$0] == "absent" } == nil)
                #expect(Set(index.slots) == Set(model.values))
            }
        }
    }

    @Test("ids whose hashes collide are told apart by the id")
    func collisions() {
        var index = LabelIndex()
        let ids = ["a", "b", "c", "d"]
        // The same hash for every id: the table must still keep them apart.
        for (slot, id) in ids.enumerated() {
            #expect(index.insert(7, slot: slot) { ids[$0] == id } == nil)
        }
        for (slot, id) in ids.enumerated() {
            #expect(index.find(7) { ids[$0] == id } == slot)
        }
        let removed = index.remove(7, slot: 1)
        #expect(removed)
        #expect(index.find(7) { ids[$0] == "b" } == nil)
        #expect(index.find(7) { ids[$0] == "d" } == 3)
        let again = index.remove(7, slot: 1)
        #expect(!again)
    }

    @Test("a book survives its snapshot encoding with labels, evictions and pending labels intact")
    func bookRoundTrip() throws {
        var book = LabelBook(capacity: 50, pendingCapacity: 5)
        for number in 0..<180 {
            book.recordScored(
                transactionId: "t\(number % 70)", cardId: "c\(number % 9)",
                eventTimeMicroseconds: Int64(number) * 3_600_000_000,
                score: Double(number % 10) / 10, modelVersion: number % 2 == 0 ? "v1" : "v2")
        }
        _ = book.label(transactionId: "t69", fraud: true)
        _ = book.label(transactionId: "later", fraud: false)
        let bytes = try JSONEncoder().encode(book)
        let json = try #require(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        // The index keeps its `[String: Int]` snapshot layout.
        let stored = try #require(json["index"] as? [String: Int])
        #expect(stored.count == 50)
        var decoded = try JSONDecoder().decode(LabelBook.self, from: bytes)
        #expect(decoded.labelledRows().labelled == book.labelledRows().labelled)
        #expect(decoded.count == book.count && decoded.pendingCount == book.pendingCount)
        for number in 0..<75 {
            #expect(
                decoded.label(transactionId: "t\(number)", fraud: false)
                    == book.label(transactionId: "t\(number)", fraud: false))
        }
        // A kept id scored again, and one whose label waits: both books must move alike.
        for id in ["t5", "t72"] {
            decoded.recordScored(
                transactionId: id, cardId: "c", eventTimeMicroseconds: 0, score: 0.5, modelVersion: "v1")
            book.recordScored(transactionId: id, cardId: "c", eventTimeMicroseconds: 0, score: 0.5, modelVersion: "v1")
        }
        #expect(decoded.labelCounts(modelVersion: "v1") == book.labelCounts(modelVersion: "v1"))
        #expect(decoded.labelledRows().labelled == book.labelledRows().labelled)
        #expect(decoded.label(transactionId: "t72", fraud: true) == .relabelled)
    }

    @Test("a snapshot whose index names a slot it does not hold is refused")
    func corruptIndex() throws {
        var book = LabelBook(capacity: 4, pendingCapacity: 0)
        book.recordScored(transactionId: "t1", cardId: "c", eventTimeMicroseconds: 0, score: 0.1, modelVersion: "v1")
        var json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(book)) as? [String: Any])
        json["index"] = ["t1": 3]
        let bytes = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LabelBook.self, from: bytes) }
    }
}
