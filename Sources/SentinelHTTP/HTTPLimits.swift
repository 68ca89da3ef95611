/// Size limits on one request; a request over a limit is answered with an error status and the connection closed.
///
/// ```swift
/// var limits = HTTPLimits()
/// limits.maximumBodySize = 0  // refuse any request body
/// ```
public struct HTTPLimits: Sendable, Hashable {
    /// The longest request line, CRLF included (over it: 414).
    public var maximumRequestLineLength = 8 * 1024
    /// The largest header section, all field lines and their CRLFs together (over it: 431).
    public var maximumHeaderSize = 32 * 1024
    /// The most header fields.
    public var maximumHeaderCount = 100
    /// The largest request body, read and discarded (over it: 413); the server serves only GET and HEAD.
    public var maximumBodySize = 4 * 1024

    /// Creates the default limits: 8 KiB line, 32 KiB headers, 100 fields, 4 KiB body.
    public init() {}
}
