import Foundation
import SentinelData
import SentinelModel

/// A running `sentinel-api`, started on port 0; its port is read from the human "listening on HOST:PORT" line on
/// standard error, and `start` returns once the JSON "serving" line shows the model is loaded.
///
/// `@unchecked Sendable` invariant: `port` is set only during `init`; `Process` is used from one task at a time.
final class RunningAPI: @unchecked Sendable {
    let process = Process()
    let logFile: URL
    let errorFile: URL
    private(set) var port: UInt16 = 0

    /// Whether `sentinel-api` was built next to the tests.
    static var available: Bool { FileManager.default.isExecutableFile(atPath: BuiltProducts.path("sentinel-api")) }

    /// Starts the service and waits (off the cooperative pool) until it is SERVING.
    static func start(model: String, arguments: [String] = []) async throws -> RunningAPI {
        try await offPool { try RunningAPI(model: model, arguments: arguments) }.get()
    }

    private init(model: String, arguments: [String]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("api-\(UUID().uuidString).log")
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("api-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: BuiltProducts.path("sentinel-api"))
        process.arguments = ["--model", model, "--host", "127.0.0.1", "--port", "0", "--grace-period", "5"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = log
            if port == 0, let found = Self.port(in: errors) { port = found }
            if port != 0 && text.contains("\"msg\":\"serving\"") { return }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.terminate()
        throw CocoaError(
            .executableLoad, userInfo: [NSLocalizedDescriptionKey: "sentinel-api did not start: \(log)\(errors)"])
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
    var address: String { "127.0.0.1:\(port)" }

    /// Sends a signal.
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits (off the cooperative pool, at most 30 s) for the exit status.
    func waitForExit() async -> Int32? {
        let process = self.process
        let status = await offPool { () -> Int32? in
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            return process.isRunning ? nil : process.terminationStatus
        }
        return try? status.get()
    }

    private static func port(in errors: String) -> UInt16? {
        for line in errors.split(separator: "\n") where line.hasPrefix("listening on ") {
            if let colon = line.lastIndex(of: ":") { return UInt16(line[line.index(after: colon)...]) }
        }
        return nil
    }
}

/// Models trained once, in the test, from the committed sample `data/creditcard-sample.csv.gz` (logistic: fast).
enum APIModels {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The sample rows.
    static let sample: Dataset = {
        do {
            return try DatasetLoader.load(
                path: packageRoot.appendingPathComponent("data/creditcard-sample.csv.gz").path)
        } catch {
            fatalError("cannot load data/creditcard-sample.csv.gz: \(error)")
        }
    }()

    /// Two models with the same inputs and different versions, written to a temporary directory.
    static let files: (directory: URL, first: ModelFile, second: ModelFile) = {
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-api-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let first = try ModelFile(
                artifact: ModelTrainer.train(
                    dataset: sample, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression()))))
            let second = try ModelFile(
                artifact: ModelTrainer.train(
                    dataset: sample,
                    configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression(c: 0.25)))))
            try first.write(to: directory.appendingPathComponent("first.sentinel").path)
            try second.write(to: directory.appendingPathComponent("second.sentinel").path)
            return (directory, first, second)
        } catch {
            fatalError("cannot train the test models: \(error)")
        }
    }()

    static var firstPath: String { files.directory.appendingPathComponent("first.sentinel").path }
    static var secondPath: String { files.directory.appendingPathComponent("second.sentinel").path }

    /// Sample row `row` as raw inputs in model order.
    static func features(row: Int) -> [Double] {
        sample.features.map { $0[row] }
    }
}
