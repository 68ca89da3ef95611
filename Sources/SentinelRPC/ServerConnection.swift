import SentinelWire

/// The server side of one connection as a state machine: bytes in, frames decoded, handlers run, bytes out.
///
/// It performs no I/O. A transport feeds it received bytes (``receive(_:)`` or ``fill(maximumCount:_:)``), writes
/// out what accumulates in ``outbound`` (``takeOutbound(into:)``), and closes the socket once ``wantsClose`` is set
/// and the output is flushed. Every method must be called on ``loop``.
///
/// States: `awaitingHello` (a token is configured) → `open` → `draining` (GOAWAY sent; new requests get
/// UNAVAILABLE; closes when nothing is in flight) → `closed`. Any protocol error goes straight to `closed` after
/// queueing the answer PROTOCOL.md prescribes.
///
/// ```swift
/// let connection = ServerConnection(router: router, configuration: configuration, loop: loop)
/// connection.onOutput = { markDirty() }
/// connection.receive(bytes)
/// ```
public final class ServerConnection {
    private enum State {
        case awaitingHello
        case open
        case draining
        case closed
    }

    /// An async request that has not answered yet.
    private struct InFlight {
        var serial: UInt64
        var context: RequestContext
        var task: Task<Void, Never>?
        var timer: TimerID?
        /// The deadline passed and the handler was cancelled; its outcome decides the answer.
        var expired = false
    }

    /// How long a handler cancelled at its deadline may take to return before it is answered DEADLINE_EXCEEDED
    /// without its outcome.
    static let expiryGrace: Duration = .seconds(1)

    /// The loop this connection is confined to.
    public let loop: any EventLoop
    private let router: Router
    private let configuration: ServerConfiguration
    private var decoder: FrameDecoder
    private var state: State
    private var inFlight: [UInt32: InFlight] = [:]
    private var nextSerial: UInt64 = 0
    private var highestRequestID: UInt32 = 0
    private var scratch: [UInt8] = []
    private var lastActivity: ContinuousClock.Instant
    private var partialFrameSince: ContinuousClock.Instant?
    /// When the connection opened, until its first complete frame (the handshake timeout runs from here).
    private var awaitingFirstFrameSince: ContinuousClock.Instant?
    private var sweepTimer: TimerID?
    private let tracker: TaskTracker?

    /// Bytes to send, in order. A transport writes a prefix and removes it with ``consumeOutbound(_:)``.
    public private(set) var outbound: [UInt8] = []
    /// Set when the connection should close once ``outbound`` is flushed.
    public private(set) var wantsClose = false
    /// Called when output appears outside a ``receive(_:)`` call (async completion, timer); the transport
    /// schedules a flush. Also called when ``wantsClose`` becomes true that way.
    public var onOutput: (() -> Void)?

    /// Creates the state machine for a freshly accepted connection and starts its timeout checks.
    /// - Parameters:
    ///   - router: The methods served.
    ///   - configuration: Limits, timeouts and the optional token.
    ///   - loop: The loop the connection lives on; the caller is on it.
    ///   - tracker: Counts the async handler tasks, for shutdown to wait on; optional.
    public init(router: Router, configuration: ServerConfiguration, loop: any EventLoop, tracker: TaskTracker? = nil) {
        self.tracker = tracker
        self.router = router
        self.configuration = configuration
        self.loop = loop
        self.decoder = FrameDecoder(limits: configuration.limits, detectHTTP: true)
        self.state = configuration.authToken == nil ? .open : .awaitingHello
        self.lastActivity = loop.now
        self.awaitingFirstFrameSince = loop.now
        scheduleSweep()
    }

    /// The number of async requests running.
    public var inFlightCount: Int { inFlight.count }

    /// Lets `body` read received bytes straight into the decoder's buffer, then processes them.
    /// - Parameters:
    ///   - maximumCount: The room to offer.
    ///   - body: Fills the buffer; returns the byte count, 0 at end of stream, or negative when nothing was read.
    /// - Returns: What `body` returned.
    @discardableResult
    public func fill(maximumCount: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int) -> Int {
        guard state != .closed else { return -1 }
        let count = decoder.fill(maximumCount: maximumCount, body)
        if count > 0 { process() }
        return count
    }

