import Foundation
import SentinelCLI

exit(await SentinelCommandLine.run(Array(CommandLine.arguments.dropFirst()), console: .standard))
