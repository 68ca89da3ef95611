import SentinelRPC
import SentinelTestSupport
import SentinelWire
import Synchronization

/// A decoded frame, for assertions.
struct DecodedFrame: Equatable {
    var header: FrameHeader
    var payload: [UInt8]
    var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Drives one ``ServerConnection`` on an ``InMemoryEventLoop`` with raw bytes and decodes what it answers.
final class ServerHarness: Sendable {
    let loop = InMemoryEventLoop(name: "harness")
    private let connection: LoopBound<ServerConnection>

    init(router: Router = TestRouter.make(), configuration: ServerConfiguration = ServerConfiguration()) {
        let loop = self.loop
        connection = loop.sync {
            LoopBound(ServerConnection(router: router, configuration: configuration, loop: loop), loop: loop)
        }
    }

    /// Sends bytes and returns everything the server queued in response (synchronous handlers answer at once).
    @discardableResult
    func send(_ bytes: [UInt8]) -> [DecodedFrame] {
        loop.sync { bytes.withUnsafeBytes { connection.value.receive($0) } }
        return takeOutput()
    }

    /// Sends bytes and leaves the answers queued, as for a peer that does not read.
    func sendWithoutTakingOutput(_ bytes: [UInt8]) {
        loop.sync { bytes.withUnsafeBytes { connection.value.receive($0) } }
    }

    /// Decodes and removes the queued output.
    func takeOutput() -> [DecodedFrame] {
        Self.decode(takeRawOutput())
    }

    /// Removes the queued output bytes.
    func takeRawOutput() -> [UInt8] {
        loop.sync {
            var bytes: [UInt8] = []
            connection.value.takeOutbound(into: &bytes)
            return bytes
        }
    }

    /// Feeds bytes to the connection; call on the loop.
    func connectionReceive(_ bytes: UnsafeRawBufferPointer) {
        connection.value.receive(bytes)
    }

    var wantsClose: Bool { loop.sync { connection.value.wantsClose } }
    var closeReason: DisconnectReason? { loop.sync { connection.value.closeReason } }
    var inFlight: Int { loop.sync { connection.value.inFlightCount } }

    func beginGracefulShutdown() { loop.sync { connection.value.beginGracefulShutdown() } }

    static func decode(_ bytes: [UInt8]) -> [DecodedFrame] {
        var decoder = FrameDecoder(detectHTTP: false)
        decoder.append(bytes)
        var frames: [DecodedFrame] = []
        while let header = try? decoder.decodeFrame() {
            frames.append(DecodedFrame(header: header, payload: decoder.withPayload { Array($0) }))
        }
        return frames
    }
}

/// Frame builders.
enum Frames {
    static func request(
        _ id: UInt32, _ method: MethodID = TestRouter.echo, _ payload: [UInt8] = [], timeout: Duration? = nil
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(
            type: .request, requestID: id, code: method.rawValue, timeoutMicroseconds: FrameHeader.timeoutField(timeout)
        ).appendFrame(payload: payload, to: &bytes)
        return bytes
    }

    static func frame(_ type: FrameType, _ id: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(type: type, requestID: id).appendFrame(payload: payload, to: &bytes)
        return bytes
    }
}
