import Glibc
import SentinelPosix

/// A blocking test-side TCP socket connected to 127.0.0.1, with a 5 s receive timeout so a test cannot hang.
/// Call its methods through ``offPool(_:)`` from async tests.
public final class LoopbackSocket: Sendable {
    /// The descriptor, closed on deinit.
    public let fd: Int32

    /// Connects to `127.0.0.1:port`.
    /// - Parameters:
    ///   - port: The server's port.
    ///   - noDelay: Whether to set `TCP_NODELAY` (frame tests want each write sent at once).
    /// - Throws: ``SystemError`` when the connection fails.
    public init(port: UInt16, noDelay: Bool = false) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let error = SystemError(errno: errno, function: "connect")
            close(fd)
            throw error
        }
        if noDelay {
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    deinit { close(fd) }

    /// Sends all of `bytes`, stopping early only when the peer is gone.
    public func sendAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// One `recv` of up to 64 KiB: the bytes, or `[]` with `closed` true when the peer closed (or reset), or `[]`
    /// with `closed` false when the receive timeout passed.
    public func receiveChunk() -> (bytes: [UInt8], closed: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let got = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if got > 0 { return (Array(buffer[0..<got]), false) }
        return ([], got == 0 || errno == ECONNRESET)
    }

    /// Reads until the peer closes (`closed` true) or the receive timeout passes (`closed` false).
    public func receiveToEnd() -> (bytes: [UInt8], closed: Bool) {
        var result: [UInt8] = []
        while true {
            let (chunk, closed) = receiveChunk()
            if chunk.isEmpty { return (result, closed) }
            result += chunk
        }
    }
}
