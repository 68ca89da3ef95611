/// A complete HTTP response; the server always sends it with a Content-Length.
///
/// ```swift
/// HTTPResponse(status: .ok, contentType: "application/json", body: Array(json.utf8))
/// HTTPResponse(status: .notFound, text: "no route for /x")
/// ```
public struct HTTPResponse: Sendable, Hashable {
    /// The status.
    public var status: HTTPStatus
    /// Extra header fields (Content-Length and Connection are added by the server).
    public var headers: [HTTPHeader]
    /// The body bytes (not sent for HEAD).
    public var body: [UInt8]

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status.
    ///   - contentType: The Content-Type field.
    ///   - headers: Further fields.
    ///   - body: The body.
    public init(status: HTTPStatus, contentType: String, headers: [HTTPHeader] = [], body: [UInt8]) {
        self.status = status
        self.headers = [HTTPHeader(name: "Content-Type", value: contentType)] + headers
        self.body = body
    }

    /// A plain-text response; a trailing newline is added.
    /// - Parameters:
    ///   - status: The status.
    ///   - text: The body text.
    public init(status: HTTPStatus, text: String) {
        self.init(
            status: status, contentType: "text/plain; charset=utf-8",
            headers: [HTTPHeader(name: "Cache-Control", value: "no-store")], body: Array((text + "\n").utf8))
    }

    /// The plain-text response for a request error (its status and message).
    /// - Parameter error: The error.
    public init(error: HTTPError) {
        self.init(status: error.code.status, text: error.message)
    }

    /// The bytes on the wire.
    /// - Parameters:
    ///   - includeBody: False for HEAD: the same head (Content-Length of the full body), no body.
    ///   - keepAlive: False adds `Connection: close`.
    /// - Returns: Status line, fields, blank line and body.
    public func serialized(includeBody: Bool = true, keepAlive: Bool = true) -> [UInt8] {
        var head = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for header in headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\n"
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += body }
        return bytes
    }
}
