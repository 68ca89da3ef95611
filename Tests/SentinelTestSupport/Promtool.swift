import Foundation

/// Prometheus's own linter, where installed (`apt-get install -y prometheus`); tests that need it skip without it.
public enum Promtool {
    /// The executable, or `nil` when it is not installed.
    public static let path: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Pipes `text` into `promtool check metrics` on a thread of its own.
    /// - Parameter text: A Prometheus text exposition.
    /// - Returns: The exit status and everything promtool printed.
    public static func checkMetrics(_ text: String) async throws -> (status: Int32, output: String) {
        guard let path else { throw FetchError(text: "promtool is not installed") }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = ["check", "metrics"]
                let stdin = Pipe()
                let output = Pipe()
                process.standardInput = stdin
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                    stdin.fileHandleForWriting.write(Data(text.utf8))
                    try stdin.fileHandleForWriting.close()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
