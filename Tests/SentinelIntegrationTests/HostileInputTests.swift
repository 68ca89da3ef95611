import Foundation
import SentinelPosix
import SentinelRPC
import SentinelSchema
import SentinelTestSupport
import SentinelWire
import Testing

/// Hostile input against the real `sentinel-api` process: each bad connection gets its documented answer or close,
/// a well-behaved client is served throughout, every refusal is counted by reason, resident memory stays under
/// 2 × its baseline + 4 × the largest frame, and open descriptors return to their baseline (read from `/proc`).
@Suite(
    "hostile input on the API's RPC port, as a process", .serialized,
    .enabled(if: RunningService.apiAvailable, "sentinel-api is not built"))
struct HostileInputTests {
    /// Open descriptors of a process.
    static func openFDs(_ pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    /// Resident memory of a process, bytes.
    static func residentBytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { return 0 }
        return kilobytes * 1024
    }

    /// Whether this build (the tests and the `sentinel-api` built beside them) runs under AddressSanitizer, whose
    /// runtime exports `__asan_init`.
    static let underAddressSanitizer = dlsym(nil, "__asan_init") != nil

    /// Sends `bytes` on a fresh connection and reads until the server closes it (or 5 s pass).
    static func exchange(_ port: UInt16, _ bytes: [UInt8]) async throws -> (frames: [FrameHeader], closed: Bool) {
        try await offPool { () throws -> (frames: [FrameHeader], closed: Bool) in
            let socket = try LoopbackSocket(port: port)
            socket.sendAll(bytes)
            let (answer, closed) = socket.receiveToEnd()
            var frames: [FrameHeader] = []
            var offset = 0
            while answer.count - offset >= FrameHeader.size {
                let header = try answer[offset..<(offset + FrameHeader.size)].withUnsafeBytes {
                    try FrameHeader.parse($0)
                }
                frames.append(header)
                offset += FrameHeader.size + Int(header.payloadLength)
            }
            return (frames, closed)
        }.get()
    }

    static func request(_ id: UInt32, _ method: MethodID, _ payload: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        FrameHeader(type: .request, payloadLength: UInt32(payload.count), requestID: id, code: method.rawValue)
            .appendFrame(payload: payload, to: &bytes)
        return bytes
    }

    /// One Score of a valid transaction on a fresh connection: the well-behaved client.
    static func scoreOnce(_ api: RunningService) async throws -> Bool {
        try await TCPClient.withClient(address: ScoringAPITests.address(api)) { client in
            let reply = try await client.call(
                .scoringScore,
                payload: ScoreRequest(transaction: ScoringAPITests.transaction(row: 3)).serializedBytes(),
                timeout: .seconds(5))
            return (try? ScoreResponse(serializedBytes: reply)) != nil
        }
    }

