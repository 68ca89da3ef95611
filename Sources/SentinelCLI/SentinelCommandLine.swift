import SentinelArguments

/// The `sentinel` command line as a library: parses the verb, runs it, maps errors to exit codes.
///
/// ```swift
/// let status = await SentinelCommandLine.run(["health", "--monitor", "127.0.0.1:8001"], console: .standard)
/// ```
public enum SentinelCommandLine {
    /// Every verb, in the order `sentinel --help` lists them. Each lives in its own `Commands/*.swift` file.
    public static let commands: [Command] = [
        HealthCommand.command,
        StatusCommand.command,
        TrainCommand.command,
        EvaluateCommand.command,
        ModelInspectCommand.command,
        ModelImportCommand.command,
        ScoreCommand.command,
        ReplayCommand.command,
        LabelsCommand.command,
        BenchCommand.command,
        StatsCommand.command,
        DriftCommand.command,
    ]

    /// Runs one command line.
    /// - Parameters:
    ///   - arguments: The arguments after the program name.
    ///   - console: Where output goes.
    /// - Returns: The exit code: 0 success, 1 failure, 64 usage error.
    public static func run(_ arguments: [String], console: Console) async -> Int32 {
        if arguments.isEmpty || arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
            console.print(overview)
            return arguments.isEmpty ? ExitCode.usage : ExitCode.success
        }
        if arguments == ["--version"] {
            console.print("sentinel \(SentinelVersion.string)")
            return ExitCode.success
        }
        var words = arguments
        var helpRequested = false
        if words.first == "help" {
            words.removeFirst()
            helpRequested = true
        }
        guard
            let command = commands.filter({ words.starts(with: $0.words) }).max(by: { $0.words.count < $1.words.count })
        else {
            return unmatched(words, helpRequested: helpRequested, console: console)
        }
        let rest = Array(words.dropFirst(command.words.count))
        if helpRequested || rest.contains("--help") || rest.contains("-h") {
            console.print(help(for: command))
            return ExitCode.success
        }
        var parser = Arguments(rest, environment: console.environment)
        do {
            return try await command.run(&parser, console)
        } catch var error as UsageError {
            // Parsing stopped early (a required option missing, say): an unknown option among what was not read
            // yet is the likelier mistake, so name it first.
            if let unknown = Arguments.firstUnknownOption(in: parser.remaining, known: command.documentedOptions) {
                error = unknown
            }
            console.printError("error: \(error.message)")
            console.printError("usage: \(command.usage)")
            return ExitCode.usage
        } catch {
            console.printError("error: \(error)")
            return ExitCode.failure
        }
    }

    /// A command line whose words select no verb: a verb group (`sentinel model`, `sentinel model --help`) lists
    /// its verbs; anything else is an unknown command, with the closest verb suggested.
    private static func unmatched(_ words: [String], helpRequested: Bool, console: Console) -> Int32 {
        let group = commands.filter { $0.words.count > 1 && $0.words.first == words.first }
        let rest = Array(words.dropFirst())
        if !group.isEmpty, helpRequested || rest.isEmpty || rest.first == "--help" || rest.first == "-h" {
            let wanted = helpRequested || !rest.isEmpty
            let text = groupHelp(words[0], group)
            if wanted {
                console.print(text)
                return ExitCode.success
            }
            console.printError("error: '\(words[0])' needs a command")
            console.printError(text)
            return ExitCode.usage
        }
        let typed = group.isEmpty ? (words.first ?? "") : words.prefix(2).joined(separator: " ")
        let candidates = group.isEmpty ? commands.map(\.name) + commands.compactMap(\.words.first) : group.map(\.name)
        console.printError("error: unknown command '\(typed)'" + Suggestion.didYouMean(typed, among: candidates))
        console.printError("usage: sentinel COMMAND [OPTIONS]   (sentinel --help lists the commands)")
        return ExitCode.usage
    }

    /// The text of `sentinel GROUP --help`: the group's verbs.
    static func groupHelp(_ group: String, _ members: [Command]) -> String {
        let width = members.map(\.name.count).max() ?? 0
        var lines = [
            "usage: sentinel \(group) COMMAND [OPTIONS]   (sentinel \(group) COMMAND --help for its options)", "",
        ]
        lines.append("commands:")
        for command in members {
            lines.append(
                "  \(command.name)\(String(repeating: " ", count: width - command.name.count + 2))\(command.summary)")
        }
        return lines.joined(separator: "\n")
    }

    /// The text of `sentinel --help`.
    public static var overview: String {
        let width = commands.map { $0.words.joined(separator: " ").count }.max() ?? 0
        var lines = [
            "sentinel \(SentinelVersion.string) — fraud scoring and model monitoring",
            "",
            "usage: sentinel COMMAND [OPTIONS]   (sentinel COMMAND --help for its options)",
            "",
            "commands:",
        ]
        for command in commands {
            let name = command.words.joined(separator: " ")
            lines.append("  \(name)\(String(repeating: " ", count: width - name.count + 2))\(command.summary)")
        }
        return lines.joined(separator: "\n")
    }

    /// The text of `sentinel VERB --help`.
    public static func help(for command: Command) -> String {
        var text = "usage: \(command.usage)\n\n\(command.summary)"
        if !command.details.isEmpty {
            text += "\n\noptions:\n\(command.details)"
        }
        return text
    }
}
