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
        BenchCommand.command,
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
            console.printError("error: unknown command '\(words.prefix(2).joined(separator: " "))'")
            console.printError(overview)
            return ExitCode.usage
        }
        let rest = Array(words.dropFirst(command.words.count))
        if helpRequested || rest.contains("--help") || rest.contains("-h") {
            console.print(help(for: command))
            return ExitCode.success
        }
        var parser = Arguments(rest, environment: console.environment)
        do {
            return try await command.run(&parser, console)
        } catch let error as UsageError {
            console.printError("error: \(error.message)")
            console.printError("usage: \(command.usage)")
            return ExitCode.usage
        } catch {
            console.printError("error: \(error)")
            return ExitCode.failure
        }
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
