/// An incremental decoder that turns a byte stream into frames, one complete frame at a time.
///
/// Feed it bytes as they arrive (``append(_:)`` or ``fill(maximumCount:_:)`` to read straight into its buffer),
/// then call ``decodeFrame()`` until it returns `nil` ("need more bytes"). A header that declares a payload above
/// the limit is rejected as soon as its 20 bytes are in, before any room is made for the payload. At the start of
/// a connection an HTTP request line is recognised, so a server can answer a stray browser or `curl` with one line.
///
/// ```swift
/// var decoder = FrameDecoder()
/// decoder.append(bytes)
/// while let header = try decoder.decodeFrame() {
///     decoder.withPayload { payload in handle(header, payload) }
/// }
/// ```
public struct FrameDecoder: Sendable {
    /// The limits enforced on incoming frames.
    public let limits: FrameLimits
    @usableFromInline var storage: [UInt8] = []
    private var start = 0
    private var end = 0
    @usableFromInline var payloadStart = 0
    @usableFromInline var payloadEnd = 0
    private var atStreamStart: Bool

    /// HTTP request-line prefixes recognised at the start of a stream.
    private static let httpMethods: [[UInt8]] = [
        "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "PRI ",
    ].map { Array($0.utf8) }

    /// Creates a decoder.
    /// - Parameters:
    ///   - limits: The limits to enforce.
    ///   - detectHTTP: Whether to recognise an HTTP request line at the start of the stream (servers: yes).
    public init(limits: FrameLimits = FrameLimits(), detectHTTP: Bool = true) {
        self.limits = limits
        self.atStreamStart = detectHTTP
    }

    /// The number of bytes received but not yet consumed as frames.
    public var bufferedByteCount: Int { end - start }

    /// Up to `maximumCount` of the bytes received but not yet consumed, without consuming them: what a peer that
    /// is not speaking this protocol sent (an HTTP status line, say), for an error message.
    /// - Parameter maximumCount: The most bytes to return.
    /// - Returns: The bytes, oldest first.
    public func peekBuffered(maximumCount: Int) -> [UInt8] {
        Array(storage[start..<min(end, start + max(0, maximumCount))])
    }

    /// Appends received bytes.
    /// - Parameter bytes: The bytes, in stream order.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        fill(maximumCount: bytes.count) { target in
            target.copyMemory(from: bytes)
            return bytes.count
        }
    }

    /// Appends received bytes.
    /// - Parameter bytes: The bytes, in stream order.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Lets `body` write up to `maximumCount` bytes straight into the buffer (for `read(2)` without a copy).
    /// - Parameters:
    ///   - maximumCount: The room to offer.
    ///   - body: Writes into the buffer and returns how many bytes it wrote (0 … count), or a negative number to
    ///     report that nothing was written.
    /// - Returns: What `body` returned.
    @discardableResult
    public mutating func fill(
        maximumCount: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        reserve(maximumCount)
        let offset = end
        let written = try storage.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[offset..<offset + maximumCount]))
        }
        if written > 0 {
            precondition(written <= maximumCount, "fill wrote more than it was offered")
            end += written
        }
        return written
    }

    /// Decodes the next complete frame, consuming it.
    ///
    /// The payload is available through ``withPayload(_:)`` until the next call to a mutating method.
    /// - Returns: The header, or `nil` when more bytes are needed.
    /// - Throws: ``WireError`` for bad magic, an unsupported version, a declared length above the limit, or an
    ///   HTTP request at the start of the stream. The decoder must not be used after an error.
    public mutating func decodeFrame() throws(WireError) -> FrameHeader? {
        let available = end - start
        if atStreamStart {
            if available == 0 { return nil }
            if try !checkStreamStart() { return nil }
        }
        if available >= 2 && (storage[start] != FrameHeader.magic.0 || storage[start + 1] != FrameHeader.magic.1) {
            throw WireError(
                .badMagic, "expected magic 0x534E (\"SN\"), got 0x\(hexPrefix([storage[start], storage[start + 1]]))")
        }
        guard available >= FrameHeader.size else { return nil }
        let headerStart = start
        let parsed = storage.withUnsafeBytes { raw in
            Result { () throws(WireError) in
                try FrameHeader.parse(
                    UnsafeRawBufferPointer(rebasing: raw[headerStart..<headerStart + FrameHeader.size]))
            }
        }
        let header = try parsed.get()
        guard Int(header.payloadLength) <= limits.maximumPayloadSize else {
            throw WireError(
                .frameTooLarge,
                "declared payload of \(header.payloadLength) bytes exceeds the limit of \(limits.maximumPayloadSize)",
                header: header)
        }
        let frameSize = FrameHeader.size + Int(header.payloadLength)
        guard available >= frameSize else { return nil }
        payloadStart = start + FrameHeader.size
        payloadEnd = start + frameSize
        start += frameSize
        return header
    }

    /// Calls `body` with the payload of the frame ``decodeFrame()`` returned last.
    /// - Parameter body: Reads the payload; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    @inlinable
    public func withPayload<Value, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Value
    ) throws(Failure) -> Value {
        let range = payloadStart..<payloadEnd
        let result = storage.withUnsafeBytes { raw in
            Result { () throws(Failure) in try body(UnsafeRawBufferPointer(rebasing: raw[range])) }
        }
        return try result.get()
    }

    /// Checks that the stream ended on a frame boundary.
    /// - Throws: ``WireError`` with ``WireError/Code/truncatedFrame`` when bytes of an incomplete frame remain.
    public func finish() throws(WireError) {
        if end > start {
            throw WireError(.truncatedFrame, "the stream ended inside a frame (\(end - start) bytes buffered)")
        }
    }

    /// Returns whether the start of the stream is a Sentinel frame (true), needs more bytes (false), or throws.
    private mutating func checkStreamStart() throws(WireError) -> Bool {
        let prefix = Array(storage[start..<min(end, start + 8)])
        if prefix[0] == FrameHeader.magic.0 && (prefix.count < 2 || prefix[1] == FrameHeader.magic.1) {
            if prefix.count < 2 { return false }
            atStreamStart = false
            return true
        }
        for method in Self.httpMethods {
            if prefix.count >= method.count ? prefix.starts(with: method) : method.starts(with: prefix) {
                if prefix.count >= method.count {
                    throw WireError(.httpRequest, "the peer sent an HTTP request")
                }
                return false
            }
        }
        throw WireError(.badMagic, "expected magic 0x534E (\"SN\"), got 0x\(hexPrefix(prefix))")
    }

    private func hexPrefix(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(bytes.prefix(2).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }

    /// Makes room for `count` more bytes after `end`, compacting consumed bytes first.
    private mutating func reserve(_ count: Int) {
        if start == end {
            start = 0
            end = 0
        }
        if storage.count - end >= count { return }
        if start > 0 {
            // Move the unconsumed bytes to the front; the frame returned last is consumed by now.
            let live = end - start
            storage.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                base.copyMemory(from: base + start, byteCount: live)
            }
            start = 0
            end = live
            payloadStart = 0
            payloadEnd = 0
        }
        if storage.count - end < count {
            storage.append(contentsOf: repeatElement(0, count: end + count - storage.count))
        }
    }
}
