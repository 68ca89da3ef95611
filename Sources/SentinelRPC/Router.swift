public import SentinelWire

/// A raw synchronous handler: reads the request payload in place and appends its reply to `response`.
///
/// For the few methods that must not decode into values (ScoreBatch reads its transactions where protobuf-c
/// unpacked them). It runs on the connection's event loop, so it must be quick and never block. `request` is valid
/// only during the call.
public typealias RawHandler =
    @Sendable (_ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8]) throws -> Void

/// A raw asynchronous handler: returns the reply payload.
public typealias RawAsyncHandler = @Sendable (_ context: RequestContext, _ request: [UInt8]) async throws -> [UInt8]

/// The table of methods a server serves, keyed by ``MethodID``, and the one place requests are decoded, errors
/// mapped to statuses and outcomes reported.
///
/// A typed handler takes the decoded request and returns the response; a payload that does not decode is answered
/// INVALID_ARGUMENT (`malformed <message>: <reason>`) before the handler runs. A thrown error becomes the response's
/// status: ``RPCError`` as is, ``RPCErrorConvertible`` through its ``RPCErrorConvertible/rpcError``, anything else
/// INTERNAL. Synchronous handlers run on the connection's event loop (quick work: scoring a transaction);
/// asynchronous ones run as a task on that loop's executor and are cancelled at their deadline, on CANCEL or when
/// the connection closes.
///
/// ```swift
/// var router = Router()
/// router.register(.scoringModelInfo) { (request: ModelInfoRequest, context) -> ModelInfoResponse in
///     try service.modelInfo(request, context)
/// }
/// router.registerAsync(.monitorSnapshot) { (request: MonitorSnapshotRequest, _) in await monitor.snapshot(request) }
/// router.observer = { context, status in counters.count(context.method, status) }
/// ```
public struct Router: Sendable {
    /// A registered handler.
    @usableFromInline
    enum Handler: Sendable {
        case sync(RawHandler)
        case async(RawAsyncHandler)
    }

    @usableFromInline
    var table: [Handler?] = []

    /// Called once for every request the server answers, with its context and the status sent (OK included), on
    /// the connection's event loop as the answer is queued: the place for request counters and durations
    /// (`ContinuousClock.now - context.receivedAt`). It must be quick.
    public var observer: (@Sendable (RequestContext, StatusCode) -> Void)?

    /// Creates an empty router.
    public init() {}

    // MARK: Registration

    // The typed registrations are inlinable so that the decoding closure is specialised for the message types in
    // the caller's module instead of going through generic witness tables on every request.

    /// Registers a typed synchronous handler, run on the event loop.
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: Answers a decoded request.
    @inlinable
    public mutating func register<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodID, _ handler: @escaping @Sendable (Request, RequestContext) throws -> Response
    ) {
        insert(
            .sync { context, payload, response in
                let request = try Self.decode(Request.self, payload)
                try handler(request, context).serialize(into: &response)
            }, for: method)
    }

    /// Registers a typed asynchronous handler, run as a task on the connection's event loop.
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: Answers a decoded request.
    @inlinable
    public mutating func registerAsync<Request: RPCMessage, Response: RPCMessage>(
        _ method: MethodID, _ handler: @escaping @Sendable (Request, RequestContext) async throws -> Response
    ) {
        insert(
            .async { context, payload in
                let request = try payload.withUnsafeBytes { try Self.decode(Request.self, $0) }
                var response: [UInt8] = []
                try await handler(request, context).serialize(into: &response)
                return response
            }, for: method)
    }

    /// Registers a raw synchronous handler that reads the payload itself (see ``RawHandler``).
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func registerRaw(_ method: MethodID, _ handler: @escaping RawHandler) {
        insert(.sync(handler), for: method)
    }

    /// Registers a raw asynchronous handler that reads the payload itself.
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func registerRawAsync(_ method: MethodID, _ handler: @escaping RawAsyncHandler) {
        insert(.async(handler), for: method)
    }

    /// The registered methods, in number order.
    public var methods: [MethodID] {
        table.indices.filter { table[$0] != nil }.map { MethodID(rawValue: UInt16($0)) }
    }

    // MARK: Dispatch

    /// Runs a synchronous method's handler as the event loop does: appends the reply to `response`, or throws the
    /// status the client gets; reports the outcome to ``observer`` either way.
    /// - Parameters:
    ///   - context: The call (its `method` selects the handler).
    ///   - payload: The request payload.
    ///   - response: Receives the reply payload.
    /// - Throws: The ``RPCError`` to answer with: the handler's mapped error, UNIMPLEMENTED for an unknown method,
    ///   INTERNAL for an asynchronous one.
    public func handleSynchronously(
        _ context: RequestContext, _ payload: UnsafeRawBufferPointer, into response: inout [UInt8]
    ) throws(RPCError) {
        guard case .sync(let handler) = handler(for: context.method) else {
            let error =
                handler(for: context.method) == nil
                ? RPCError(.unimplemented, "unknown method \(context.method.rawValue)")
                : RPCError(.internal, "method \(context.method.rawValue) is asynchronous")
            report(context, error.code)
            throw error
        }
        do {
            try handler(context, payload, &response)
        } catch {
            let mapped = RPCError.fromHandler(error)
            report(context, mapped.code)
            throw mapped
        }
        report(context, .ok)
    }

    /// Tells ``observer`` that a request was answered.
    /// - Parameters:
    ///   - context: The call.
    ///   - status: The status sent.
    public func report(_ context: RequestContext, _ status: StatusCode) {
        observer?(context, status)
    }

    /// The handler for a method, if any.
    func handler(for method: MethodID) -> Handler? {
        let index = Int(method.rawValue)
        return index < table.count ? table[index] : nil
    }

    /// Decodes a request, or throws INVALID_ARGUMENT naming the message and the reason (or the status a decoding
    /// error that is ``RPCErrorConvertible`` chooses, such as RESOURCE_EXHAUSTED).
    @inlinable
    static func decode<Message: RPCMessage>(_ type: Message.Type, _ payload: UnsafeRawBufferPointer) throws(RPCError)
        -> Message
    {
        do {
            return try Message(serializedBytes: payload)
        } catch let error as any RPCErrorConvertible where error.rpcError.code != .invalidArgument {
            throw error.rpcError  // Well-formed but refused, such as a message too costly to unpack.
        } catch {
            throw RPCError(.invalidArgument, "malformed \(Message.protoName): \(error)")
        }
    }

    @usableFromInline
    mutating func insert(_ handler: Handler, for method: MethodID) {
        let index = Int(method.rawValue)
        if index >= table.count {
            table.append(contentsOf: repeatElement(nil, count: index + 1 - table.count))
        }
        precondition(table[index] == nil, "\(method) is registered twice")
        table[index] = handler
    }
}
