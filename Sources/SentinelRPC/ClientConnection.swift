public import SentinelWire

/// The client side of one connection as a state machine: calls out, responses matched back by request id.
///
/// It performs no I/O. The transport writes ``outbound`` (see ``consumeOutbound(_:)``) and feeds received bytes to
/// ``receive(_:)``. Ids start at 1 and strictly increase; responses may arrive in any order. Every method must be
/// called on ``loop``; completions are called there too.
///
/// States: `open` → `goingAway` (the server sent GOAWAY: calls above its last id fail UNAVAILABLE, no new calls)
/// → `closed` (every pending call has failed).
///
/// ```swift
/// let id = connection.startCall(.healthCheck, payload: [], timeout: .seconds(1)) { result in ... }
/// ```
public final class ClientConnection {
    /// A call's completion, called exactly once on the loop.
    public typealias Completion = (Result<[UInt8], RPCError>) -> Void

    private enum State {
        case open
        case goingAway
        case closed
    }

    private struct Pending {
        var completion: Completion
        var timer: TimerID?
    }

    /// The loop this connection is confined to.
    public let loop: any EventLoop
    private var decoder: FrameDecoder
    private var state = State.open
    private var nextID: UInt32 = 1
    private var pending: [UInt32: Pending] = [:]
    private var pings: [UInt32: (RPCError?) -> Void] = [:]
    private let peer: String
    private var terminalError: RPCError?
    /// Whether the peer has sent any byte on this connection: a deadline that passes before the first byte may
    /// mean the peer does not speak this protocol at all.
    private var heardFromPeer = false

    /// Bytes to send, in order.
    public private(set) var outbound: [UInt8] = []
    /// Called when output appears outside a call from the transport (a deadline's CANCEL); schedule a flush.
    public var onOutput: (() -> Void)?
    /// Set when the transport should close the socket (GOAWAY fully drained, or a protocol error).
    public private(set) var wantsClose = false

    /// Creates the state machine for a new connection; queues the HELLO frame when a token is given.
    /// - Parameters:
    ///   - loop: The loop the connection lives on.
    ///   - limits: Limits on received frames.
    ///   - token: The shared secret, if the server requires one.
    ///   - peer: The server's address, for error messages.
    public init(loop: any EventLoop, limits: FrameLimits = FrameLimits(), token: AuthToken? = nil, peer: String) {
        self.loop = loop
        self.decoder = FrameDecoder(limits: limits, detectHTTP: false)
        self.peer = peer
        if let token {
            FrameHeader(type: .hello).appendFrame(payload: token.bytes, to: &outbound)
        }
    }

    /// Whether new calls may start on this connection.
    public var acceptsCalls: Bool { state == .open && nextID < UInt32.max }
    /// The number of calls awaiting a response.
    public var pendingCount: Int { pending.count }

    /// Starts a call.
    /// - Parameters:
    ///   - method: The method.
    ///   - payload: The request bytes.
    ///   - timeout: The relative deadline sent to the server, also enforced here; `nil` for none.
    ///   - completion: Called once with the reply payload or the error.
    /// - Returns: The request id, for ``cancel(_:)``; `nil` when the connection takes no new calls (the completion
    ///   has then already been called with UNAVAILABLE).
    @discardableResult
    public func startCall(
        _ method: MethodID,
        payload: [UInt8],
        timeout: Duration?,
        completion: @escaping Completion
    ) -> UInt32? {
        guard acceptsCalls else {
            completion(.failure(terminalError ?? RPCError(.unavailable, "connection to \(peer) is closing")))
            return nil
        }
        guard payload.count <= Int(UInt32.max) else {
            completion(.failure(RPCError(.resourceExhausted, "request payload too large")))
            return nil
        }
        let id = nextID
        nextID += 1
        var call = Pending(completion: completion)
        if let timeout {
            let this = LoopBound(self, loop: loop)
            call.timer = loop.scheduleTimer(at: loop.now + timeout) {
                this.value.expire(id)
            }
        }
        pending[id] = call
        FrameHeader(
            type: .request, requestID: id, code: method.rawValue,
            timeoutMicroseconds: FrameHeader.timeoutField(timeout)
        ).appendFrame(payload: payload, to: &outbound)
        return id
    }

    /// Gives up on a call: sends CANCEL and completes it with CANCELLED. Unknown ids are ignored.
    public func cancel(_ id: UInt32) {
        guard let call = pending.removeValue(forKey: id) else { return }
        if let timer = call.timer { loop.cancelTimer(timer) }
        if state != .closed {
            FrameHeader(type: .cancel, requestID: id).append(to: &outbound)
        }
        call.completion(.failure(RPCError(.cancelled, "the call was cancelled")))
        closeIfDrained()
    }

    /// Sends a PING; `completion` runs with `nil` when the PONG arrives, or with the error if the connection closes
    /// first.
    public func ping(_ completion: @escaping (RPCError?) -> Void) {
        guard state != .closed else {
            completion(terminalError ?? RPCError(.unavailable, "connection to \(peer) closed"))
            return
        }
        let id = nextID
        nextID += 1
        pings[id] = completion
        FrameHeader(type: .ping, requestID: id).append(to: &outbound)
    }

