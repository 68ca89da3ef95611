import Foundation

/// A running service executable (`sentinel-api`, `sentinel-monitor`) started on port 0: standard output (JSON log
/// lines) and standard error (the human "listening on HOST:PORT" line, errors) go to temporary files, the port is
/// read from that line, and `start` returns once `isReady` holds for the output.
///
/// `@unchecked Sendable` invariant: `port` is set only during `init`; `Process` is used from one task at a time.
final class RunningService: @unchecked Sendable {
    let process = Process()
    let logFile: URL
    let errorFile: URL
    private(set) var port: UInt16 = 0
    /// The HTTP port (`/metrics`; the monitor's dashboard), from the `metrics on` or `dashboard on` line; 0 if none.
    private(set) var httpPort: UInt16 = 0
    /// A directory made for the service (an API's spool), removed with the log files.
    fileprivate(set) var scratch: URL?

    /// Starts `product` and waits (off the cooperative pool, at most `timeout` seconds) until it listens and
    /// `isReady(log)` holds.
    static func start(
        _ product: String, arguments: [String], timeout: TimeInterval = 30,
        isReady: @escaping @Sendable (_ log: String) -> Bool = { _ in true }
    ) async throws -> RunningService {
        try await offPool {
            try RunningService(product: product, arguments: arguments, timeout: timeout, isReady: isReady)
        }.get()
    }

    private init(
        product: String, arguments: [String], timeout: TimeInterval, isReady: (_ log: String) -> Bool
    ) throws {
        let directory = FileManager.default.temporaryDirectory
        logFile = directory.appendingPathComponent("\(product)-\(UUID().uuidString).log")
        errorFile = directory.appendingPathComponent("\(product)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path(product))
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if port == 0, let found = Self.port(in: errors) {
                port = found
                httpPort = Self.httpPort(in: errors) ?? 0
            }
            if port != 0 && isReady(log) { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw CocoaError(
            .executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(product) did not start: \(log)\(errors)"])
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: errorFile)
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    /// Standard output: JSON log lines only.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
    /// Standard error: the human "listening on" lines and errors.
    var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }
    var address: String { "127.0.0.1:\(port)" }

    /// Sends a signal.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits (off the cooperative pool, at most `timeout` seconds) for the exit status.
    func waitForExit(timeout: TimeInterval = 30) async -> Int32? {
        let process = self.process
        let status = await offPool { () -> Int32? in
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            return process.isRunning ? nil : process.terminationStatus
        }
        return try? status.get()
    }

    /// Sends SIGTERM and waits (at most 20 s) for the exit status.
    func terminate() async -> Int32? {
        signal(SIGTERM)
        return await waitForExit(timeout: 20)
    }

    private static func httpPort(in errors: String) -> UInt16? {
        for line in errors.split(separator: "\n")
        where line.hasPrefix("metrics on http://") || line.hasPrefix("dashboard on http://") {
            let url = line.split(separator: " ").last ?? ""
            let hostPort = url.dropFirst("http://".count).prefix { $0 != "/" }
            if let colon = hostPort.lastIndex(of: ":") { return UInt16(hostPort[hostPort.index(after: colon)...]) }
        }
        return nil
    }

    private static func port(in errors: String) -> UInt16? {
        for line in errors.split(separator: "\n") where line.hasPrefix("listening on ") {
            if let colon = line.lastIndex(of: ":") { return UInt16(line[line.index(after: colon)...]) }
        }
        return nil
    }
}

extension RunningService {
    /// Whether `sentinel-api` was built next to the tests.
    static var apiAvailable: Bool { FileManager.default.isExecutableFile(atPath: BuiltProducts.path("sentinel-api")) }

    /// Starts `sentinel-api` with `model` on `host` (default 127.0.0.1) and waits until its JSON "serving" line shows
    /// the model is loaded.
    static func startAPI(model: String, host: String = "127.0.0.1", arguments: [String] = []) async throws
        -> RunningService
    {
        try await start(
            "sentinel-api",
            arguments: ["--model", model, "--host", host, "--port", "0", "--http-port", "0", "--grace-period", "5"]
                + arguments,
            isReady: { $0.contains("\"msg\":\"serving\"") })
    }

    /// Starts `sentinel-api` reporting to `monitor`, with its spool in a temporary directory removed with the
    /// service.
    static func startAPI(
        reportingTo monitor: RunningService, model: String = APIModels.firstPath, arguments: [String] = []
    ) async throws -> RunningService {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID())")
        do {
            let api = try await startAPI(
                model: model, arguments: ["--monitor", monitor.address, "--spool-dir", spool.path] + arguments)
            api.scratch = spool
            return api
        } catch {
            try? FileManager.default.removeItem(at: spool)
            throw error
        }
    }
}

extension RunningService {
    /// Starts `sentinel-monitor` on port 0 and waits until it listens.
    static func startMonitor(arguments: [String] = []) async throws -> RunningService {
        try await start("sentinel-monitor", arguments: ["--port", "0"] + arguments, timeout: 20)
    }
}
