import Foundation

@testable import SentinelData

/// Locates `../shared/data` (relative to the package root) or `$SENTINEL_SHARED_DIR/data`.
enum SharedData {
    static let directory: String = {
        if let shared = ProcessInfo.processInfo.environment["SENTINEL_SHARED_DIR"] {
            return URL(fileURLWithPath: shared).appendingPathComponent("data").path
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("../shared/data").standardized.path
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: path("handbook-sim-transformed-dev.csv.gz"))
    }

    static func path(_ name: String) -> String { "\(directory)/\(name)" }
}

/// The package root, for files committed in the repository.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}

/// Helpers shared by the SentinelData tests.
enum Fixtures {
    static let gzipPath: String? = ["/usr/bin/gzip", "/bin/gzip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var hasGzip: Bool { gzipPath != nil }

    /// Compresses `bytes` with the `gzip` command.
    static func gzip(_ bytes: [UInt8], _ arguments: [String] = []) throws -> [UInt8] {
        let input = temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzipPath!)
        process.arguments = ["-c"] + arguments + [input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "gzip failed")
        return [UInt8](output)
    }

    /// Decompresses with Sentinel's decoder, reading in pieces of `step` bytes.
    static func gunzip(_ bytes: [UInt8], step: Int = 100_000) throws -> [UInt8] {
        let reader = GzipReader(source: MemorySource(bytes), name: "test.gz")
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: step)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { return output }
            output += chunk[0..<count]
        }
    }

    static func temporaryFile(_ bytes: [UInt8], suffix: String = "") -> String {
        let path = NSTemporaryDirectory() + "sentinel-data-\(UUID().uuidString)\(suffix)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Deterministic pseudo-random bytes (SplitMix64).
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var result = [UInt8]()
        result.reserveCapacity(count)
        while result.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for shift in stride(from: 0, to: 64, by: 8) where result.count < count {
                result.append(UInt8(truncatingIfNeeded: z >> UInt64(shift)))
            }
        }
        return result
    }

    /// A text corpus with long-range repetition (CSV-like lines), about `count` bytes.
    static func textCorpus(_ count: Int, seed: UInt64) -> [UInt8] {
        let noise = randomBytes(count / 8 + 16, seed: seed)
        var text = "id,when,amount,note\n"
        var index = 0
        while text.utf8.count < count {
            let a = Int(noise[index % noise.count])
            let b = Int(noise[(index + 1) % noise.count])
            text += "\(index),2018-07-\(10 + a % 20) \(a % 24):\(b % 60):00,\(a * 7 + b).\(b % 100),"
            text += a % 3 == 0 ? "\"quoted, with \"\"quotes\"\"\"\n" : "plain text number \(b)\n"
            index += 2
        }
        return Array(text.utf8.prefix(count))
    }
}
