import Foundation
import Testing

@testable import SentinelDrift

/// Sentinel's drift statistics of the held-out demo sample against the demo training sample, against the values
/// numpy and scipy computed once for the same bins (benchmarks/drift-holdout-scipy.py wrote the fixture).
@Suite("Held-out sample against scipy")
struct HoldoutScipyTests {
    struct Fixture: Decodable {
        struct Column: Decodable {
            var name: String
            var edges: [Double]
            var referenceProportions: [Double]
            var referenceCount: Int
            var referenceMean: Double
            var referenceStd: Double
            var referenceMinimum: Double
            var referenceMaximum: Double
            var currentCounts: [Int]
            var psi: Double
            var jsDistance: Double
            var ksBinned: Double
            var wassersteinNormed: Double
        }

        struct File: Decodable {
            var file: String
            var rows: Int
        }

        var train: File
        var holdout: File
        var bins: Int
        var columns: [Column]
    }

    static let fixture: Fixture = {
        let url = TestData.packageRoot.appendingPathComponent("Tests/SentinelDriftTests/Fixtures/holdout_scipy.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test("PSI, JS, binned KS and Wasserstein of every column agree with scipy within 1e-9")
    func statistics() throws {
        #expect(Self.fixture.columns.count == 29)
        for column in Self.fixture.columns {
            let profile = FeatureProfile(
                name: column.name, edges: column.edges, proportions: column.referenceProportions,
                count: column.referenceCount, mean: column.referenceMean, standardDeviation: column.referenceStd,
                minimum: column.referenceMinimum, maximum: column.referenceMaximum, missingFraction: 0)
            let drift = try #require(
                DriftStatistics(reference: profile, current: BinnedHistogram(counts: column.currentCounts)))
            #expect(isClose(drift.psi, column.psi), "\(column.name) psi \(drift.psi) vs \(column.psi)")
            #expect(isClose(drift.jsDistance, column.jsDistance), "\(column.name) js")
            #expect(isClose(drift.ksStatistic, column.ksBinned), "\(column.name) ks")
            #expect(isClose(drift.wassersteinNormed, column.wassersteinNormed), "\(column.name) wasserstein")
        }
    }

    /// The binning itself, from the CSV files, when they are in data/ (they come with the demo sample).
    @Test(
        "Profiles and counts built from the CSV files are the fixture's",
        .enabled(
            if: FileManager.default.isReadableFile(
                atPath: TestData.packageRoot.appendingPathComponent("data/creditcard-demo-holdout.csv.gz").path),
            "data/creditcard-demo-train.csv.gz and -holdout.csv.gz are not in this checkout"))
    func binningFromFiles() throws {
        let data = TestData.packageRoot.appendingPathComponent("data")
        let (header, train) = try Self.read(data.appendingPathComponent(Self.fixture.train.file))
        let (_, holdout) = try Self.read(data.appendingPathComponent(Self.fixture.holdout.file))
        #expect(train.count == Self.fixture.train.rows && holdout.count == Self.fixture.holdout.rows)
        for column in Self.fixture.columns {
            let index = try #require(header.firstIndex(of: column.name))
            let profile = FeatureProfile(name: column.name, values: train.map { $0[index] }, bins: Self.fixture.bins)
            #expect(profile.edges == column.edges, "\(column.name) edges")
            let histogram = BinnedHistogram(values: holdout.map { $0[index] }, profile: profile)
            #expect(histogram.counts == column.currentCounts, "\(column.name) counts")
            let drift = try #require(DriftStatistics(reference: profile, current: histogram))
            #expect(isClose(drift.psi, column.psi), "\(column.name) psi from the files")
        }
    }

    private static func read(_ url: URL) throws -> (header: [String], rows: [[Double]]) {
        let lines = try TestData.gunzip(url).split(separator: "\n")
        let header = lines.first.map { $0.split(separator: ",").map(String.init) } ?? []
        let rows = lines.dropFirst().map { line in line.split(separator: ",").map { Double($0) ?? .nan } }
        return (header, rows)
    }
}
