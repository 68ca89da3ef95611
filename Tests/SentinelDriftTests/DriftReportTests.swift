import Foundation
import Testing

@testable import SentinelDrift

@Suite("Offline drift report")
struct DriftReportTests {
    static let reference: [[Double]] = [(0..<400).map { Double($0) }, (0..<400).map { Double($0 % 3) }]
    static let current: [[Double]] = [(0..<300).map { Double($0) + 150 }, (0..<300).map { Double($0 % 3) } + [.nan]]

    @Test("Each column's numbers equal the building blocks'")
    func columns() throws {
        let report = try DriftReport(columns: ["a", "b"], reference: Self.reference, current: Self.current)
        #expect(report.columns.map(\.name) == ["a", "b"])
        let profile = FeatureProfile(name: "a", values: Self.reference[0], bins: 10)
        let drift = DriftStatistics(
            reference: profile, current: BinnedHistogram(values: Self.current[0], profile: profile))
        let a = report.columns[0]
        #expect(a.statistics == drift)
        #expect(a.ks == (try KolmogorovSmirnov(Self.reference[0], Self.current[0])))
        #expect(a.status == .alert)
        let b = report.columns[1]
        #expect(b.profile.binCount == 3 && b.currentMissing == 1 && b.currentCount == 300)
        #expect(b.status == .ok)
        #expect(report.driftShare == 0.5 && report.alertShare == 0.5)
    }

    @Test("JSON carries the documented keys per column")
    func json() throws {
        let report = try DriftReport(columns: ["a", "b"], reference: Self.reference, current: Self.current)
        let object = try JSONSerialization.jsonObject(with: Data(report.renderJSON().utf8)) as? [String: Any]
        let columns = try #require(object?["columns"] as? [[String: Any]])
        #expect(columns.count == 2)
        for key in ["name", "psi", "js_distance", "ks_statistic", "ks_p_value", "wasserstein_normed", "status"] {
            #expect(columns[0][key] != nil, "missing \(key)")
        }
        #expect(columns[0]["status"] as? String == "alert")
        #expect(columns[0]["ks_statistic"] as? Double == report.columns[0].ks.statistic)
        #expect(object?["drift_share"] as? Double == 0.5)
        #expect(object?["dataset_status"] is String)
    }

    @Test("The table has a header, one row per column and the drift share")
    func table() throws {
        let report = try DriftReport(columns: ["a", "b"], reference: Self.reference, current: Self.current)
        let lines = report.renderTable().split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("column") && lines[0].contains("psi") && lines[0].hasSuffix("status"))
        #expect(lines[1].hasPrefix("a ") && lines[1].hasSuffix("alert"))
        #expect(lines[2].hasPrefix("b ") && lines[2].hasSuffix("ok"))
        #expect(lines[3].hasPrefix("drift share: 1/2"))
        // One of two columns at alert: half, so the files are at alert by the DatasetDrift rule.
        #expect(lines[4].hasPrefix("dataset: alert (dataset drift: alert when at least half"))
    }

    @Test("Bad input gets a clear error")
    func errors() {
        #expect(
            throws: DriftError(.shapeMismatch, "1 column names but 2 reference and 2 current columns")
        ) {
            try DriftReport(columns: ["a"], reference: Self.reference, current: Self.current)
        }
        #expect(throws: DriftError.self) {
            try DriftReport(columns: ["a"], reference: [[.nan]], current: [[1]])
        }
        #expect(throws: DriftError.self) {
            try DriftReport(columns: ["a"], reference: [[1, 2]], current: [[1]], options: .init(bins: 1))
        }
    }
}
