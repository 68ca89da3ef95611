import Foundation
import SentinelArguments

var arguments = Arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
if arguments.flag("--version") {
    print("sentinel-api \(SentinelVersion.string)")
    exit(ExitCode.success)
}
if arguments.flag("--help") {
    print("usage: sentinel-api [OPTIONS]")
    exit(ExitCode.success)
}
