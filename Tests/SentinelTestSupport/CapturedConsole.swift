public import SentinelCLI
import SentinelLock
import Synchronization

/// A console that records what a command writes, for CLI tests that run verbs in-process.
public final class CapturedConsole: Sendable {
    private let output = Lock("")
    private let error = Lock("")
    private let environment: [String: String]
    private let errorIsTerminal: Bool

    /// Creates an empty capture.
    /// - Parameters:
    ///   - environment: The environment the command sees (default: none).
    ///   - errorIsTerminal: Whether the command is told standard error is a terminal, so progress bars are drawn
    ///     (default: not).
    public init(environment: [String: String] = [:], errorIsTerminal: Bool = false) {
        self.environment = environment
        self.errorIsTerminal = errorIsTerminal
    }

    /// The console to hand to the command.
    public var console: Console {
        Console(
            writeOutput: { text in self.output.withLock { $0 += text } },
            writeError: { text in self.error.withLock { $0 += text } },
            errorIsTerminal: errorIsTerminal,
            environment: environment
        )
    }

    /// Everything written to standard output so far.
    public var standardOutput: String { output.withLock { $0 } }
    /// Everything written to standard error so far.
    public var standardError: String { error.withLock { $0 } }
}

extension Console {
    /// A console that drops everything.
    public static var discarding: Console {
        Console(writeOutput: { _ in }, writeError: { _ in }, errorIsTerminal: false, environment: [:])
    }
}