    /// Processes received bytes.
    /// - Parameter bytes: The bytes, in stream order.
    public func receive(_ bytes: UnsafeRawBufferPointer) {
        guard state != .closed, !bytes.isEmpty else { return }
        decoder.append(bytes)
        process()
    }

    /// The peer closed its side: stops all work. A partial frame is dropped (there is no one to answer).
    public func inputClosed() {
        close()
    }

    /// Starts graceful shutdown: sends GOAWAY naming the last accepted request id; in-flight requests finish
    /// (until ``cancelInFlight()``), new ones get UNAVAILABLE, and the connection closes when idle.
    public func beginGracefulShutdown() {
        guard state == .open || state == .awaitingHello else { return }
        if state == .awaitingHello {
            close(because: .shutdown)
            return
        }
        state = .draining
        appendGoAway(.ok, "server is shutting down")
        closeIfDrained()
        onOutput?()
    }

    /// Cancels every in-flight request (end of the shutdown grace period); they answer CANCELLED... or not at all,
    /// since the connection then closes.
    public func cancelInFlight() {
        close(because: .shutdown)
        onOutput?()
    }

    /// Removes the first `count` bytes of ``outbound`` after the transport wrote them.
    public func consumeOutbound(_ count: Int) {
        if count > 0 { lastActivity = loop.now }
        if count >= outbound.count {
            outbound.removeAll(keepingCapacity: outbound.capacity <= 1 << 20)
        } else {
            outbound.removeFirst(count)
        }
    }

