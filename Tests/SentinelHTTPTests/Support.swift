import Foundation
import Glibc
import SentinelHTTP
import SentinelPosix

/// Runs an HTTP server on 127.0.0.1:0 for the duration of `body`, then shuts it down and waits for `run()`.
@discardableResult
func withHTTPServer<Result: Sendable>(
    router: HTTPRouter,
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
    _ body: (HTTPServer) async throws -> Result
) async throws -> Result {
    let server = try HTTPServer(host: "127.0.0.1", port: 0, router: router, configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await server.run() }
        do {
            let result = try await body(server)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// Runs a blocking call on a thread of its own, off the cooperative pool the server's tasks need.
func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// A test-side TCP client speaking raw bytes, with a 5 s receive timeout so a test cannot hang.
final class RawHTTPConnection: Sendable {
    let fd: Int32

    init(port: UInt16) throws {
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
        guard status == 0 else { throw SystemError(errno: errno, function: "connect") }
    }

    deinit { close(fd) }

    func write(_ text: String) async {
        await write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) async {
        await offPool {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes {
                    send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
                }
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// Reads until the peer closes (`closed` true) or the receive timeout passes.
    func readToEnd() async -> (text: String, closed: Bool) {
        await offPool {
            var result: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let got = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if got == 0 { return (String(decoding: result, as: UTF8.self), true) }
                if got < 0 { return (String(decoding: result, as: UTF8.self), errno == ECONNRESET) }
                result += buffer[0..<got]
            }
        }
    }

    /// Reads `count` complete responses (heads plus Content-Length bodies; HEAD responses carry no body).
    func readResponses(_ count: Int, headOnly: Bool = false) async -> [ParsedResponse] {
        await offPool {
            var data: [UInt8] = []
            var responses: [ParsedResponse] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while responses.count < count {
                if let (response, used) = ParsedResponse.parse(data, headOnly: headOnly) {
                    responses.append(response)
                    data.removeFirst(used)
                    continue
                }
                let got = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                if got <= 0 { break }
                data += buffer[0..<got]
            }
            return responses
        }
    }
}

/// A response as the test client parsed it.
struct ParsedResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String

    static func parse(_ data: [UInt8], headOnly: Bool) -> (ParsedResponse, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard data.count >= 4, let end = (0...(data.count - 4)).first(where: { Array(data[$0..<$0 + 4]) == separator })
        else { return nil }
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let length = headOnly ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        guard data.count >= end + 4 + length else { return nil }
        let body = String(decoding: data[(end + 4)..<(end + 4 + length)], as: UTF8.self)
        return (ParsedResponse(status: status, headers: headers, body: body), end + 4 + length)
    }
}
