/// Why a request could not be parsed or served; carries the status the server answers with.
///
/// ```swift
/// throw HTTPError(.headersTooLarge, "the header section is over 32768 bytes")
/// ```
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case badRequest, requestLineTooLong, headersTooLarge, bodyTooLarge, unsupportedTransferEncoding
            case unsupportedVersion, timeout
        }

        private let value: Value

        /// The request is malformed (bad request line, header syntax, missing Host, conflicting lengths).
        public static let badRequest = Code(value: .badRequest)
        /// The request line is longer than the limit.
        public static let requestLineTooLong = Code(value: .requestLineTooLong)
        /// The header section is larger than the limit.
        public static let headersTooLarge = Code(value: .headersTooLarge)
        /// The request body is larger than the limit.
        public static let bodyTooLarge = Code(value: .bodyTooLarge)
        /// The request uses a transfer coding (chunked bodies are not accepted).
        public static let unsupportedTransferEncoding = Code(value: .unsupportedTransferEncoding)
        /// The HTTP version is not 1.0 or 1.1.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// The request head did not arrive within the header-read timeout.
        public static let timeout = Code(value: .timeout)

        /// The status the server answers with.
        public var status: HTTPStatus {
            switch value {
            case .badRequest: .badRequest
            case .requestLineTooLong: .uriTooLong
            case .headersTooLarge: .headersTooLarge
            case .bodyTooLarge: .contentTooLarge
            case .unsupportedTransferEncoding: .notImplemented
            case .unsupportedVersion: .versionNotSupported
            case .timeout: .requestTimeout
            }
        }

        /// The code's name, such as `headersTooLarge`.
        public var description: String { "\(value)" }
    }

    /// The kind of failure.
    public var code: Code
    /// What was wrong, for people; sent as the plain-text response body.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What was wrong.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `CODE: MESSAGE`.
    public var description: String { "\(code): \(message)" }
}
