import SentinelHTTP

extension FuzzTarget {
    /// The HTTP/1.1 request parser behind the dashboard and `/metrics` ports (`HTTPRequestParser`).
    ///
    /// The first byte chooses how the rest arrives (in chunks of 1–16 bytes) and, with its high bit, small limits, so
    /// every limit check is reachable. Checked: the same requests and the same first error whether the bytes arrive
    /// whole or in chunks; nothing after an error; a request's body never exceeds the body limit.
    static let httpRequest = FuzzTarget(
        name: "http-request",
        summary: "HTTPRequestParser: whole and chunked input parse alike, nothing after an error, limits hold",
        seeds: FuzzSeeds.httpRequests
    ) { input throws(FuzzFinding) in
        guard let control = input.first else { return }
        let stream = Array(input.afterControlByte)
        var limits = HTTPLimits()
        if control & 0x80 != 0 {
            limits.maximumRequestLineLength = 64
            limits.maximumHeaderSize = 256
            limits.maximumHeaderCount = 4
            limits.maximumBodySize = 16
        }
        let whole = try HTTPStream.parse(stream, limits: limits, chunkSize: max(stream.count, 1))
        let chunkSize = Int(control & 0x0F) + 1
        let chunked = try HTTPStream.parse(stream, limits: limits, chunkSize: chunkSize)
        guard whole == chunked else {
            throw FuzzFinding("http-request: whole input gave \(whole), chunks of \(chunkSize) gave \(chunked)")
        }
    }
}

/// What a byte stream parses to: its requests, then the first error if any.
private struct HTTPStream: Equatable, CustomStringConvertible {
    var requests: [HTTPRequest] = []
    var error: HTTPError.Code?

    var description: String {
        "\(requests.map { "\($0.method) \($0.path)" }), error \(error.map { "\($0)" } ?? "none")"
    }

    static func parse(_ stream: [UInt8], limits: HTTPLimits, chunkSize: Int) throws(FuzzFinding) -> HTTPStream {
        var parser = HTTPRequestParser(limits: limits)
        var result = HTTPStream()
        var offset = 0
        repeat {
            let end = min(offset + chunkSize, stream.count)
            parser.append(stream[offset..<end])
            offset = end
            while let next = parser.next() {
                if result.error != nil {
                    throw FuzzFinding("http-request: the parser returned \(next) after an error")
                }
                switch next {
                case .success(let request):
                    guard request.bodyLength <= limits.maximumBodySize else {
                        throw FuzzFinding(
                            "http-request: a body of \(request.bodyLength) bytes passed a limit of "
                                + "\(limits.maximumBodySize)")
                    }
                    result.requests.append(request)
                case .failure(let error):
                    guard parser.hasFailed else {
                        throw FuzzFinding("http-request: the parser returned \(error) but has not failed")
                    }
                    result.error = error.code
                }
            }
        } while offset < stream.count
        return result
    }
}
