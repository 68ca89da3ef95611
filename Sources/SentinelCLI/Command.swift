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

    /// The verb's name as typed: `model inspect`.
    public var name: String { words.joined(separator: " ") }

    /// Every option the usage line and the option table name (`--data`, `--help`, …): what an unknown option is
    /// checked against, and what "did you mean" suggests from, when parsing stops before the whole command line
    /// was read (a missing required option).
    public var documentedOptions: Set<String> {
        var names: Set<String> = ["--help"]
        for text in [usage, details] {
            let characters = Array(text)
            var index = 0
            while index + 2 < characters.count {
                defer { index += 1 }
                guard characters[index] == "-", characters[index + 1] == "-", characters[index + 2].isLetter,
                    index == 0 || characters[index - 1] != "-"
                else { continue }
                let name = characters[(index + 2)...].prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" })
                names.insert("--" + String(name))
            }
        }
        return names
    }
}
