import Foundation

/// Headless Chromium for the dashboard's browser tests: found at the usual paths and run to completion on a thread
/// of its own (never on the cooperative pool). Tests skip when ``path`` is `nil` (`apt-get install -y chromium`).
///
/// ```swift
/// let dom = try await Chromium.dumpDOM("http://127.0.0.1:8501/", size: "1440,900")
/// ```
public enum Chromium {
    /// The browser, or `nil` when none is installed.
    public static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The flags of every run: headless, no sandbox (containers), no GPU, no background traffic.
    public static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

    /// The sizes the page is checked at: a laptop and a phone.
    public static let sizes = ["1440,900", "390,844"]

    /// The DOM after the page ran for `budget` milliseconds of virtual time (its polls and timers run that long).
    /// - Parameters:
    ///   - url: The page.
    ///   - size: The window size, `W,H`.
    ///   - budget: Virtual milliseconds to run the page.
    /// - Returns: The serialised DOM.
    /// - Throws: When Chromium is missing or cannot be started.
    public static func dumpDOM(_ url: String, size: String, budget: Int = 8_000) async throws -> String {
        try await run(flags + ["--virtual-time-budget=\(budget)", "--window-size=\(size)", "--dump-dom", url])
    }

    /// Writes a PNG of the page at a window size, scroll bars hidden.
    /// - Parameters:
    ///   - url: The page.
    ///   - size: The window size, `W,H`.
    ///   - path: Where the PNG goes.
    ///   - budget: Virtual milliseconds to run the page first.
    /// - Throws: When Chromium is missing or cannot be started.
    public static func screenshot(_ url: String, size: String, to path: String, budget: Int = 8_000) async throws {
        _ = try await run(
            flags + [
                "--virtual-time-budget=\(budget)", "--hide-scrollbars", "--screenshot=\(path)", "--window-size=\(size)",
                url,
            ])
    }

    /// The directory screenshots go to: `SENTINEL_DASHBOARD_SCREENSHOTS` when set, else a new temporary directory.
    /// - Parameter name: The temporary directory's name prefix.
    /// - Returns: The directory, created.
    /// - Throws: When it cannot be created.
    public static func screenshotDirectory(_ name: String) throws -> String {
        let directory =
            ProcessInfo.processInfo.environment["SENTINEL_DASHBOARD_SCREENSHOTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func run(_ arguments: [String]) async throws -> String {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
