/// A shared secret both ends are configured with; its bytes are never printed.
///
/// ```swift
/// let token = try AuthToken(String(contentsOfFile: path).trimmingCharacters(in: .whitespacesAndNewlines))
/// ```
public struct AuthToken: Sendable, CustomStringConvertible {
    /// The secret's bytes (UTF-8 of the configured text), sent as the HELLO payload.
    public let bytes: [UInt8]

    /// Creates a token from its text.
    /// - Parameter text: The secret; must not be empty.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        self.bytes = Array(text.utf8)
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

    /// Always `<redacted>`, so a token cannot end up in a log.
    public var description: String { "<redacted>" }
}
