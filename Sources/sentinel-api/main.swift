import Foundation
import SentinelArguments
import SentinelScoring

// sentinel-api: parse the configuration, then hand over to SentinelScoring.
var arguments = Arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
if arguments.flag("--version") {
    print("sentinel-api \(SentinelVersion.string)")
    exit(ExitCode.success)
}
if arguments.flag("--help") || arguments.flag("-h") {
    print(ScoringConfiguration.help)
    exit(ExitCode.success)
}
let configuration: ScoringConfiguration
do {
    configuration = try ScoringConfiguration(parsing: &arguments)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n\(ScoringConfiguration.usage)\n".utf8))
    exit(ExitCode.usage)
}
do {
    try await ScoringApplication(configuration: configuration).run()
    exit(ExitCode.success)
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(ExitCode.failure)
}
