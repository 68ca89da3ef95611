import Foundation

/// Locates the package's test fixtures and the shared data folder.
enum TestData {
    /// The package root, derived from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `SENTINEL_SHARED_DIR`, or `../shared` next to the package root.
    static var sharedDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["SENTINEL_SHARED_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The ULB Time/Amount/Class development file.
    static var creditcardFile: URL {
        sharedDirectory.appendingPathComponent("data/creditcard-time-amount-class-dev.csv.gz")
    }

    /// Whether the shared data (and gzip to read it) is present.
    static var sharedDataAvailable: Bool {
        FileManager.default.isReadableFile(atPath: creditcardFile.path)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip")
    }

    /// The stored scipy fixtures.
    static func fixtures() throws -> DriftFixtures {
        let url = packageRoot.appendingPathComponent("Tests/SentinelDriftTests/Fixtures/drift_fixtures.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DriftFixtures.self, from: Data(contentsOf: url))
    }

    /// Decompresses a gzip file with /usr/bin/gzip and returns its text.
    static func gunzip(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The JSON written by Fixtures/make_fixtures.py.
struct DriftFixtures: Decodable {
    struct Case: Decodable {
        var name: String
        var bins: Int
        var reference: [Double]
        var current: [Double]
        var edges: [Double]
        var referenceProportions: [Double]
        var currentCounts: [Int]
        var midpoints: [Double]
        var psi: Double
        var jsDistance: Double
        var ksBinned: Double
        var wassersteinNormed: Double
        var ksStatistic: Double
        var ksPValue: Double
        var ksMethod: String
        var ksPLimit: Double
    }

    struct Kolmogorov: Decodable {
        var x: Double
        var sf: Double
    }

    struct Quantile: Decodable {
        var p: Double
        var z: Double
    }

    struct Wilson: Decodable {
        var successes: Int
        var trials: Int
        var confidence: Double
        var lower: Double
        var upper: Double
    }

    var generator: String
    var psiEpsilon: Double
    var cases: [Case]
    var kolmogorov: [Kolmogorov]
    var normalQuantiles: [Quantile]
    var wilson: [Wilson]
}

/// `|a − b| ≤ tolerance · max(1, |b|)`: absolute near zero, relative for large values.
func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// `|a − b| ≤ tolerance · |b|`, for p-values that may be tiny.
func isRelativelyClose(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * abs(b) || abs(a - b) < 1e-300
}
