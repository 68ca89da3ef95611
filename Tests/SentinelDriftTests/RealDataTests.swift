import Foundation
import Testing

@testable import SentinelDrift

/// Amount from the ULB card data: first 80 % against the last 20 %, and against the last 20 % × 1.5.
@Suite("Real data: ULB card Amount", .enabled(if: TestData.sharedDataAvailable, "shared data not found"))
struct RealDataTests {
    /// Reads the Amount column (the second of Time,Amount,Class).
    static func amounts() throws -> [Double] {
        let text = try TestData.gunzip(TestData.creditcardFile)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == "Time,Amount,Class" else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return try lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let amount = Double(fields[1]) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: String(line)])
            }
            return amount
        }
    }

    @Test("Unshifted is not flagged, × 1.5 is; binned KS within 0.02 of the exact KS", arguments: [10, 30])
    func amountDrift(bins: Int) throws {
        let amounts = try Self.amounts()
        #expect(amounts.count == 227_845)
        let split = amounts.count * 8 / 10
        let reference = Array(amounts[..<split])
        let recent = Array(amounts[split...])
        let shifted = recent.map { $0 * 1.5 }
        let report = try DriftReport(
            columns: ["Amount", "Amount×1.5"], reference: [reference, reference], current: [recent, shifted],
            options: .init(bins: bins))
        print(report.renderTable(), terminator: "")
        let plain = report.columns[0]
        let scaled = report.columns[1]
        #expect(plain.status == .ok)
        // PSI of the × 1.5 case is 0.172 with the default 10 bins (warn) and 0.318 with 30 bins (alert):
        // PSI grows with the number of bins, and Amount's many repeated values merge some quantile bins.
        #expect(scaled.status == (bins >= 30 ? .alert : .warn))
        for column in report.columns {
            // Binned KS only sees the CDF gap at bin edges: never above the exact statistic, and below it
            // by at most the mass inside one bin (here 10 quantile bins; the documented tolerance is 0.02).
            #expect(column.statistics.ksStatistic <= column.ks.statistic + 1e-12)
            #expect(column.ks.statistic - column.statistics.ksStatistic < 0.02)
            #expect(column.ks.method == .asymptotic)
        }
    }
}
