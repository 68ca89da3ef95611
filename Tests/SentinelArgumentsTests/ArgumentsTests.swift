import SentinelArguments
import Testing

@Suite("Arguments")
struct ArgumentsTests {
    @Test("options in both spellings, flags, and the environment fallback")
    func parsesOptions() throws {
        var arguments = Arguments(
            ["--port=9000", "--json", "file.csv", "--api", "h:1"], environment: ["SENTINEL_X": "7"])
        #expect(try arguments.option("--port", as: UInt16.self) == 9000)
        let json = arguments.flag("--json")
        #expect(json)
        #expect(try arguments.option("--api") == "h:1")
        #expect(try arguments.option("--x", environment: "SENTINEL_X", as: Int.self) == 7)
        let file = arguments.positional()
        #expect(file == "file.csv")
        try arguments.finish()
    }

    @Test("the command line wins over the environment")
    func commandLineWins() throws {
        var arguments = Arguments(["--port", "1"], environment: ["SENTINEL_PORT": "2"])
        #expect(try arguments.option("--port", environment: "SENTINEL_PORT") == "1")
    }

    @Test("unknown options, missing values and bad numbers are usage errors")
    func rejectsBadInput() throws {
        #expect(throws: UsageError.self) { try Arguments(["--bogus"]).finish() }
        var missing = Arguments(["--port"])
        #expect(throws: UsageError.self) { try missing.option("--port") }
        var bad = Arguments(["--port", "eighty"])
        #expect(throws: UsageError.self) { try bad.option("--port", as: UInt16.self) }
    }

    @Test("suggestions: close spellings only, transpositions count once")
    func suggestions() {
        #expect(Suggestion.closest(to: "trian", among: ["train", "evaluate", "status"]) == "train")
        #expect(Suggestion.closest(to: "--dta", among: ["--data", "--json"]) == "--data")
        #expect(Suggestion.closest(to: "--jsno", among: ["--data", "--json"]) == "--json")
        #expect(Suggestion.closest(to: "xyz", among: ["train", "score"]) == nil)
        #expect(Suggestion.closest(to: "--x", among: ["--c", "--l2"]) == nil)
        #expect(Suggestion.didYouMean("scroe", among: ["score"]) == " (did you mean 'score'?)")
    }

    @Test("finish() suggests from the options asked for")
    func finishSuggests() throws {
        var arguments = Arguments(["--prot", "1"])
        _ = try arguments.option("--port")
        _ = arguments.flag("--json")
        #expect {
            try arguments.finish()
        } throws: { error in
            (error as? UsageError)?.message == "unknown option '--prot' (did you mean '--port'?)"
        }
        let unknown = Arguments.firstUnknownOption(in: ["--data", "x", "--limt=3"], known: ["--data", "--limit"])
        #expect(unknown?.message == "unknown option '--limt' (did you mean '--limit'?)")
    }
}
