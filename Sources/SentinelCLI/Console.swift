import Foundation

/// Where a command writes: standard output for results, standard error for diagnostics and progress.
///
/// Tests substitute a capturing console to call verbs without starting a process.
public struct Console: Sendable {
    /// Writes text to the result stream, unchanged (callers add newlines).
    public var writeOutput: @Sendable (String) -> Void
    /// Writes text to the diagnostic stream, unchanged.
    public var writeError: @Sendable (String) -> Void
    /// Whether standard error is a terminal, so progress bars may redraw in place.
    public var errorIsTerminal: Bool
    /// The environment variables options may fall back to.
    public var environment: [String: String]

    /// Creates a console from its parts.
    public init(
        writeOutput: @escaping @Sendable (String) -> Void,
        writeError: @escaping @Sendable (String) -> Void,
        errorIsTerminal: Bool,
        environment: [String: String]
    ) {
        self.writeOutput = writeOutput
        self.writeError = writeError
        self.errorIsTerminal = errorIsTerminal
        self.environment = environment
    }

    /// The process's own standard output and error.
    public static var standard: Console {
        Console(
            writeOutput: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) },
            errorIsTerminal: isatty(2) == 1,
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Writes one line to standard output.
    public func print(_ line: String) {
        writeOutput(line + "\n")
    }

    /// Writes one line to standard error.
    public func printError(_ line: String) {
        writeError(line + "\n")
    }
}
