import Foundation

/// A shared secret both ends are configured with; its bytes are never printed.
///
/// ```swift
/// let token = try AuthToken(contentsOfFile: "/run/secrets/sentinel-token")
/// ```
public struct AuthToken: Sendable, Equatable, CustomStringConvertible {
    /// The secret's bytes (UTF-8 of the configured text), sent as the HELLO payload.
    public let bytes: [UInt8]

    /// Creates a token from its text.
    /// - Parameter text: The secret; must not be empty.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        self.bytes = Array(text.utf8)
    }

    /// Reads a token file: its text without leading and trailing white space and newlines, the one rule every
    /// `--token-file` and `--monitor-token-file` follows.
    /// - Parameter path: The file.
    /// - Throws: ``AuthToken/FileError`` naming the file when it cannot be read, is not UTF-8, or holds only white
    ///   space.
    public init(contentsOfFile path: String) throws(FileError) {
        // FileHandle reads special files too (`FileManager.contents(atPath:)` refuses /dev/null and FIFOs).
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            throw FileError(message: "cannot read token file '\(path)'")
        }
        try? handle.close()
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw FileError(message: "token file '\(path)' is not UTF-8 text")
        }
        guard let token = AuthToken(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw FileError(message: "token file '\(path)' is empty")
        }
        self = token
    }

    /// Why a token file could not be used.
    public struct FileError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, naming the file.
        public let message: String

        /// The message.
        public var description: String { message }
    }

    /// Compares a presented token in time that depends only on the lengths, not on where bytes differ.
    /// - Parameter presented: The bytes the peer sent.
    /// - Returns: Whether they equal the secret.
    public func matches(_ presented: UnsafeRawBufferPointer) -> Bool {
        var difference = UInt8(truncatingIfNeeded: bytes.count ^ presented.count)
        difference |= bytes.count == presented.count ? 0 : 1
        let count = max(bytes.count, presented.count)
        for index in 0..<count {
            let expected = index < bytes.count ? bytes[index] : 0
            let actual = index < presented.count ? presented[index] : 0
            difference |= expected ^ actual
        }
        return difference == 0
    }

    /// Whether two tokens hold the same secret (compared as ``matches(_:)`` does).
    public static func == (lhs: AuthToken, rhs: AuthToken) -> Bool {
        rhs.bytes.withUnsafeBytes { lhs.matches($0) }
    }

    /// Always `<redacted>`, so a token cannot end up in a log.
    public var description: String { "<redacted>" }
}
