import Foundation
import SentinelArguments

var arguments = Arguments(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
if arguments.flag("--version") {
    print("sentinel-monitor \(SentinelVersion.string)")
    exit(ExitCode.success)
}
if arguments.flag("--help") {
    print("usage: sentinel-monitor [OPTIONS]")
    exit(ExitCode.success)
}
