import Foundation
import Testing

@testable import SentinelData

/// Checks against the development data in `../shared/data` (skipped when it is absent): the row and fraud counts of
/// its README and Docs/Evaluation.md, and every value against an independent reference parse (`gzip -dc`, line split,
/// Swift's `Double(String)`).
@Suite("Shared data files", .enabled(if: SharedData.isAvailable, "needs ../shared/data (or $SENTINEL_SHARED_DIR)"))
struct SharedDataTests {
    static var runSlow: Bool { ProcessInfo.processInfo.environment["SENTINEL_RUN_SLOW_TESTS"] != nil }

    static func frauds(_ dataset: Dataset) -> Int { dataset.labels.reduce(0) { $0 + Int($1) } }

    /// The first `lines` lines of a gzip file, decompressed by the gzip command, split into fields.
    static func referenceRows(_ name: String, lines: Int? = nil) throws -> (header: [String], rows: [[Substring]]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let head = lines.map { " | head -n \($0 + 1)" } ?? ""
        process.arguments = ["-c", "gzip -dc '\(SharedData.path(name))'\(head)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        var all = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = all.removeFirst().map(String.init)
        return (header, all)
    }

    /// Compares every feature, label and time of `dataset` with the reference parse, bit for bit.
    static func expectMatchesReference(_ dataset: Dataset, _ reference: (header: [String], rows: [[Substring]])) {
        #expect(dataset.rowCount == reference.rows.count)
        let featureColumns = dataset.featureNames.map { reference.header.firstIndex(of: $0)! }
        var mismatches = 0
        for (row, fields) in reference.rows.enumerated() where row < dataset.rowCount {
            for (feature, column) in featureColumns.enumerated() {
                let expected = fields[column].isEmpty ? Double.nan : Double(String(fields[column]))!
                if dataset.features[feature][row].bitPattern != expected.bitPattern { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("ULB 31-column sample: 2,612 rows, 417 frauds, values exact")
    func ulbSample() throws {
        let dataset = try DatasetLoader.load(path: SharedData.path("creditcard-dev.csv.gz"))
        #expect(dataset.schema == .ulb)
        #expect(dataset.rowCount == 2612)
        #expect(Self.frauds(dataset) == 417)
        #expect(dataset.eventTimes.first == 69 && dataset.eventTimes.last == 145_075)
        Self.expectMatchesReference(dataset, try Self.referenceRows("creditcard-dev.csv.gz"))
        let firstFraud = dataset.labels.firstIndex(of: 1)!
        #expect(dataset.eventTimes[firstFraud] == 406 && dataset.features[0][firstFraud] == -2.3122265423263)
    }

    @Test("ULB Time,Amount,Class: 227,845 rows, 417 frauds, values exact")
    func ulbTimeAmount() throws {
        let dataset = try DatasetLoader.load(path: SharedData.path("creditcard-time-amount-class-dev.csv.gz"))
        #expect(dataset.schema == .ulbTimeAmount)
        #expect(dataset.rowCount == 227_845)
        #expect(Self.frauds(dataset) == 417)
        #expect(dataset.eventTimes.first == 0 && dataset.eventTimes.last == 145_247)
        #expect(dataset.features[0].first == 149.62)
        Self.expectMatchesReference(dataset, try Self.referenceRows("creditcard-time-amount-class-dev.csv.gz"))
        let columns = try DatasetLoader.readColumns(
            path: SharedData.path("creditcard-time-amount-class-dev.csv.gz"), columns: ["Amount", "Time"])
        #expect(columns[0] == dataset.features[0])
        #expect(columns[1].count == 227_845 && columns[1].last == 145_247)
    }

    @Test("Handbook transformed, Chapter 3 training week: 67,240 rows, 598 frauds")
    func handbookTrainingWeek() throws {
        let options = LoadOptions(from: Day("2018-07-25"), to: Day("2018-07-31"))
        let dataset = try DatasetLoader.load(
            path: SharedData.path("handbook-sim-transformed-dev.csv.gz"), options: options)
        #expect(dataset.schema == .handbook)
        #expect(dataset.rowCount == 67_240)
        #expect(Self.frauds(dataset) == 598)
        #expect(dataset.days.first == Day("2018-07-25") && dataset.days.last == Day("2018-07-31"))
        #expect(dataset.cardIDs.count == 67_240 && dataset.transactionIDs.count == 67_240)
    }

    @Test("Handbook transformed, first 20,000 rows: values exact")
    func handbookValues() throws {
        let dataset = try DatasetLoader.load(
            path: SharedData.path("handbook-sim-transformed-dev.csv.gz"), options: LoadOptions(limit: 20_000))
        let reference = try Self.referenceRows("handbook-sim-transformed-dev.csv.gz", lines: 20_000)
        Self.expectMatchesReference(dataset, reference)
        let idColumn = reference.header.firstIndex(of: "CUSTOMER_ID")!
        #expect(dataset.cardIDs == reference.rows.map { String($0[idColumn]) })
        #expect(dataset.transactionIDs.first == "872795")
    }

    @Test("Handbook transformed, whole file: 593,487 rows, 5,289 frauds (slow)", .enabled(if: runSlow))
    func handbookWhole() throws {
        let dataset = try DatasetLoader.load(path: SharedData.path("handbook-sim-transformed-dev.csv.gz"))
        #expect(dataset.rowCount == 593_487)
        #expect(Self.frauds(dataset) == 5289)
        #expect(dataset.days.first == Day("2018-07-01") && dataset.days.last == Day("2018-08-31"))
    }

    @Test("Handbook raw, whole file: 1,466,282 rows, 12,134 frauds (slow)", .enabled(if: runSlow))
    func handbookRaw() throws {
        let dataset = try DatasetLoader.load(path: SharedData.path("handbook-sim-raw-dev.csv.gz"))
        #expect(dataset.schema == .handbookRaw)
        #expect(dataset.rowCount == 1_466_282)
        #expect(Self.frauds(dataset) == 12_134)
    }
}
