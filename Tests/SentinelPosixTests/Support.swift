import Foundation
import Glibc
import SentinelPosix
import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Synchronization

/// The methods the socket tests serve.
typealias Methods = TestRouter

/// The busy-poll windows server tests run with: off, and on with a window longer than a loopback round trip.
let busyPollWindows: [Duration] = [.zero, .microseconds(200)]

extension ServerConfiguration {
    /// The default configuration with the given busy-poll window.
    init(busyPoll: Duration) {
        self.init()
        self.busyPoll = busyPoll
    }
}

/// Runs a server on `host` (default 127.0.0.1), port 0, for the duration of `body`, then shuts it down and waits for
/// `run()` to return.
@discardableResult
func withServer<Result: Sendable>(
    host: String = "127.0.0.1",
    router: Router = TestRouter.make(),
    configuration: ServerConfiguration = ServerConfiguration(),
    loopCount: Int = 2,
    _ body: (TCPServer) async throws -> Result
) async throws -> Result {
    let server = try TCPServer(
        host: host, port: 0, router: router, configuration: configuration, loopCount: loopCount)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        do {
            let result = try await body(server)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// A test-side socket that speaks raw frames; its blocking calls run off the cooperative pool.
final class RawConnection: Sendable {
    private let socket: LoopbackSocket

    init(port: UInt16) throws {
        socket = try LoopbackSocket(port: port, noDelay: true)
    }

    func write(_ bytes: [UInt8]) async {
        await offPool { self.socket.sendAll(bytes) }
    }

    /// Half-closes the sending side, as a client that is done writing.
    func shutdownWrite() {
        shutdown(socket.fd, Int32(SHUT_WR))
    }

    /// Reads until `count` bytes arrived, the peer closed, or the receive timeout passed.
    func read(atLeast count: Int) async -> [UInt8] {
        await offPool {
            var result: [UInt8] = []
            while result.count < count {
                let chunk = self.socket.receiveChunk().bytes
                if chunk.isEmpty { break }
                result += chunk
            }
            return result
        }
    }

    /// Reads until the peer closes (true) or the receive timeout passes (false); returns the bytes too.
    func readToEnd() async -> (bytes: [UInt8], closed: Bool) {
        await offPool { self.socket.receiveToEnd() }
    }

    /// Reads frames until `count` complete frames arrived.
    func readFrames(_ count: Int) async -> [(FrameHeader, [UInt8])] {
        await offPool {
            var decoder = FrameDecoder(detectHTTP: false)
            var frames: [(FrameHeader, [UInt8])] = []
            while frames.count < count {
                let chunk = self.socket.receiveChunk().bytes
                if chunk.isEmpty { break }
                decoder.append(chunk)
                while let header = try? decoder.decodeFrame() {
                    frames.append((header, decoder.withPayload { Array($0) }))
                }
            }
            return frames
        }
    }
}

func request(_ id: UInt32, _ method: MethodID = Methods.echo, _ payload: [UInt8] = []) -> [UInt8] {
    var bytes: [UInt8] = []
    FrameHeader(type: .request, requestID: id, code: method.rawValue).appendFrame(payload: payload, to: &bytes)
    return bytes
}
