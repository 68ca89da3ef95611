import Foundation
import SentinelLog

/// The `sentinel-api` process: builds the reporter (when a monitor is configured) and the server, and runs them.
public enum ScoringApplication {
    /// Runs the scoring service until SIGTERM or SIGINT.
    /// - Parameter configuration: The parsed settings.
    /// - Throws: ``ScoringError`` when the service cannot start (bad token file, address in use, model unusable).
    public static func run(_ configuration: ScoringConfiguration) async throws {
        let log = JSONLog.standardOutput
        let reporter = try makeReporter(configuration)
        // JSON lines on standard output; the one human line goes to standard error.
        let server = ScoringServer(configuration: configuration, reporter: reporter, log: log) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        try await server.run()
    }
}
