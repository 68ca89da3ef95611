/// The fixed 20-byte header that starts every frame (PROTOCOL.md, "Frame layout").
///
/// All integers are big-endian. The header's `payloadLength` counts only the bytes after the header.
///
/// ```swift
/// var bytes: [UInt8] = []
/// FrameHeader(type: .request, requestID: 1, code: MethodID.healthCheck.rawValue).append(to: &bytes)
/// ```
public struct FrameHeader: Hashable, Sendable {
    /// The header's size in bytes.
    public static let size = 20
    /// The two magic bytes, "SN".
    public static let magic: (UInt8, UInt8) = (0x53, 0x4E)
    /// The protocol version this implementation speaks.
    public static let version: UInt8 = 1

    /// The frame's kind.
    public var type: FrameType
    /// The number of payload bytes that follow the header.
    public var payloadLength: UInt32
    /// The request id, chosen by the client and echoed by the server; 0 for connection-level frames.
    /// In a GOAWAY frame it is the last request id the server accepted.
    public var requestID: UInt32
    /// The method number (REQUEST), the status code (RESPONSE, GOAWAY), or 0.
    public var code: UInt16
    /// Reserved; senders write 0 and receivers ignore it.
    public var flags: UInt16
    /// REQUEST only: the relative deadline in microseconds, 0 for none.
    public var timeoutMicroseconds: UInt32

    /// Creates a header.
    public init(
        type: FrameType,
        payloadLength: UInt32 = 0,
        requestID: UInt32 = 0,
        code: UInt16 = 0,
        flags: UInt16 = 0,
        timeoutMicroseconds: UInt32 = 0
    ) {
        self.type = type
        self.payloadLength = payloadLength
        self.requestID = requestID
        self.code = code
        self.flags = flags
        self.timeoutMicroseconds = timeoutMicroseconds
    }

    /// The method of a REQUEST frame.
    public var method: MethodID { MethodID(rawValue: code) }
    /// The status of a RESPONSE or GOAWAY frame.
    public var status: StatusCode { StatusCode(rawValue: code) }

    /// The relative deadline of a REQUEST frame, or `nil` when the field is 0.
    public var timeout: Duration? {
        timeoutMicroseconds == 0 ? nil : .microseconds(Int64(timeoutMicroseconds))
    }

    /// Converts a relative timeout to the wire field, rounding up to whole microseconds and clamping to the
    /// field's range (1 µs … about 71.6 minutes).
    /// - Parameter timeout: The timeout, or `nil` for none.
    /// - Returns: The value for ``timeoutMicroseconds``.
    public static func timeoutField(_ timeout: Duration?) -> UInt32 {
        guard let timeout else { return 0 }
        let (seconds, attoseconds) = timeout.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 1 }
        let micros = seconds.multipliedReportingOverflow(by: 1_000_000)
        if micros.overflow { return UInt32.max }
        let total = micros.partialValue + (attoseconds + 999_999_999_999 - 1) / 1_000_000_000_000
        return UInt32(clamping: max(total, 1))
    }

    /// Appends the 20 header bytes to a buffer.
    /// - Parameter buffer: The buffer to extend.
    public func append(to buffer: inout [UInt8]) {
        buffer.append(Self.magic.0)
        buffer.append(Self.magic.1)
        buffer.append(Self.version)
        buffer.append(type.rawValue)
        Self.appendBigEndian(payloadLength, to: &buffer)
        Self.appendBigEndian(requestID, to: &buffer)
        buffer.append(UInt8(truncatingIfNeeded: code >> 8))
        buffer.append(UInt8(truncatingIfNeeded: code))
        buffer.append(UInt8(truncatingIfNeeded: flags >> 8))
        buffer.append(UInt8(truncatingIfNeeded: flags))
        Self.appendBigEndian(timeoutMicroseconds, to: &buffer)
    }

    /// Appends a whole frame: this header with `payloadLength` set to the payload's size, then the payload.
    /// - Parameters:
    ///   - payload: The payload bytes.
    ///   - buffer: The buffer to extend.
    public func appendFrame(payload: some Collection<UInt8>, to buffer: inout [UInt8]) {
        var header = self
        header.payloadLength = UInt32(payload.count)
        header.append(to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends a whole frame whose payload is raw bytes (the non-generic fast path).
    /// - Parameters:
    ///   - payload: The payload bytes.
    ///   - buffer: The buffer to extend.
    public func appendFrame(payload: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        var header = self
        header.payloadLength = UInt32(payload.count)
        buffer.reserveCapacity(buffer.count + Self.size + payload.count)
        header.append(to: &buffer)
        buffer.append(contentsOf: payload)
    }

    /// Appends a whole frame whose payload is an array (the non-generic fast path).
    /// - Parameters:
    ///   - payload: The payload bytes.
    ///   - buffer: The buffer to extend.
    public func appendFrame(payload: [UInt8], to buffer: inout [UInt8]) {
        payload.withUnsafeBytes { appendFrame(payload: $0, to: &buffer) }
    }

    /// Reads a header from the first 20 bytes, checking the magic and version (not the length limit).
    /// - Parameter bytes: At least ``size`` bytes.
    /// - Returns: The header.
    /// - Throws: ``WireError`` with ``WireError/Code/badMagic`` or ``WireError/Code/unsupportedVersion``.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(WireError) -> FrameHeader {
        precondition(bytes.count >= size, "a frame header needs \(size) bytes")
        guard bytes[0] == magic.0, bytes[1] == magic.1 else {
            throw WireError(.badMagic, "expected magic 0x534E, got 0x\(hex(bytes[0]))\(hex(bytes[1]))")
        }
        let header = FrameHeader(
            type: FrameType(rawValue: bytes[3]),
            payloadLength: readBigEndian32(bytes, at: 4),
            requestID: readBigEndian32(bytes, at: 8),
            code: UInt16(bytes[12]) << 8 | UInt16(bytes[13]),
            flags: UInt16(bytes[14]) << 8 | UInt16(bytes[15]),
            timeoutMicroseconds: readBigEndian32(bytes, at: 16)
        )
        guard bytes[2] == version else {
            throw WireError(
                .unsupportedVersion, "protocol version \(bytes[2]) is not supported; this peer speaks \(version)",
                header: header)
        }
        return header
    }

    private static func appendBigEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }

    private static func readBigEndian32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
