public import SentinelCLI
import SentinelLock
import Synchronization

/// A console that records what a command writes, for CLI tests that run verbs in-process.
public final class CapturedConsole: Sendable {
    private let output = Lock("")
    private let error = Lock("")
    private let environment: [String: String]

    /// Creates an empty capture.
    /// - Parameter environment: The environment the command sees (default: none).
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// The console to hand to the command.
    public var console: Console {
        Console(
            writeOutput: { text in self.output.withLock { $0 += text } },
            writeError: { text in self.error.withLock { $0 += text } },
            errorIsTerminal: false,
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
