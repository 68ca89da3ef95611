import SentinelCLI
import SentinelTestSupport
import Testing

@Suite("Command line")
struct CommandLineTests {
    @Test("--version and --help exit 0; an unknown verb is a usage error")
    func topLevel() async {
        #expect(await SentinelCommandLine.run(["--version"], console: .discarding) == 0)
        #expect(await SentinelCommandLine.run(["--help"], console: .discarding) == 0)
        #expect(await SentinelCommandLine.run(["frobnicate"], console: .discarding) == 64)
    }

    func run(_ arguments: [String]) async -> (status: Int32, output: String, error: String) {
        let capture = CapturedConsole()
        let status = await SentinelCommandLine.run(arguments, console: capture.console)
        return (status, capture.standardOutput, capture.standardError)
    }

    @Test("a mistyped verb gets 'did you mean', exit 64")
    func mistypedVerb() async {
        let (status, _, error) = await run(["trian", "--data", "x.csv"])
        #expect(status == 64)
        #expect(error.hasPrefix("error: unknown command 'trian' (did you mean 'train'?)\n"))
        let (subStatus, _, subError) = await run(["model", "inpsect", "m.sentinel"])
        #expect(subStatus == 64)
        #expect(subError.hasPrefix("error: unknown command 'model inpsect' (did you mean 'model inspect'?)\n"))
        let (_, _, far) = await run(["frobnicate"])
        #expect(far.hasPrefix("error: unknown command 'frobnicate'\n"))
    }

    @Test("--help after a verb group lists its verbs and exits 0; the group alone is a usage error")
    func groupHelp() async {
        for arguments in [["model", "--help"], ["model", "-h"], ["help", "model"]] {
            let (status, output, _) = await run(arguments)
            #expect(status == 0, "\(arguments)")
            #expect(output.hasPrefix("usage: sentinel model COMMAND"), "\(arguments)")
            #expect(output.contains("  model inspect  "), "\(arguments)")
        }
        let (status, output, error) = await run(["model"])
        #expect(status == 64)
        #expect(output.isEmpty)
        #expect(error.hasPrefix("error: 'model' needs a command\n"))
        for command in SentinelCommandLine.commands {
            let (helpStatus, helpOutput, _) = await run(command.words + ["--help"])
            #expect(helpStatus == 0, "\(command.name)")
            #expect(helpOutput.hasPrefix("usage: \(command.usage)"), "\(command.name)")
        }
    }

    @Test("a mistyped option is named with a suggestion, even when a required option is missing")
    func mistypedOption() async {
        let (status, _, error) = await run(["train", "--dta", "x.csv"])
        #expect(status == 64)
        #expect(error.hasPrefix("error: unknown option '--dta' (did you mean '--data'?)\nusage: sentinel train "))
        let (replayStatus, _, replayError) = await run(["replay", "--api", "127.0.0.1:1", "--dtaa=x.csv"])
        #expect(replayStatus == 64)
        #expect(replayError.hasPrefix("error: unknown option '--dtaa' (did you mean '--data'?)\n"))
        // Every option present and spelt right, one unknown at the end: finish() names it.
        let (lateStatus, _, lateError) = await run(["status", "--monitor", "127.0.0.1:1", "--jsn"])
        #expect(lateStatus == 64)
        #expect(lateError.hasPrefix("error: unknown option '--jsn' (did you mean '--json'?)\n"))
        // A missing required option alone is reported as such.
        let (missingStatus, _, missingError) = await run(["train", "--out", "m.sentinel"])
        #expect(missingStatus == 64)
        #expect(missingError.hasPrefix("error: missing --data\n"))
    }
}
