/// The table of exact paths an ``HTTPServer`` serves; every route answers GET and HEAD.
///
/// A path not in the table gets 404; a known path with another method gets 405 with `Allow: GET, HEAD`.
///
/// ```swift
/// var router = HTTPRouter()
/// router.register("/healthz") { _ in HTTPResponse(status: .ok, text: "ok") }
/// router.registerAsync("/api/snapshot") { _ in await makeSnapshotResponse() }
/// ```
public struct HTTPRouter: Sendable {
    /// A synchronous handler: runs on the connection's event loop, so it must be quick and never block.
    public typealias SyncHandler = @Sendable (HTTPRequest) -> HTTPResponse
    /// An asynchronous handler: runs as a task on the connection's event loop (its `TaskExecutor`).
    public typealias AsyncHandler = @Sendable (HTTPRequest) async -> HTTPResponse

    /// A registered handler.
    enum Handler: Sendable {
        case sync(SyncHandler)
        case async(AsyncHandler)
    }

    /// What the router decided for a request.
    enum Decision: Sendable {
        case respond(HTTPResponse)
        case run(Handler)
    }

    private var table: [String: Handler] = [:]

    /// Creates an empty router.
    public init() {}

    /// Registers a synchronous handler for GET and HEAD on an exact path.
    /// - Parameters:
    ///   - path: Such as `/metrics`; registering a path twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func register(_ path: String, _ handler: @escaping SyncHandler) {
        insert(.sync(handler), for: path)
    }

    /// Registers an asynchronous handler for GET and HEAD on an exact path.
    /// - Parameters:
    ///   - path: Such as `/api/snapshot`; registering a path twice is a programming error and traps.
    ///   - handler: The handler.
    public mutating func registerAsync(_ path: String, _ handler: @escaping AsyncHandler) {
        insert(.async(handler), for: path)
    }

    /// The registered paths, sorted.
    public var paths: [String] { table.keys.sorted() }

    private mutating func insert(_ handler: Handler, for path: String) {
        precondition(path.hasPrefix("/"), "a route path starts with /")
        precondition(table[path] == nil, "the path \(path) is registered twice")
        table[path] = handler
    }

    /// Routes a request: a handler to run, or an error response.
    func decide(_ request: HTTPRequest) -> Decision {
        guard let handler = table[request.path] else {
            return .respond(HTTPResponse(status: .notFound, text: "no resource at \(request.path)"))
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse(
                status: .methodNotAllowed, text: "\(request.method) is not allowed here; use GET or HEAD")
            response.headers.append(HTTPHeader(name: "Allow", value: "GET, HEAD"))
            return .respond(response)
        }
        return .run(handler)
    }
}