    @Test("bad frames, floods and stalls: documented answers, others served, memory and descriptors bounded")
    func hostile() async throws {
        let api = try await RunningService.startAPI(
            model: APIModels.firstPath,
            arguments: ["--max-connections", "64", "--handshake-timeout", "0.5", "--idle-timeout", "1"])
        let pid = api.process.processIdentifier
        #expect(try await Self.scoreOnce(api))
        let baselineFDs = Self.openFDs(pid)
        let baselineRSS = Self.residentBytes(pid)
        let port = api.port

        // Bad magic: closed at once, nothing sent.
        let magic = try await Self.exchange(port, Array("XX not our protocol at all".utf8))
        #expect(magic.frames.isEmpty && magic.closed)
        // A declared length of 4 GiB: RESPONSE and GOAWAY RESOURCE_EXHAUSTED, then close, before any payload.
        var huge: [UInt8] = []
        FrameHeader(type: .request, payloadLength: .max, requestID: 7, code: MethodID.scoringScore.rawValue)
            .append(to: &huge)
        let tooLarge = try await Self.exchange(port, huge)
        #expect(tooLarge.frames.map(\.type) == [.response, .goAway] && tooLarge.closed)
        #expect(tooLarge.frames.first?.status == .resourceExhausted)
        // Request id 0: GOAWAY INVALID_ARGUMENT.
        let zero = try await Self.exchange(port, Self.request(0, .scoringScore, []))
        #expect(zero.frames.last?.type == .goAway && zero.frames.last?.status == .invalidArgument)
        // A zero-length and an unknown method: answered, the connection stays usable (closed by idle later).
        let unknown = try await Self.exchange(
            port, Self.request(1, MethodID(rawValue: 999), []) + Self.request(2, .scoringScore, []))
        #expect(unknown.frames.first?.status == .unimplemented)
        #expect(unknown.frames.dropFirst().first?.status == .invalidArgument)
        // Pathological protobuf inside the limit: 2 M empty transactions (refused on the wire count), a varint of
        // 10 bytes, deep nesting of unknown groups.
        let empties = [UInt8]((0..<2_000_000).flatMap { _ in [UInt8(0x0A), 0] })
        // A PING first completes the handshake within its 0.5 s, whatever the 4 MiB frame then takes to arrive.
        var ping: [UInt8] = []
        FrameHeader(type: .ping, requestID: 1).appendFrame(payload: [], to: &ping)
        let flood = try await Self.exchange(port, ping + Self.request(3, .scoringScoreBatch, empties))
        #expect(flood.frames.first { $0.type == .response }?.status == .invalidArgument, "\(flood.frames)")
        let varint = try await Self.exchange(
            port, Self.request(4, .scoringScore, [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01]))
        #expect(varint.frames.first?.status == .invalidArgument)
        let nested = [UInt8](repeating: 0x0A, count: 1) + [UInt8]((0..<10_000).flatMap { _ in [UInt8(0x0B)] })
        let deep = try await Self.exchange(port, Self.request(5, .scoringScore, nested))
        #expect(deep.frames.first?.status == .invalidArgument)
        // Random bytes after a valid header.
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let random = try await Self.exchange(port, Self.request(6, .scoringScore, noise))
        #expect(random.frames.first?.status == .invalidArgument)
        // HTTP request smuggling on the RPC port: one plain-text line, then close.
        let http = try await offPool { () throws -> String in
            let socket = try LoopbackSocket(port: port)
            socket.sendAll(
                Array(
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                        .utf8))
            return String(decoding: socket.receiveToEnd().bytes, as: UTF8.self)
        }.get()
        #expect(http.hasPrefix("This port speaks Sentinel RPC"))

        // 100 silent connections against a cap of 64: the 36 over it get GOAWAY RESOURCE_EXHAUSTED at once; the rest
        // are closed with GOAWAY DEADLINE_EXCEEDED at the 0.5 s handshake timeout.
        let silent = try (0..<100).map { _ in try LoopbackSocket(port: port) }
        let answers = try await offPool { silent.map { $0.receiveToEnd() } }.get()
        let statuses = try answers.map { answer -> StatusCode? in
            guard answer.bytes.count >= FrameHeader.size else { return nil }
            return try answer.bytes[0..<FrameHeader.size].withUnsafeBytes { try FrameHeader.parse($0) }.status
        }
        #expect(statuses.filter { $0 == .resourceExhausted }.count >= 36, "\(statuses)")
        #expect(statuses.allSatisfy { $0 == .resourceExhausted || $0 == .deadlineExceeded }, "\(statuses)")
        #expect(answers.allSatisfy { $0.closed })
        // A byte a second: closed at the frame-read timeout (here the handshake one comes first).
        let trickle = try await offPool { () throws -> Bool in
            let socket = try LoopbackSocket(port: port)
            socket.sendAll([0x53])
            return socket.receiveToEnd().closed
        }.get()
        #expect(trickle)
        // The well-behaved client is served after all of it.
        #expect(try await Self.scoreOnce(api))

        // Descriptors return to the baseline; memory stays bounded.
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.openFDs(pid) > baselineFDs && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(Self.openFDs(pid) <= baselineFDs, "fds \(Self.openFDs(pid)) against \(baselineFDs)")
        let limit = 2 * baselineRSS + 4 * 4 * 1024 * 1024
        // Under AddressSanitizer freed memory waits in its quarantine (256 MiB) instead of returning to the
        // allocator, so the resident size measures the sanitizer, not the server.
        if !Self.underAddressSanitizer {
            #expect(Self.residentBytes(pid) < limit, "RSS \(Self.residentBytes(pid)) against \(limit)")
        }

        print(
            "hostile-input: fds \(baselineFDs) -> \(Self.openFDs(pid)), RSS \(baselineRSS / 1024) -> "
                + "\(Self.residentBytes(pid) / 1024) KiB (limit \(limit / 1024) KiB)")
        // Every refusal was counted by reason.
        let metrics = try await httpGet(port: api.httpPort, path: "/metrics").body
        func disconnects(_ reason: String) -> Double {
            OperationsTests.sample(metrics, "sentinel_rpc_disconnects_total{reason=\"\(reason)\"}") ?? 0
        }
        #expect(disconnects("connection_limit") >= 36)
        #expect(disconnects("handshake_timeout") >= 1)
        #expect(disconnects("frame_too_large") == 1)
        #expect(disconnects("protocol_error") >= 3, "bad magic, id 0, HTTP")
        #expect(api.log.contains("\"msg\":\"connection closed\",\"reason\":\"connection_limit\""))
        #expect(await api.terminate() == 0)
    }

    @Test("--max-connections-per-peer: one connection over it from the same address is refused, and counted")
    func perPeerLimit() async throws {
        let api = try await RunningService.startAPI(
            model: APIModels.firstPath, arguments: ["--max-connections-per-peer", "2"])
        let held = try (0..<2).map { _ in try LoopbackSocket(port: api.port) }
        let third = try await offPool { () throws -> (bytes: [UInt8], closed: Bool) in
            try LoopbackSocket(port: api.port).receiveToEnd()
        }.get()
        try #require(third.bytes.count >= FrameHeader.size)
        let header = try third.bytes[0..<FrameHeader.size].withUnsafeBytes { try FrameHeader.parse($0) }
        #expect(header.type == .goAway && header.status == .resourceExhausted)
        #expect(
            String(decoding: third.bytes[FrameHeader.size...], as: UTF8.self)
                == "connection limit of 2 per peer address reached")
        #expect(third.closed)
        // Freeing a slot lets the address in again.
        shutdown(held[0].fd, Int32(SHUT_RDWR))
        let deadline = ContinuousClock.now + .seconds(5)
        var served = false
        while !served && ContinuousClock.now < deadline {
            served = (try? await Self.scoreOnce(api)) ?? false
        }
        #expect(served)
        _ = held
        let metrics = try await httpGet(port: api.httpPort, path: "/metrics").body
        #expect(OperationsTests.sample(metrics, "sentinel_rpc_disconnects_total{reason=\"peer_limit\"}") ?? 0 >= 1)
        #expect(await api.terminate() == 0)
    }
}
