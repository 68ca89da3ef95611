import CSentinelPosix
import Glibc

extension SocketAddress {
    /// Whether the host is a loopback address, reachable only from this machine: 127.0.0.0/8, `::1`, an IPv4-mapped
    /// 127.x address, `localhost`, or a name that resolves to one of these. A wildcard (`0.0.0.0`, `::`), any other
    /// address and a name that does not resolve are not.
    ///
    /// ```swift
    /// SocketAddress(host: "127.0.0.1", port: 8000).isLoopback  // true
    /// SocketAddress(host: "0.0.0.0", port: 8000).isLoopback    // false
    /// ```
    public var isLoopback: Bool {
        guard let resolved = try? resolve() else { return false }
        return resolved.withSocketAddress { pointer, _ in
            switch Int32(pointer.pointee.sa_family) {
            case AF_INET:
                let address = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                return UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
            case AF_INET6:
                let address = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                if bytes[..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }  // ::1
                // ::ffff:127.x.y.z, an IPv4 loopback address in an IPv6 socket.
                return bytes[..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
                    && bytes[12] == 127
            default:
                return false
            }
        }
    }
}
