public import SentinelArguments

/// One verb of the `sentinel` command line, such as `train` or `model inspect`.
public struct Command: Sendable {
    /// The words that select this verb (`["model", "inspect"]`).
    public var words: [String]
    /// One line for the command list.
    public var summary: String
    /// The usage line, without the leading `usage: `.
    public var usage: String
    /// The options, one per line, shown by `sentinel VERB --help`.
    public var details: String
    /// Runs the verb; returns the process exit code. Throw ``UsageError`` for a bad command line.
    public var run: @Sendable (inout Arguments, Console) async throws -> Int32

    /// Creates a verb.
    public init(
        words: [String],
        summary: String,
        usage: String,
        details: String = "",
        run: @escaping @Sendable (inout Arguments, Console) async throws -> Int32
    ) {
        self.words = words
        self.summary = summary
        self.usage = usage
        self.details = details
        self.run = run
    }
}
