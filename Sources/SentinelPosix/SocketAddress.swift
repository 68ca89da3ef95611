import CSentinelPosix
import Glibc

/// An IPv4 address and port, as `HOST:PORT` on the command line.
///
/// ```swift
/// let address = try SocketAddress(parsing: "127.0.0.1:8001")
/// print(address)  // 127.0.0.1:8001
/// ```
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host as given (a name or a dotted quad).
    public var host: String
    /// The TCP port.
    public var port: UInt16

    /// Creates an address.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`.
    /// - Parameter text: Such as `127.0.0.1:8001` or `localhost:9000`.
    /// - Returns: `nil` when the text is not `HOST:PORT` with a port in 0…65535.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let host = String(text[..<colon])
        guard !host.isEmpty, let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        self.init(host: host, port: port)
    }

    /// `HOST:PORT`.
    public var description: String { "\(host):\(port)" }

    /// Resolves the host to an IPv4 socket address (may consult DNS for a name other than `localhost`).
    /// - Throws: ``SystemError`` naming `getaddrinfo` when the name does not resolve.
    func resolve() throws(SystemError) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        if inet_pton(AF_INET, name, &address.sin_addr) == 1 { return address }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &result)
        defer { if let result { freeaddrinfo(result) } }
        guard status == 0, let first = result, let socketAddress = first.pointee.ai_addr else {
            throw SystemError(errno: EHOSTUNREACH, function: "getaddrinfo(\(host))")
        }
        socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address.sin_addr = $0.pointee.sin_addr }
        return address
    }
}
