import Foundation

/// Finds the built executables next to the test bundle and runs them.
enum BuiltProducts {
    /// The build directory holding the products: the directory of the running test bundle.
    static let directory: URL = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: executable)
        // The bundle is `<build>/sentinelPackageTests.xctest` (a file on Linux); step out of any bundle directory.
        while url.pathComponents.count > 1 && url.lastPathComponent != "debug" && url.lastPathComponent != "release"
            && !FileManager.default.fileExists(
                atPath: url.deletingLastPathComponent().appendingPathComponent("sentinel").path)
        {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent()
    }()

    /// The lines of a service's standard output that are not one JSON object each (empty when all are).
    static func nonJSONLines(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] == nil
        }
    }

    /// The path of a product, such as `sentinel-monitor`.
    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// Whether the executables the integration tests need were built.
    static var available: Bool {
        ["sentinel", "sentinel-monitor"].allSatisfy { FileManager.default.isExecutableFile(atPath: path($0)) }
    }

    /// Runs a product to completion and captures its output, on a thread of its own (the waits block).
    static func run(_ name: String, _ arguments: [String]) async throws -> (
        status: Int32, output: String, error: String
    ) {
        try await offPool { try blockingRun(name, arguments) }.get()
    }

    private static func blockingRun(
        _ name: String, _ arguments: [String]
    ) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outputData, as: UTF8.self),
            String(decoding: errorData, as: UTF8.self)
        )
    }
}

/// Runs a blocking call on a thread of its own, so it never occupies one of the cooperative pool's few threads.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: Result { try body() }) }
    }
}

/// A running `sentinel-monitor`, started on port 0, its port parsed from "listening on HOST:PORT" on standard error.
///
/// `@unchecked Sendable` invariant: `port` is set only during `init`; `Process` is used from one task at a time.
final class RunningMonitor: @unchecked Sendable {
    let process = Process()
    let logFile: URL
    let errorFile: URL
    private(set) var port: UInt16 = 0

    /// Starts the monitor and waits (off the cooperative pool) until it prints its port.
    static func start(arguments: [String] = []) async throws -> RunningMonitor {
        try await offPool { try RunningMonitor(arguments: arguments) }.get()
    }

    private init(arguments: [String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID().uuidString).log")
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("monitor-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("sentinel-monitor"))
        process.arguments = ["--port", "0"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let port = Self.port(in: errors) {
                self.port = port
                return
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw CocoaError(
            .executableLoad, userInfo: [NSLocalizedDescriptionKey: "monitor did not start: \(log)\(errors)"])
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// Standard output: JSON log lines only.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
    /// Standard error: the human "listening on" lines and errors.
    var errors: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits (off the cooperative pool, at most 20 s) for the exit status.
    func terminate() async -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        let process = self.process
        let status = await offPool { () -> Int32? in
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            return process.isRunning ? nil : process.terminationStatus
        }
        return try? status.get()
    }

    private static func port(in log: String) -> UInt16? {
        for line in log.split(separator: "\n") where line.hasPrefix("listening on ") {
            if let colon = line.lastIndex(of: ":") { return UInt16(line[line.index(after: colon)...]) }
        }
        return nil
    }
}
