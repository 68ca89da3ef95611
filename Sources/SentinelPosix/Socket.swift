import CSentinelPosix
import Glibc

/// Thin wrappers over the socket calls SentinelPosix makes; each throws ``SystemError``.
///
/// ```swift
/// let (fd, port) = try Socket.makeListener(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: 128)
/// ```
public enum Socket {
    /// Creates a non-blocking, close-on-exec TCP socket. The corresponding C function is `socket`.
    /// - Parameter family: `AF_INET` or `AF_INET6`.
    static func makeTCP(family: Int32) throws(SystemError) -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SystemError(errno: errno, function: "socket") }
        do {
            try setNonBlocking(fd)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Sets `O_NONBLOCK` and `FD_CLOEXEC`. The corresponding C function is `fcntl`.
    public static func setNonBlocking(_ fd: Int32) throws(SystemError) {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SystemError(errno: errno, function: "fcntl")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Sets an integer socket option. The corresponding C function is `setsockopt`.
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SystemError(errno: errno, function: "setsockopt")
        }
    }

    /// Turns off Nagle's algorithm, so small replies leave at once.
    public static func setNoDelay(_ fd: Int32) {
        try? setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// Binds and listens. The corresponding C functions are `bind` and `listen`.
    ///
    /// An IPv6 socket also accepts IPv4 connections (`IPV6_V6ONLY` off, whatever the system default), so binding
    /// `::` serves every address of both families, as `0.0.0.0` does for IPv4.
    static func bindAndListen(_ fd: Int32, to address: ResolvedSocketAddress, backlog: Int32) throws(SystemError) {
        try setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        if address.family == AF_INET6 {
            try setOption(fd, level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 0)
        }
        let status = address.withSocketAddress { bind(fd, $0, $1) }
        guard status == 0 else { throw SystemError(errno: errno, function: "bind") }
        guard listen(fd, backlog) == 0 else { throw SystemError(errno: errno, function: "listen") }
    }

    /// The port the socket is bound to (the real one after binding port 0). The C function is `getsockname`.
    static func localPort(_ fd: Int32) throws(SystemError) -> UInt16 {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw SystemError(errno: errno, function: "getsockname") }
        // sin_port and sin6_port sit at the same offset, right after the family.
        return withUnsafeBytes(of: address) {
            UInt16(bigEndian: $0.load(fromByteOffset: MemoryLayout<sa_family_t>.size, as: UInt16.self))
        }
    }

    /// The peer's address as `HOST:PORT` (`[HOST]:PORT` for IPv6), or `unknown`. The C function is `getpeername`.
    static func peerDescription(_ fd: Int32) -> String {
        peer(fd).map { $0.family == AF_INET6 ? "[\($0.host)]:\($0.port)" : "\($0.host):\($0.port)" } ?? "unknown"
    }

    /// The peer's IP address (text) and port, or `nil`. The C function is `getpeername`.
    static func peer(_ fd: Int32) -> (host: String, port: UInt16, family: Int32)? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard status == 0 else { return nil }
        let family = Int32(address.ss_family)
        // sin_addr follows the family and the port; sin6_addr also the 4-byte flow information.
        let offset: Int
        switch family {
        case AF_INET: offset = MemoryLayout<sa_family_t>.size + 2
        case AF_INET6: offset = MemoryLayout<sa_family_t>.size + 2 + 4
        default: return nil
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafeBytes(of: address) { raw in
            let port = UInt16(bigEndian: raw.load(fromByteOffset: MemoryLayout<sa_family_t>.size, as: UInt16.self))
            guard inet_ntop(family, raw.baseAddress! + offset, &text, socklen_t(text.count)) != nil else { return nil }
            let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return (host, port, family)
        }
    }

    /// Starts a non-blocking connect. The corresponding C function is `connect`.
    /// - Returns: `true` when already connected, `false` when in progress.
    static func startConnect(_ fd: Int32, to address: ResolvedSocketAddress) throws(SystemError) -> Bool {
        let status = address.withSocketAddress { connect(fd, $0, $1) }
        if status == 0 { return true }
        if errno == EINPROGRESS { return false }
        throw SystemError(errno: errno, function: "connect")
    }

    /// The pending error of a socket (after a non-blocking connect). The C function is `getsockopt(SO_ERROR)`.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) == 0 else { return errno }
        return value
    }

    /// Sends without raising SIGPIPE. The corresponding C function is `send`.
    /// - Returns: Bytes sent, or -1 with `errno` set.
    public static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
    }
}

extension Socket {
    /// Creates a non-blocking TCP socket bound to `address` and listening; used by transports other than
    /// ``TCPServer`` (SentinelHTTP). The corresponding C functions are `socket`, `bind` and `listen`.
    /// - Parameters:
    ///   - address: The host and port; port 0 picks a free one.
    ///   - backlog: The accept queue length.
    /// - Returns: The descriptor (the caller closes it) and the real port.
    /// - Throws: ``SystemError`` from `socket`, `bind`, `listen`, `getsockname` or name resolution.
    public static func makeListener(
        on address: SocketAddress, backlog: Int32
    ) throws(SystemError) -> (fd: Int32, port: UInt16) {
        let resolved = try address.resolve()
        let fd = try makeTCP(family: resolved.family)
        do {
            try bindAndListen(fd, to: resolved, backlog: backlog)
            return (fd, try localPort(fd))
        } catch {
            close(fd)
            throw error
        }
    }
}
