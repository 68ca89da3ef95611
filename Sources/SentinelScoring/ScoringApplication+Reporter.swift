import Foundation
import SentinelPosix
import SentinelRPC

extension ScoringApplication {
    /// The reporter to the configured monitor (spooling to `--spool-dir`), or `nil` when no monitor is configured.
    /// - Throws: ``ScoringError`` `.configuration` for a bad monitor address, an unreadable monitor token file or an
    ///   unusable spool directory.
    static func makeReporter(_ configuration: ScoringConfiguration) throws -> EventReporter? {
        guard let monitor = configuration.monitor else { return nil }
        guard let address = SocketAddress(parsing: monitor) else {
            throw ScoringError(.configuration, "--monitor must be \(SocketAddress.syntax), got '\(monitor)'")
        }
        var settings = EventReporter.Configuration(monitor: address, spoolDirectory: configuration.spoolDirectory)
        settings.maximumInFlight = configuration.reportInFlight
        settings.pendingCapacityBytes = configuration.reportMemoryMegabytes << 20
        if let path = configuration.monitorTokenFile {
            settings.token = try ScoringServer.readToken(path)
        }
        do {
            return try EventReporter(configuration: settings)
        } catch {
            throw ScoringError(.configuration, "cannot start the event reporter: \(error)", cause: error)
        }
    }
}
