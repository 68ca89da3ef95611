import Foundation

/// A response as the test client saw it.
public struct FetchedResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields, names lowercased.
    public var headers: [String: String]
    /// The body as text.
    public var body: String
}

/// One GET with `Connection: close`, read to the end on a thread of its own (off the cooperative pool).
public func httpGet(port: UInt16, path: String) async throws -> FetchedResponse {
    let raw = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Result { try blockingGet(port: port, path: path) })
        }
    }
    guard let split = raw.range(of: "\r\n\r\n") else { throw FetchError(text: "no response head in \(raw)") }
    let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        let parts = line.split(separator: ":", maxSplits: 1)
        headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
    }
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    return FetchedResponse(status: status, headers: headers, body: String(raw[split.upperBound...]))
}

/// A failed test fetch.
public struct FetchError: Error, CustomStringConvertible {
    /// What went wrong.
    public var text: String
    /// Same as ``text``.
    public var description: String { text }
}

private func blockingGet(port: UInt16, path: String) throws -> String {
    let socket = try LoopbackSocket(port: port)
    socket.sendAll(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
    return String(decoding: socket.receiveToEnd().bytes, as: UTF8.self)
}
