/// The kind of a frame, carried in byte 3 of every frame header.
///
/// Unknown types are not an error: a receiver skips the frame (its payload length is known), so that later
/// protocol revisions can add frame types without breaking older peers.
///
/// ```swift
/// let header = FrameHeader(type: .ping, requestID: 7)
/// ```
public struct FrameType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8

    /// Creates a frame type from its wire byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// A call: client → server. Carries a method, a request id and an optional timeout.
    public static let request = FrameType(rawValue: 1)
    /// The answer to one request: server → client. Carries the request id and a status code.
    public static let response = FrameType(rawValue: 2)
    /// The client gives up on a request: client → server. The server stops the work and sends nothing for it.
    public static let cancel = FrameType(rawValue: 3)
    /// A liveness probe, either direction; the peer answers with ``pong`` echoing id and payload.
    public static let ping = FrameType(rawValue: 4)
    /// The answer to ``ping``.
    public static let pong = FrameType(rawValue: 5)
    /// The server will accept no request above the id in the header; the connection closes after in-flight work.
    public static let goAway = FrameType(rawValue: 6)
    /// Authentication: client → server, first frame of a connection, payload = the shared token.
    public static let hello = FrameType(rawValue: 7)

    /// The upper-case name used in PROTOCOL.md, or `TYPE(n)` for an unknown type.
    public var description: String {
        switch self {
        case .request: "REQUEST"
        case .response: "RESPONSE"
        case .cancel: "CANCEL"
        case .ping: "PING"
        case .pong: "PONG"
        case .goAway: "GOAWAY"
        case .hello: "HELLO"
        default: "TYPE(\(rawValue))"
        }
    }
}
