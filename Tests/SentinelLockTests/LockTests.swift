import Foundation
import SentinelLock
import Synchronization
import Testing

@Suite("Lock")
struct LockTests {
    /// A lock shared by reference, as services hold theirs.
    final class Counter: Sendable {
        let count = Lock(0)
    }

    @Test("increments from four threads are all kept")
    func mutualExclusion() async {
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<10_000 { counter.count.withLock { $0 += 1 } }
                }
            }
        }
        #expect(counter.count.withLock { $0 } == 40_000)
    }

    @Test("an error thrown inside releases the lock and reaches the caller")
    func throwingBody() {
        struct Refused: Error {}
        let value = Lock([1, 2])
        #expect(throws: Refused.self) {
            try value.withLock { (values: inout [Int]) throws(Refused) in
                values.append(3)
                throw Refused()
            }
        }
        #expect(value.withLock { $0 } == [1, 2, 3])
    }

    @Test("a non-copyable result comes out of the lock")
    func nonCopyableResult() {
        struct Token: ~Copyable {
            let id: Int
        }
        let next = Lock(7)
        let token = next.withLock { id in
            defer { id += 1 }
            return Token(id: id)
        }
        #expect(token.id == 7)
        #expect(next.withLock { $0 } == 8)
    }
}
