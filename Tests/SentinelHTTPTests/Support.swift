import Foundation
import Glibc
import SentinelHTTP
import SentinelPosix
import SentinelTestSupport

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

/// A test-side TCP client speaking raw bytes; its blocking calls run off the cooperative pool.
final class RawHTTPConnection: Sendable {
    private let socket: LoopbackSocket

    init(port: UInt16) throws {
        socket = try LoopbackSocket(port: port)
    }

    func write(_ text: String) async {
        await write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) async {
        await offPool { self.socket.sendAll(bytes) }
    }

    /// Reads until the peer closes (`closed` true) or the receive timeout passes.
    func readToEnd() async -> (text: String, closed: Bool) {
        await offPool {
            let (bytes, closed) = self.socket.receiveToEnd()
            return (String(decoding: bytes, as: UTF8.self), closed)
        }
    }

    /// Reads `count` complete responses (heads plus Content-Length bodies; HEAD responses carry no body).
    func readResponses(_ count: Int, headOnly: Bool = false) async -> [ParsedResponse] {
        await offPool {
            var data: [UInt8] = []
            var responses: [ParsedResponse] = []
            while responses.count < count {
                if let (response, used) = ParsedResponse.parse(data, headOnly: headOnly) {
                    responses.append(response)
                    data.removeFirst(used)
                    continue
                }
                let chunk = self.socket.receiveChunk().bytes
                if chunk.isEmpty { break }
                data += chunk
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