    /// Removes the first `count` bytes of ``outbound`` after the transport wrote them.
    public func consumeOutbound(_ count: Int) {
        if count >= outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 1 << 20)
        } else {
            outbound.removeFirst(count)
        }
    }

    /// Lets `body` read received bytes straight into the decoder's buffer, then processes them.
    /// - Returns: What `body` returned (bytes read, 0 at end of stream, negative for none).
    @discardableResult
    public func fill(maximumCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        guard state != .closed else { return -1 }
        let count = decoder.fill(maximumCount: maximumCount, body)
        if count > 0 {
            heardFromPeer = true
            process()
        }
        return count
    }

    /// Processes received bytes.
    public func receive(_ bytes: UnsafeRawBufferPointer) {
        guard state != .closed, !bytes.isEmpty else { return }
        heardFromPeer = true
        decoder.append(bytes)
        process()
    }

    /// The connection ended: every pending call fails with `error` (UNAVAILABLE when `nil`).
    public func closed(_ error: RPCError? = nil) {
        guard state != .closed else { return }
        state = .closed
        wantsClose = true
        let failure = error ?? RPCError(.unavailable, "connection to \(peer) closed")
        terminalError = failure
        let calls = pending
        pending.removeAll()
        let waitingPings = pings
        pings.removeAll()
        for (_, ping) in waitingPings { ping(failure) }
        for (_, call) in calls.sorted(by: { $0.key < $1.key }) {
            if let timer = call.timer { loop.cancelTimer(timer) }
            call.completion(.failure(failure))
        }
    }

    private func process() {
        do {
            while state != .closed, let header = try decoder.decodeFrame() {
                handleFrame(header)
            }
        } catch  where error.code == .badMagic {
            closed(RPCError(.internal, Self.foreignPeer(peer, sent: decoder.peekBuffered(maximumCount: 64))))
        } catch {
            closed(RPCError(.internal, "protocol error from \(peer): \(error.message)"))
        }
    }

    /// What a peer that answered with something other than a frame is, named from its first bytes.
    /// - Parameters:
    ///   - peer: Its address.
    ///   - bytes: The first bytes it sent.
    /// - Returns: One line: an HTTP server with its status line, or the bytes it sent.
    static func foreignPeer(_ peer: String, sent bytes: [UInt8]) -> String {
        let line = bytes.prefix(while: { $0 != 0x0D && $0 != 0x0A })
        let printable = !line.isEmpty && line.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if printable, line.starts(with: Array("HTTP/".utf8)) {
            return
                "\(peer) is an HTTP server, not a Sentinel RPC port: it answered '\(String(decoding: line, as: UTF8.self))' "
                + "(a dashboard or metrics port? give the service's RPC port)"
        }
        let shown =
            printable
            ? "'\(String(decoding: line.prefix(40), as: UTF8.self))'"
            : bytes.prefix(8).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined(separator: " ")
        return "\(peer) is not a Sentinel service: it answered \(shown) instead of a Sentinel frame (magic \"SN\")"
    }

    private func handleFrame(_ header: FrameHeader) {
        switch header.type {
        case .response:
            guard let call = pending.removeValue(forKey: header.requestID) else { return }  // cancelled or expired
            if let timer = call.timer { loop.cancelTimer(timer) }
            if header.status == .ok {
                call.completion(.success(decoder.withPayload { Array($0) }))
            } else {
                let message = decoder.withPayload { String(decoding: $0, as: UTF8.self) }
                call.completion(.failure(RPCError(header.status, message)))
            }
            closeIfDrained()
        case .goAway:
            let message = decoder.withPayload { String(decoding: $0, as: UTF8.self) }
            let lastID = header.requestID
            state = .goingAway
            if header.status != .ok {
                // Authentication, protocol and limit errors: the server closes; nothing more will be answered.
                closed(RPCError(header.status, message))
                return
            }
            let refused = pending.keys.filter { $0 > lastID }.sorted()
            for id in refused {
                let call = pending.removeValue(forKey: id)!
                if let timer = call.timer { loop.cancelTimer(timer) }
                call.completion(.failure(RPCError(.unavailable, "server is shutting down: \(message)")))
            }
            closeIfDrained()
        case .ping:
            decoder.withPayload { payload in
                FrameHeader(type: .pong, requestID: header.requestID).appendFrame(payload: payload, to: &outbound)
            }
        case .pong:
            pings.removeValue(forKey: header.requestID)?(nil)
        default:
            break
        }
    }

    private func expire(_ id: UInt32) {
        guard let call = pending.removeValue(forKey: id) else { return }
        if state != .closed {
            FrameHeader(type: .cancel, requestID: id).append(to: &outbound)
        }
        let message =
            heardFromPeer
            ? "deadline exceeded"
            : "deadline exceeded: \(peer) accepted the connection but sent nothing back (is it a Sentinel RPC port? "
                + "an HTTP port waits silently for a request)"
        call.completion(.failure(RPCError(.deadlineExceeded, message)))
        closeIfDrained()
        onOutput?()
    }

    private func closeIfDrained() {
        if state == .goingAway && pending.isEmpty {
            wantsClose = true
        }
    }
}
