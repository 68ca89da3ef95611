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
}
