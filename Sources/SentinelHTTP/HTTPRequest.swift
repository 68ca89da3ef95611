/// One parsed HTTP/1.x request head (the body, when any, is read and discarded).
///
/// ```swift
/// if request.path == "/healthz" && request.method == "GET" { ... }
/// ```
public struct HTTPRequest: Sendable, Hashable {
    /// The method token, case-sensitive (`GET`, `HEAD`).
    public var method: String
    /// The path part of the origin-form target, as sent (not percent-decoded).
    public var path: String
    /// The query after `?`, without it; `nil` when the target has none.
    public var query: String?
    /// The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    public var minorVersion: Int
    /// The header fields in arrival order; names as sent.
    public var headers: [HTTPHeader]
    /// The body's length from Content-Length (0 when absent).
    public var bodyLength: Int

    /// Creates a request.
    public init(
        method: String, path: String, query: String? = nil, minorVersion: Int = 1,
        headers: [HTTPHeader] = [], bodyLength: Int = 0
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.minorVersion = minorVersion
        self.headers = headers
        self.bodyLength = bodyLength
    }

    /// The value of the first field with this name (case-insensitive), or `nil`.
    /// - Parameter name: A field name such as `Host`.
    /// - Returns: The field's value without surrounding whitespace.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Whether the client wants the connection kept open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.filter { $0.name.lowercased() == "connection" }
            .flatMap { $0.value.lowercased().split(separator: ",") }
            .map { $0.trimmingWhitespace() }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }

    /// The value of a query parameter (`name=value`, first match), not percent-decoded.
    /// - Parameter name: The parameter's name.
    /// - Returns: Its value, empty for `name` without `=`, or `nil` when absent.
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs (HTTP's OWS).
    func trimmingWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
