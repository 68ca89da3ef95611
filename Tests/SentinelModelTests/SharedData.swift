import Foundation

/// Locates the shared development data: `$SENTINEL_SHARED_DIR/data`, else `../shared/data` relative to the
/// package root. Tests that need it are disabled, with a message saying why, when it is absent.
enum SharedData {
    /// The data directory, or nil when absent.
    static let directory: String? = {
        let candidate: String
        if let shared = ProcessInfo.processInfo.environment["SENTINEL_SHARED_DIR"], !shared.isEmpty {
            candidate = shared + "/data"
        } else {
            // #filePath is <root>/Tests/SentinelModelTests/SharedData.swift.
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            candidate = root.deletingLastPathComponent().appendingPathComponent("shared/data").path
        }
        return FileManager.default.fileExists(atPath: candidate + "/" + handbookFile) ? candidate : nil
    }()

    /// The Handbook transformed file's name.
    static let handbookFile = "handbook-sim-transformed-dev.csv.gz"

    /// Whether the Handbook transformed data is present.
    static var isAvailable: Bool { directory != nil }

    /// The Handbook transformed file's path (only valid when ``isAvailable``).
    static var handbookPath: String { (directory ?? "") + "/" + handbookFile }

    /// Whether slow tests were asked for (`SENTINEL_RUN_SLOW_TESTS` set).
    static var runSlowTests: Bool { ProcessInfo.processInfo.environment["SENTINEL_RUN_SLOW_TESTS"] != nil }
}
