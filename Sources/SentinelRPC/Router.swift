public import SentinelWire

/// A synchronous handler: reads the request payload and appends its reply to `response`.
///
/// It runs on the connection's event loop, so it must be quick and never block (scoring one transaction, not
/// training a model). `request` is valid only during the call. Throw ``RPCError`` to answer with a status.
public typealias SyncHandler =
    @Sendable (_ context: RequestContext, _ request: UnsafeRawBufferPointer, _ response: inout [UInt8]) throws -> Void

/// An asynchronous handler: returns the reply payload.
///
/// It runs as a task on the connection's event loop (its `TaskExecutor`), so awaiting does not hop threads unless
/// it calls into an actor. It is cancelled when the deadline passes, the client cancels, or the connection closes.
public typealias AsyncHandler = @Sendable (_ context: RequestContext, _ request: [UInt8]) async throws -> [UInt8]

/// The table of methods a server serves, keyed by ``MethodID``.
///
/// ```swift
/// var router = Router()
/// router.register(.healthCheck) { _, _, response in response += [0x08, 0x01] }
/// router.registerAsync(.monitorSnapshot) { _, request in try await monitor.snapshot(request) }
/// ```
public struct Router: Sendable {
    /// A registered handler.
    enum Handler: Sendable {
        case sync(SyncHandler)
        case async(AsyncHandler)
    }

    private var table: [Handler?] = []

    /// Creates an empty router.
    public init() {}

    /// Registers a synchronous handler, run on the event loop.
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func register(_ method: MethodID, _ handler: @escaping SyncHandler) {
        insert(.sync(handler), for: method)
    }

    /// Registers an asynchronous handler, run as a task on the connection's event loop.
    /// - Parameters:
    ///   - method: The method; registering one twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func registerAsync(_ method: MethodID, _ handler: @escaping AsyncHandler) {
        insert(.async(handler), for: method)
    }

    /// The registered methods, in number order.
    public var methods: [MethodID] {
        table.indices.filter { table[$0] != nil }.map { MethodID(rawValue: UInt16($0)) }
    }

    /// The handler for a method, if any.
    func handler(for method: MethodID) -> Handler? {
        let index = Int(method.rawValue)
        return index < table.count ? table[index] : nil
    }

    private mutating func insert(_ handler: Handler, for method: MethodID) {
        let index = Int(method.rawValue)
        if index >= table.count {
            table.append(contentsOf: repeatElement(nil, count: index + 1 - table.count))
        }
        precondition(table[index] == nil, "\(method) is registered twice")
        table[index] = handler
    }
}