    /// Moves every pending output byte to the end of `buffer`.
    public func takeOutbound(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: outbound)
        consumeOutbound(outbound.count)
    }

    /// Stops all work: cancels tasks and timers. Queued output stays for a final flush.
    public func close() {
        close(because: nil)
    }

    /// Why the server closed the connection, or `nil` when it has not or the peer did.
    public private(set) var closeReason: DisconnectReason?

    /// Closes the connection, remembering why (the first reason given wins).
    /// - Parameter reason: The server's reason, or `nil` (the peer closed or went away).
    public func close(because reason: DisconnectReason?) {
        guard state != .closed else { return }
        closeReason = reason
        state = .closed
        wantsClose = true
        for (_, request) in inFlight {
            request.task?.cancel()
            if let timer = request.timer { loop.cancelTimer(timer) }
        }
        inFlight.removeAll()
        if let sweepTimer { loop.cancelTimer(sweepTimer) }
        sweepTimer = nil
    }

    // MARK: Frames

    private func process() {
        let now = loop.now
        lastActivity = now
        var decodedAny = false
        do {
            while state != .closed, let header = try decoder.decodeFrame() {
                decodedAny = true
                awaitingFirstFrameSince = nil
                handleFrame(header, now: now)
            }
        } catch {
            handleWireError(error)
            return
        }
        if decoder.bufferedByteCount == 0 {
            partialFrameSince = nil
        } else if decodedAny || partialFrameSince == nil {
            partialFrameSince = now
        }
    }

    private func handleWireError(_ error: WireError) {
        switch error.code {
        case .httpRequest:
            outbound.append(contentsOf: Array(Self.httpAnswer.utf8))
        case .frameTooLarge:
            if let header = error.header, header.type == .request {
                appendResponse(requestID: header.requestID, error: RPCError(.resourceExhausted, error.message))
            }
            appendGoAway(.resourceExhausted, error.message)
        case .unsupportedVersion:
            appendGoAway(.unimplemented, error.message)
        default:
            break  // Bad magic: not our protocol, so nothing we could send would be understood.
        }
        close(because: error.code == .frameTooLarge ? .frameTooLarge : .protocolError)
    }

    /// The one line an HTTP client gets before the connection closes.
    public static let httpAnswer =
        "This port speaks Sentinel RPC (length-prefixed binary frames, see PROTOCOL.md), not HTTP.\n"

    private func handleFrame(_ header: FrameHeader, now: ContinuousClock.Instant) {
        if state == .awaitingHello {
            guard header.type == .hello else {
                if header.type == .request {
                    appendResponse(
                        requestID: header.requestID, error: RPCError(.unauthenticated, "authentication required"))
                }
                appendGoAway(.unauthenticated, "authentication required: send HELLO with the token first")
                close(because: .unauthenticated)
                return
            }
            let accepted = decoder.withPayload { configuration.authToken?.matches($0) ?? true }
            guard accepted else {
                appendGoAway(.unauthenticated, "invalid token")
                close(because: .unauthenticated)
                return
            }
            state = .open
            return
        }
        switch header.type {
        case .request:
            handleRequest(header, now: now)
        case .cancel:
            if let request = inFlight.removeValue(forKey: header.requestID) {
                request.task?.cancel()
                if let timer = request.timer { loop.cancelTimer(timer) }
                closeIfDrained()
            }
        case .ping:
            decoder.withPayload { payload in
                FrameHeader(type: .pong, requestID: header.requestID).appendFrame(payload: payload, to: &outbound)
            }
        default:
            break  // HELLO after authentication, PONG, unknown types: ignored (PROTOCOL.md, "Versioning").
        }
    }

    private func handleRequest(_ header: FrameHeader, now: ContinuousClock.Instant) {
        let id = header.requestID
        guard id != 0, inFlight[id] == nil else {
            let reason = id == 0 ? "request id 0 is reserved" : "request id \(id) is already in flight"
            appendGoAway(.invalidArgument, reason)
            close(because: .protocolError)
            return
        }
        let method = header.method
        let context = RequestContext(
            requestID: id, method: method, deadline: header.timeout.map { now + $0 }, receivedAt: now)
        guard state == .open else {
            refuse(context, RPCError(.unavailable, "server is shutting down"))
            return
        }
        highestRequestID = max(highestRequestID, id)
        // A request read in the same batch as slow ones may reach its turn after its deadline: no work starts then.
        if let deadline = context.deadline, loop.now >= deadline {
            refuse(context, RPCError(.deadlineExceeded, "deadline exceeded before the request was handled"))
            return
        }
        switch router.handler(for: method) {
        case .none, .sync:
            // The router decodes, runs the handler, maps its error and reports the outcome.
            scratch.removeAll(keepingCapacity: true)
            do throws(RPCError) {
                try decoder.withPayload { payload throws(RPCError) in
                    try router.handleSynchronously(context, payload, into: &scratch)
                }
                appendOK(requestID: id, payload: scratch)
            } catch {
                appendResponse(requestID: id, error: error)
            }
        case .async(let handler):
            guard inFlight.count < configuration.maximumInFlightPerConnection else {
                refuse(
                    context,
                    RPCError(
                        .resourceExhausted,
                        "too many requests in flight (limit \(configuration.maximumInFlightPerConnection))"))
                return
            }
            startAsync(handler, context: context, payload: decoder.withPayload { Array($0) })
        }
    }

    /// Answers a request with an error, and reports it.
    private func refuse(_ context: RequestContext, _ error: RPCError) {
        router.report(context, error.code)
        appendResponse(requestID: context.requestID, error: error)
    }

    private func startAsync(_ handler: @escaping RawAsyncHandler, context: RequestContext, payload: [UInt8]) {
        let id = context.requestID
        nextSerial += 1
        let serial = nextSerial
        let this = LoopBound(self, loop: loop)
        var request = InFlight(serial: serial, context: context)
        if let deadline = context.deadline {
            request.timer = loop.scheduleTimer(at: deadline) {
                this.value.expire(requestID: id, serial: serial)
            }
        }
        inFlight[id] = request
        let tracker = self.tracker
        tracker?.begin()
        let task = Task(executorPreference: loop) {
            defer { tracker?.end() }
            let result: Result<[UInt8], RPCError>
            do {
                result = .success(try await handler(context, payload))
            } catch {
                result = .failure(RPCError.fromHandler(error))
            }
            this.withValue { $0.complete(requestID: id, serial: serial, result: result) }
        }
        inFlight[id]?.task = task
    }

    private func complete(requestID: UInt32, serial: UInt64, result: Result<[UInt8], RPCError>) {
        guard let request = inFlight[requestID], request.serial == serial else { return }
        inFlight[requestID] = nil
        if let timer = request.timer { loop.cancelTimer(timer) }
        switch result {
        case .success(let payload):
            // Also after the deadline: the handler finished work it could no longer undo (a reload past its
            // commit point, a durable batch), and the answer says so.
            router.report(request.context, .ok)
            appendOK(requestID: requestID, payload: payload)
        case .failure where request.expired:
            refuse(request.context, RPCError(.deadlineExceeded, "deadline exceeded"))
        case .failure(let error):
            refuse(request.context, error)
        }
        closeIfDrained()
        onOutput?()
    }

    /// The deadline passed: the handler is cancelled, and the answer waits for its outcome (DEADLINE_EXCEEDED,
    /// unless it had already done what it cannot undo) for at most ``expiryGrace``.
    private func expire(requestID: UInt32, serial: UInt64) {
        guard var request = inFlight[requestID], request.serial == serial, !request.expired else { return }
        request.expired = true
        request.task?.cancel()
        let this = LoopBound(self, loop: loop)
        request.timer = loop.scheduleTimer(at: loop.now + Self.expiryGrace) {
            this.value.abandon(requestID: requestID, serial: serial)
        }
        inFlight[requestID] = request
    }

    /// A handler that ignored its cancellation: answered DEADLINE_EXCEEDED; its late outcome is dropped.
    private func abandon(requestID: UInt32, serial: UInt64) {
        guard let request = inFlight[requestID], request.serial == serial else { return }
        inFlight[requestID] = nil
        refuse(request.context, RPCError(.deadlineExceeded, "deadline exceeded"))
        closeIfDrained()
        onOutput?()
    }

    private func closeIfDrained() {
        if state == .draining && inFlight.isEmpty { close(because: .shutdown) }
    }

    // MARK: Output

    private func appendOK(requestID: UInt32, payload: [UInt8]) {
        guard payload.count <= configuration.limits.maximumPayloadSize else {
            // The client would reject the frame and drop the connection; say what happened instead.
            let error = RPCError(
                .resourceExhausted,
                "response of \(payload.count) bytes exceeds the limit of \(configuration.limits.maximumPayloadSize)")
            appendResponse(requestID: requestID, error: error)
            return
        }
        FrameHeader(type: .response, requestID: requestID, code: StatusCode.ok.rawValue)
            .appendFrame(payload: payload, to: &outbound)
    }

    private func appendResponse(requestID: UInt32, error: RPCError) {
        FrameHeader(type: .response, requestID: requestID, code: error.code.rawValue)
            .appendFrame(payload: error.message.utf8, to: &outbound)
    }

    private func appendGoAway(_ status: StatusCode, _ message: String) {
        FrameHeader(type: .goAway, requestID: highestRequestID, code: status.rawValue)
            .appendFrame(payload: message.utf8, to: &outbound)
    }

    // MARK: Timeouts

    private func scheduleSweep() {
        let shortest = min(configuration.idleTimeout, configuration.frameReadTimeout, configuration.handshakeTimeout)
        let interval = min(max(shortest / 4, .milliseconds(5)), .seconds(1))
        let this = LoopBound(self, loop: loop)
        sweepTimer = loop.scheduleTimer(at: loop.now + interval) { this.value.sweep() }
    }

    private func sweep() {
        sweepTimer = nil
        guard state != .closed else { return }
        let now = loop.now
        if let since = awaitingFirstFrameSince, now - since >= configuration.handshakeTimeout {
            appendGoAway(.deadlineExceeded, "no complete frame within \(configuration.handshakeTimeout)")
            close(because: .handshakeTimeout)
            onOutput?()
            return
        }
        if let since = partialFrameSince, now - since >= configuration.frameReadTimeout {
            appendGoAway(.deadlineExceeded, "frame not completed within \(configuration.frameReadTimeout)")
            close(because: .frameTimeout)
            onOutput?()
            return
        }
        if inFlight.isEmpty, decoder.bufferedByteCount == 0, outbound.isEmpty,
            now - lastActivity >= configuration.idleTimeout
        {
            appendGoAway(.ok, "idle timeout")
            close(because: .idleTimeout)
            onOutput?()
            return
        }
        if !outbound.isEmpty, now - lastActivity >= configuration.idleTimeout {
            // Answers nobody reads, and (reading paused behind them) nothing new arriving: the peer is stuck or
            // hostile, and holds a connection slot and its buffered output.
            close(because: .slowReader)
            onOutput?()
            return
        }
        scheduleSweep()
    }
}
