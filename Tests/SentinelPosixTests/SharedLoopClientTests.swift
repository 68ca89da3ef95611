import SentinelLock
import SentinelPosix
import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Synchronization
import Testing

@Suite("TCP clients sharing one event loop")
struct SharedLoopClientTests {
    /// Per-connection tallies, touched only on the shared loop.
    final class Tally: @unchecked Sendable {
        var answered = 0
        var mismatched = 0
        var failures: [String] = []
    }

    @Test("8 clients on one loop each chain 200 calls from completions; every reply matches its request")
    func chainedCallsOnSharedLoop() async throws {
        try await withServer { server in
            let loop = try PosixEventLoop()
            let clients = (0..<8).map { _ in TCPClient(address: server.address, loop: loop) }
            let tally = Tally()
            let done = Lock<CheckedContinuation<Void, Never>?>(nil)
            let finished = Atomic<Int>(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await loop.run() }
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    done.withLock { $0 = continuation }
                    loop.execute {
                        for (index, client) in clients.enumerated() {
                            Self.chain(client, connection: index, call: 0, tally: tally) {
                                if finished.add(1, ordering: .relaxed).newValue == clients.count {
                                    done.withLock { $0?.resume() }
                                }
                            }
                        }
                    }
                }
                for client in clients { client.close() }
                loop.stop()
                try await group.waitForAll()
            }
            #expect(tally.failures.isEmpty)
            #expect(tally.mismatched == 0)
            #expect(tally.answered == 8 * 200)
        }
    }

    /// Issues call `call` of a connection and, from its completion, the next one, until 200 are done.
    static func chain(
        _ client: TCPClient, connection: Int, call: Int, tally: Tally, finished: @escaping () -> Void
    ) {
        guard call < 200 else {
            finished()
            return
        }
        let payload = Array("\(connection)/\(call)".utf8)
        client.startCall(Methods.echo, payload: payload, timeout: .seconds(10)) { result in
            switch result {
            case .success(let reply):
                tally.answered += 1
                if reply != payload { tally.mismatched += 1 }
            case .failure(let error):
                tally.failures.append("\(error)")
            }
            chain(client, connection: connection, call: call + 1, tally: tally, finished: finished)
        }
    }
}
