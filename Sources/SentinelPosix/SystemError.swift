import Glibc

/// A failed system call: the `errno` it left and the function's name.
///
/// ```swift
/// guard fd >= 0 else { throw SystemError(errno: errno, function: "socket") }
/// ```
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `errno` value (the error's code).
    public var errno: Int32
    /// The C function that failed, such as `accept`.
    public var function: String

    /// Wraps a syscall failure.
    /// - Parameters:
    ///   - errno: The `errno` value.
    ///   - function: The C function's name.
    public init(errno: Int32, function: String) {
        self.errno = errno
        self.function = function
    }

    /// The C library's text for ``errno`` in lower case, such as `connection refused`.
    public var reason: String {
        guard let text = strerror(errno) else { return "errno \(errno)" }
        return String(cString: text).lowercased()
    }

    /// `FUNCTION failed: REASON (errno N)`.
    public var description: String { "\(function) failed: \(reason) (errno \(errno))" }
}
