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
