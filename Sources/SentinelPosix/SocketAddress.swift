import CSentinelPosix
import Glibc

/// An IPv4 or IPv6 address (or a host name) and a port, as `HOST:PORT` on the command line.
///
/// IPv6 literals are written in brackets, as in URLs: `[::1]:8001`, `[::]:8000`.
///
/// ```swift
/// let address = try SocketAddress(parsing: "127.0.0.1:8001")
/// print(address)  // 127.0.0.1:8001
/// print(SocketAddress(host: "::1", port: 8001))  // [::1]:8001
/// ```
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host as given, without brackets: a name, a dotted quad or an IPv6 literal.
    public var host: String
    /// The TCP port.
    public var port: UInt16

    /// Creates an address.
    /// - Parameters:
    ///   - host: A name, a dotted quad or an IPv6 literal, with or without brackets (they are removed).
    ///   - port: The TCP port.
    public init(host: String, port: UInt16) {
        let bracketed = host.count > 2 && host.first == "[" && host.last == "]"
        self.host = bracketed ? String(host.dropFirst().dropLast()) : host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`.
    /// - Parameter text: Such as `127.0.0.1:8001`, `localhost:9000` or `[::1]:8001`.
    /// - Returns: `nil` when the text is not of that form with a port in 0…65535, or when an IPv6 literal is not in
    ///   brackets (`::1:8001` could be read two ways).
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = text[..<colon]
        if host.first == "[" {
            guard host.count > 2, host.last == "]" else { return nil }
            host = host.dropFirst().dropLast()
            guard host.contains(":"), !host.contains("[") && !host.contains("]") else { return nil }
        } else {
            guard !host.contains(":"), !host.contains("["), !host.contains("]") else { return nil }
        }
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }

    /// What ``init(parsing:)`` accepts, for error messages.
    public static let syntax = "HOST:PORT, an IPv6 address in brackets ([::1]:8000)"

    /// `HOST:PORT`, with an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Resolves the host to a socket address: a literal directly, `localhost` to 127.0.0.1, any other name through
    /// `getaddrinfo` (the first address it returns, IPv4 or IPv6; may consult DNS).
    /// - Throws: ``SystemError`` naming `getaddrinfo` when the name does not resolve.
    func resolve() throws(SystemError) -> ResolvedSocketAddress {
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, name, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return ResolvedSocketAddress(v4)
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, name, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            return ResolvedSocketAddress(v6)
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &result)
        defer { if let result { freeaddrinfo(result) } }
        guard status == 0, let first = result, let found = first.pointee.ai_addr else {
            throw SystemError(errno: EHOSTUNREACH, function: "getaddrinfo(\(host))")
        }
        switch Int32(found.pointee.sa_family) {
        case AF_INET:
            var address = found.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            address.sin_port = port.bigEndian
            return ResolvedSocketAddress(address)
        case AF_INET6:
            var address = found.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
            address.sin6_port = port.bigEndian
            return ResolvedSocketAddress(address)
        default:
            throw SystemError(errno: EAFNOSUPPORT, function: "getaddrinfo(\(host))")
        }
    }
}

/// A resolved IPv4 or IPv6 socket address, ready for `bind` and `connect`.
struct ResolvedSocketAddress {
    /// `AF_INET` or `AF_INET6`.
    let family: Int32
    private var storage = sockaddr_storage()
    private let length: socklen_t

    init(_ address: sockaddr_in) {
        family = AF_INET
        length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
    }

    init(_ address: sockaddr_in6) {
        family = AF_INET6
        length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
    }

    /// Calls `body` with the address as the `sockaddr` pointer and length the socket calls take.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}
