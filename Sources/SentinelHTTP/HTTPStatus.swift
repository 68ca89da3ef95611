/// An HTTP status code with its reason phrase.
///
/// ```swift
/// let response = HTTPResponse(status: .notFound, text: "no route for /x")
/// ```
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit code.
    public var code: Int
    /// The reason phrase sent on the status line.
    public var reason: String

    /// Creates a status.
    /// - Parameters:
    ///   - code: The three-digit code, 100…599.
    ///   - reason: The reason phrase.
    public init(code: Int, reason: String) {
        precondition((100...599).contains(code), "HTTP status codes are three digits")
        self.code = code
        self.reason = reason
    }

    /// 200 OK.
    public static let ok = HTTPStatus(code: 200, reason: "OK")
    /// 400 Bad Request: the request is malformed.
    public static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    /// 404 Not Found: no route for the path.
    public static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    /// 405 Method Not Allowed: the server serves only GET and HEAD.
    public static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    /// 408 Request Timeout: the request head did not arrive in time.
    public static let requestTimeout = HTTPStatus(code: 408, reason: "Request Timeout")
    /// 413 Content Too Large: the request body is over the limit.
    public static let contentTooLarge = HTTPStatus(code: 413, reason: "Content Too Large")
    /// 414 URI Too Long: the request line is over the limit.
    public static let uriTooLong = HTTPStatus(code: 414, reason: "URI Too Long")
    /// 431 Request Header Fields Too Large: the header section is over the limit.
    public static let headersTooLarge = HTTPStatus(code: 431, reason: "Request Header Fields Too Large")
    /// 500 Internal Server Error.
    public static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    /// 501 Not Implemented: a request feature the server does not support (chunked request bodies).
    public static let notImplemented = HTTPStatus(code: 501, reason: "Not Implemented")
    /// 503 Service Unavailable: too many connections, shutting down, or the data is not available yet.
    public static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")
    /// 505 HTTP Version Not Supported: only HTTP/1.0 and HTTP/1.1 are served.
    public static let versionNotSupported = HTTPStatus(code: 505, reason: "HTTP Version Not Supported")

    /// `CODE REASON`.
    public var description: String { "\(code) \(reason)" }
}
