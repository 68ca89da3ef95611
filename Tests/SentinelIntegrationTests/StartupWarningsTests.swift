import Foundation
import Testing

/// What an operator might assume is happening and is not, said once when each service starts: an API with no
/// monitor reports its scores to nobody, and a service on a network address without a token answers anyone.
@Suite(
    "start-up warnings: no monitor, no token on a network address", .serialized,
    .enabled(if: RunningService.apiAvailable && BuiltProducts.available, "sentinel-api and sentinel are not built"))
struct StartupWarningsTests {
    static let noMonitor =
        "warning: no --monitor: scores are not reported to a monitor, so nothing watches this model's drift, flag "
        + "rate or labels"

    /// The network warning for a service listening on `address`.
    static func openToNetwork(_ address: String) -> String {
        "warning: listening on \(address), which is not a loopback address, with no --token-file: anyone who can "
            + "reach this port can call every method"
    }

    /// The `msg` of every JSON log line at level `warning`.
    static func warnings(in log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["level"] as? String == "warning"
            else { return nil }
            return object["msg"] as? String
        }
    }

    /// The lines of standard error that start with `warning:`.
    static func warningLines(in errors: String) -> [String] {
        errors.split(separator: "\n").map(String.init).filter { $0.hasPrefix("warning:") }
    }

    /// A token file in the temporary directory, removed by the caller.
    static func tokenFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try "startup-warnings-secret\n".write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    @Test("the API with no --monitor says once, at start, that nothing is being monitored")
    func apiWithoutMonitor() async throws {
        let api = try await RunningService.startAPI(model: APIModels.firstPath)
        #expect(Self.warningLines(in: api.errors) == [Self.noMonitor], "\(api.errors)")
        #expect(Self.warnings(in: api.log) == ["not monitored"], "\(api.log)")
        #expect(api.log.contains("\"reason\":\"no --monitor: scores are not reported"))
        #expect(await api.terminate() == 0)
        #expect(Self.warnings(in: api.log) == ["not monitored"], "said once, not again at shutdown")
    }

    @Test("on loopback with a monitor, neither service warns")
    func quietOnLoopback() async throws {
        let monitor = try await RunningService.startMonitor(arguments: ["--http-port", "0"])
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("warnings-spool-\(UUID())")
        defer { try? FileManager.default.removeItem(at: spool) }
        let api = try await RunningService.startAPI(
            model: APIModels.firstPath, arguments: ["--monitor", monitor.address, "--spool-dir", spool.path])
        #expect(Self.warningLines(in: api.errors).isEmpty, "\(api.errors)")
        #expect(Self.warnings(in: api.log).isEmpty, "\(api.log)")
        #expect(Self.warningLines(in: monitor.errors).isEmpty, "\(monitor.errors)")
        #expect(Self.warnings(in: monitor.log).isEmpty, "\(monitor.log)")
        #expect(await api.terminate() == 0)
        #expect(await monitor.terminate() == 0)
    }

    @Test("the API on 0.0.0.0 without a token says anyone can call it; with a token it does not")
    func apiOnNetworkAddress() async throws {
        let open = try await RunningService.startAPI(model: APIModels.firstPath, host: "0.0.0.0")
        #expect(
            Self.warningLines(in: open.errors) == [Self.noMonitor, Self.openToNetwork("0.0.0.0:\(open.port)")],
            "\(open.errors)")
        #expect(Self.warnings(in: open.log) == ["not monitored", "no token on a network address"], "\(open.log)")
        #expect(await open.terminate() == 0)

        let token = try Self.tokenFile()
        defer { try? FileManager.default.removeItem(at: token) }
        let closed = try await RunningService.startAPI(
            model: APIModels.firstPath, host: "0.0.0.0", arguments: ["--token-file", token.path])
        #expect(Self.warningLines(in: closed.errors) == [Self.noMonitor], "\(closed.errors)")
        #expect(await closed.terminate() == 0)
    }

    @Test("the monitor on 0.0.0.0 without a token says anyone can call it; with a token it does not")
    func monitorOnNetworkAddress() async throws {
        let open = try await RunningService.startMonitor(arguments: ["--host", "0.0.0.0", "--http-port", "0"])
        #expect(Self.warningLines(in: open.errors) == [Self.openToNetwork("0.0.0.0:\(open.port)")], "\(open.errors)")
        #expect(Self.warnings(in: open.log) == ["no token on a network address"], "\(open.log)")
        #expect(await open.terminate() == 0)

        let token = try Self.tokenFile()
        defer { try? FileManager.default.removeItem(at: token) }
        let closed = try await RunningService.startMonitor(
            arguments: ["--host", "0.0.0.0", "--http-port", "0", "--token-file", token.path])
        #expect(Self.warningLines(in: closed.errors).isEmpty, "\(closed.errors)")
        #expect(Self.warnings(in: closed.log).isEmpty, "\(closed.log)")
        #expect(await closed.terminate() == 0)
    }
}
