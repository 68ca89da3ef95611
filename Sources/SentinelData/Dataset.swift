/// Transactions loaded from a CSV file, stored column by column for training and evaluation.
///
/// Every per-row array has either `rowCount` elements or none (the file had no such column).
///
/// **Missing values.** An empty feature field is a missing value and is stored as `.nan`; each learner documents
/// how it treats one (gradient boosting learns a default direction per split, logistic regression imputes the
/// training mean; see the CSVDialect article, "Missing values"). An empty label, identifier or date-time field is an
/// error, and so is the literal text `NaN` or `inf` in a feature (upstream pipelines should not emit them; a value
/// that is unknown is written as an empty field).
///
/// ```swift
/// let dataset = try DatasetLoader.load(path: "data/creditcard-sample.csv.gz")
/// print(dataset.rowCount, dataset.featureNames)
/// ```
public struct Dataset: Sendable {
    /// Which known layout the header matched, or `.custom`.
    public var schema: DatasetSchema
    /// Model inputs in model order.
    public var featureNames: [String]
    /// `features[f][row]`: the value of feature `f` in `row`.
    public var features: [[Double]]
    /// 1 for fraud, 0 for genuine; empty when the file has no label column.
    public var labels: [UInt8]
    /// Transaction identifiers as written in the file; empty when absent.
    public var transactionIDs: [String]
    /// Card (customer) identifiers; empty when absent. Used to drop known compromised cards and for CP@k.
    public var cardIDs: [String]
    /// Terminal identifiers; empty when absent.
    public var terminalIDs: [String]
    /// Event time in seconds: since the Unix epoch for dated data, since the first transaction for ULB's `Time`.
    public var eventTimes: [Int64]
    /// The calendar day of each row; empty when the data carries no date.
    public var days: [Day]
    /// Index into `featureNames` of the transaction amount, if one of the features is it.
    public var amountFeatureIndex: Int?
    /// Number of rows.
    public var rowCount: Int
    /// Malformed rows left out because `LoadOptions.skipBadRows` was set (otherwise always zero).
    public var skippedRows = SkippedRows()

    /// Creates a dataset from its columns. Callers guarantee the per-row arrays have `rowCount` elements or none.
    public init(
        schema: DatasetSchema,
        featureNames: [String],
        features: [[Double]],
        labels: [UInt8] = [],
        transactionIDs: [String] = [],
        cardIDs: [String] = [],
        terminalIDs: [String] = [],
        eventTimes: [Int64] = [],
        days: [Day] = [],
        amountFeatureIndex: Int? = nil,
        rowCount: Int
    ) {
        self.schema = schema
        self.featureNames = featureNames
        self.features = features
        self.labels = labels
        self.transactionIDs = transactionIDs
        self.cardIDs = cardIDs
        self.terminalIDs = terminalIDs
        self.eventTimes = eventTimes
        self.days = days
        self.amountFeatureIndex = amountFeatureIndex
        self.rowCount = rowCount
    }
}

/// The CSV layouts recognised by their header.
public enum DatasetSchema: String, Sendable, Codable {
    /// The Fraud Detection Handbook's transformed simulated data (15 engineered inputs, label `TX_FRAUD`).
    case handbook
    /// The ULB credit-card data: `Time,V1..V28,Amount,Class`.
    case ulb
    /// The Fraud Detection Handbook's raw simulated data (no engineered features; the amount is the only input).
    case handbookRaw
    /// The ULB data reduced to `Time,Amount,Class` (the amount is the only input).
    case ulbTimeAmount
    /// Any other layout, with the label and feature columns named by the user.
    case custom
}

/// A calendar day (UTC), stored as days since 1970-01-01.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int32

    /// Creates a day from its offset.
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Parses `YYYY-MM-DD` (the first 10 characters of a `YYYY-MM-DD HH:MM:SS` timestamp also work).
    /// Returns `nil` for anything else, including impossible dates such as 2018-02-30.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        guard let value = Day(year: year, month: month, day: day) else { return nil }
        self = value
    }

    /// Creates a day from its civil date; `nil` when the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.daysSinceEpoch = Int32(era * 146_097 + doe - 719_468)
    }

    /// The civil date of this day.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The day `count` days later (earlier when negative).
    public func adding(days count: Int) -> Day {
        Day(daysSinceEpoch: daysSinceEpoch + Int32(count))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
