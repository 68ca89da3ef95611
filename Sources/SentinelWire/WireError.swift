/// A byte stream that does not follow the frame format of PROTOCOL.md.
///
/// The receiver cannot resynchronise after any of these, so each one ends the connection (after the answer
/// PROTOCOL.md names for it, if any).
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case badMagic
            case unsupportedVersion
            case frameTooLarge
            case httpRequest
            case truncatedFrame
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The first two bytes are not `0x53 0x4E` ("SN"): not a Sentinel peer.
        public static let badMagic = Code(.badMagic)
        /// The magic is right but the version byte is not one this side speaks.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The declared payload length exceeds the configured maximum.
        public static let frameTooLarge = Code(.frameTooLarge)
        /// The connection starts with an HTTP request line.
        public static let httpRequest = Code(.httpRequest)
        /// The stream ended in the middle of a frame.
        public static let truncatedFrame = Code(.truncatedFrame)

        /// A short lower-case name.
        public var description: String {
            switch value {
            case .badMagic: "bad magic"
            case .unsupportedVersion: "unsupported version"
            case .frameTooLarge: "frame too large"
            case .httpRequest: "HTTP request"
            case .truncatedFrame: "truncated frame"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A one-line explanation with the offending values.
    public var message: String
    /// The header, when the error concerns a complete header (``Code/frameTooLarge``, ``Code/unsupportedVersion``).
    public var header: FrameHeader?

    /// Creates an error.
    public init(_ code: Code, _ message: String, header: FrameHeader? = nil) {
        self.code = code
        self.message = message
        self.header = header
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
