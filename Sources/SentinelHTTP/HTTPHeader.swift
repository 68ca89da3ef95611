/// One header field of a request or response.
///
/// ```swift
/// HTTPHeader(name: "Cache-Control", value: "no-store")
/// ```
public struct HTTPHeader: Sendable, Hashable {
    /// The field name, such as `Content-Type`.
    public var name: String
    /// The field value; must not contain CR or LF.
    public var value: String

    /// Creates a field.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The value; CR and LF are a programming error (response splitting) and trap.
    public init(name: String, value: String) {
        precondition(!value.contains("\r") && !value.contains("\n"), "header values must not contain CR or LF")
        self.name = name
        self.value = value
    }
}
