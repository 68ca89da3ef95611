import Foundation
import Testing

@testable import SentinelDrift

@Suite("Thresholds calibrated from training chunks, per-column thresholds and the dataset rule")
struct CalibrationTests {
    /// Two bins split at 0, half the training values in each.
    static func profile(_ calibration: DriftCalibration? = nil) -> FeatureProfile {
        FeatureProfile(
            name: "a", edges: [0], proportions: [0.5, 0.5], count: 1_000, mean: 0, standardDeviation: 1, minimum: -1,
            maximum: 1, missingFraction: 0, calibration: calibration)
    }

    @Test("three chunks of four rows: mean + 2σ and + 3σ of their PSI, by hand; the rows after the last chunk ignored")
    func handComputed() throws {
        // Chunks ¾/¼, ¼/¾ and ½/½ against ½/½: PSI a, a, 0 with a = ¼·ln 1.5 + ¼·ln 2 = ¼·ln 3.
        let values: [Double] = [-1, -1, -1, 1, -1, 1, 1, 1, -1, -1, 1, 1, 1]
        let calibration = try #require(DriftCalibration(profile: Self.profile(), values: values, chunkRows: 4))
        let a = log(3.0) / 4
        let mean = 2 * a / 3
        let deviation = a * 2.0.squareRoot() / 3  // population σ of (a, a, 0)
        #expect(calibration.chunks == 3 && calibration.chunkRows == 4 && calibration.metric == .psi)
        #expect(abs(calibration.mean - mean) < 1e-12)
        #expect(abs(calibration.standardDeviation - deviation) < 1e-12)
        #expect(abs(calibration.warn - (mean + 2 * deviation)) < 1e-12)  // 0.442…
        #expect(abs(calibration.alert - (mean + 3 * deviation)) < 1e-12)  // 0.571…
    }

    @Test("never below the defaults; fewer than two chunks calibrate nothing")
    func floorsAndTooFewRows() throws {
        let steady = [Double](repeating: -1, count: 50) + [Double](repeating: 1, count: 50)
        let interleaved = (0..<100).map { $0 % 2 == 0 ? -1.0 : 1.0 }
        let calibration = try #require(DriftCalibration(profile: Self.profile(), values: interleaved, chunkRows: 10))
        #expect(calibration.mean == 0 && calibration.warn == 0.1 && calibration.alert == 0.25)
        #expect(DriftCalibration(profile: Self.profile(), values: steady, chunkRows: 51) == nil)
    }

    /// A window of 100 values, 90 below 0: PSI 0.4·ln 1.8 + 0.4·ln 5 ≈ 0.879 against ½/½.
    func level(_ profile: FeatureProfile, _ configuration: DriftWindows.Configuration = .init()) throws -> DriftLevel {
        let reference = ReferenceProfile(
            features: [profile], score: FeatureProfile(name: "score", values: [0.1, 0.9], bins: 2), baseFraudRate: 0.5,
            baseFlagRate: 0.5)
        var windows = try DriftWindows(reference: reference, configuration: configuration, startingAt: 0)
        for index in 0..<100 { windows.record(features: [index < 90 ? -1 : 1], score: 0.5, flagged: false) }
        _ = windows.advance(to: configuration.windowMilliseconds)
        return windows.levels[0]
    }

    @Test("a column is judged on its own thresholds: set for it on the monitor, else set for all, else calibrated")
    func precedence() throws {
        let calibrated = Self.profile(
            DriftCalibration(
                metric: .psi, warn: 0.5, alert: 1.0, chunks: 10, chunkRows: 100, mean: 0.2,
                standardDeviation: 0.1))
        #expect(try level(Self.profile()) == .alert, "defaults: 0.879 ≥ 0.25")
        #expect(try level(calibrated) == .warn, "calibrated: 0.5 ≤ 0.879 < 1.0")
        var all = DriftWindows.Configuration()
        all.thresholdsSet = true
        #expect(try level(calibrated, all) == .alert, "--psi-warn/--psi-alert win over the calibration")
        var one = all
        one.columnThresholds = ["a": DriftThresholds.Levels(warn: 2, alert: 3)]
        #expect(try level(calibrated, one) == .ok, "--drift-thresholds a=2:3 wins over everything")
        let windows = try DriftWindows(
            reference: ReferenceProfile(features: [calibrated], score: calibrated, baseFraudRate: 0, baseFlagRate: 0),
            configuration: one, startingAt: 0)
        #expect(windows.thresholds(column: 0).source == .monitor && windows.thresholds(column: 1).source == .monitor)
        one.columnThresholds = ["a": DriftThresholds.Levels(warn: 3, alert: 2)]
        #expect(throws: DriftError.self) { try one.validate() }
    }

    @Test(
        "the dataset rule: alert from half the inputs at alert, warn from 30 % at warn or above",
        arguments: [
            ([DriftLevel.alert, .alert, .ok, .ok], DriftLevel.alert), ([.alert, .ok, .ok, .ok], .ok),
            ([.warn, .alert, .ok, .ok, .ok], .warn), ([.warn, .ok, .ok, .ok], .ok), ([], .ok),
        ])
    func datasetRule(levels: [DriftLevel], expected: DriftLevel) {
        #expect(DatasetDrift.level(levels) == expected)
    }
}
