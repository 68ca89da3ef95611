import Foundation
import Testing

@testable import SentinelData

@Suite("Dataset loader")
struct DatasetLoaderTests {
    static let handbookHeader =
        "TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,"
        + "TX_FRAUD_SCENARIO," + LoadPlan.handbookInputs.dropFirst().joined(separator: ",")

    /// A Handbook-layout row: ids, date-time, amount, label and 14 engineered values `base + k`.
    static func handbookRow(_ id: Int, _ dateTime: String, amount: String, fraud: Int, base: Double = 0) -> String {
        let engineered = (1...14).map { "\(base + Double($0))" }.joined(separator: ",")
        return "\(id),\(dateTime),\(id % 7),\(id % 5),\(amount),0,0,\(fraud),\(fraud)," + engineered
    }

    static let handbookText =
        ([handbookHeader]
        + [
            handbookRow(1, "2018-07-24 23:59:59", amount: "10.5", fraud: 0),
            handbookRow(2, "2018-07-25 00:00:00", amount: "20", fraud: 1),
            handbookRow(3, "2018-07-25 12:00:00", amount: "30.25", fraud: 0, base: 0.5),
            handbookRow(4, "2018-07-31 23:59:59", amount: "", fraud: 1),
            handbookRow(5, "2018-08-01 00:00:00", amount: "50", fraud: 0),
        ]).joined(separator: "\n") + "\n"

    static func load(_ text: String, _ options: LoadOptions = LoadOptions()) throws -> Dataset {
        try DatasetLoader.load(bytes: Array(text.utf8), name: "data.csv", options: options)
    }

    static func error(_ text: String, _ options: LoadOptions = LoadOptions()) -> DataError? {
        do {
            _ = try load(text, options)
            return nil
        } catch {
            return error as? DataError
        }
    }

    @Test("The Handbook layout is recognised with its 15 inputs in model order")
    func handbookSchema() throws {
        let dataset = try Self.load(Self.handbookText)
        #expect(dataset.schema == .handbook)
        #expect(dataset.featureNames == LoadPlan.handbookInputs)
        #expect(dataset.rowCount == 5)
        #expect(dataset.labels == [0, 1, 0, 1, 0])
        #expect(dataset.transactionIDs == ["1", "2", "3", "4", "5"])
        #expect(dataset.cardIDs == ["1", "2", "3", "4", "5"])
        #expect(dataset.terminalIDs == ["1", "2", "3", "4", "0"])
        #expect(dataset.amountFeatureIndex == 0)
        #expect(dataset.features[0][0] == 10.5)
        #expect(dataset.features[1][2] == 1.5)
        #expect(dataset.features[14][4] == 14)
        #expect(
            dataset.days.map(\.description) == [
                "2018-07-24", "2018-07-25", "2018-07-25", "2018-07-31", "2018-08-01",
            ])
        #expect(dataset.eventTimes[1] == 1_532_476_800)
    }

    @Test("An empty feature is a missing value (NaN)")
    func missingFeature() throws {
        let dataset = try Self.load(Self.handbookText)
        #expect(dataset.features[0][3].isNaN)
        #expect(dataset.features.allSatisfy { !$0[0].isNaN })
    }

    @Test("Day filters keep both bounds")
    func dayFilter() throws {
        let week = try Self.load(Self.handbookText, LoadOptions(from: Day("2018-07-25"), to: Day("2018-07-31")))
        #expect(week.transactionIDs == ["2", "3", "4"])
        let from = try Self.load(Self.handbookText, LoadOptions(from: Day("2018-07-31")))
        #expect(from.transactionIDs == ["4", "5"])
        let to = try Self.load(Self.handbookText, LoadOptions(to: Day("2018-07-24")))
        #expect(to.transactionIDs == ["1"])
        let none = try Self.load(Self.handbookText, LoadOptions(from: Day("2019-01-01")))
        #expect(none.rowCount == 0 && none.features.count == 15 && none.labels.isEmpty)
    }

    @Test("A limit stops after that many kept rows")
    func limit() throws {
        let dataset = try Self.load(Self.handbookText, LoadOptions(from: Day("2018-07-25"), limit: 2))
        #expect(dataset.transactionIDs == ["2", "3"])
        #expect(try Self.load(Self.handbookText, LoadOptions(limit: 0)).rowCount == 0)
    }

    @Test("Quoting: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF")
    func quoting() throws {
        let text = "id,amount,note,label\r\n\"1\",\"2.5\",\"a, \"\"b\"\"\",0\r\n2,3,\"two\nlines\",\"1\"\r\n3,4,,0"
        let dataset = try Self.load(text, LoadOptions(featureColumns: ["amount"], labelColumn: "label"))
        #expect(dataset.features == [[2.5, 3, 4]])
        #expect(dataset.labels == [0, 1, 0])
        #expect(dataset.schema == .custom)
        #expect(dataset.amountFeatureIndex == 0)
        let bad = Self.error(text + "\n4,x,,0", LoadOptions(featureColumns: ["amount"], labelColumn: "label"))
        #expect(bad?.line == 6, "line numbers count the line break inside quotes")

        let notes = try DatasetLoader.readColumns(bytes: Array(text.utf8), columns: ["id"])
        #expect(notes == [[1, 2, 3]])
    }

    @Test("LF and CRLF files, and a missing final line break, give the same dataset")
    func lineEndings() throws {
        let lf = try Self.load(Self.handbookText)
        let crlf = try Self.load(Self.handbookText.replacingOccurrences(of: "\n", with: "\r\n"))
        let unterminated = try Self.load(String(Self.handbookText.dropLast()))
        let blankLines = try Self.load(Self.handbookText.replacingOccurrences(of: "\n", with: "\n\n"))
        for other in [crlf, unterminated, blankLines] {
            #expect(other.transactionIDs == lf.transactionIDs)
            #expect(other.features.map { $0.map(\.bitPattern) } == lf.features.map { $0.map(\.bitPattern) })
            #expect(other.labels == lf.labels)
        }
        let bom = try Self.load("\u{FEFF}" + Self.handbookText)
        #expect(bom.schema == .handbook && bom.rowCount == 5)
        let trickle = CSVReader(source: MemorySource(Array("\u{FEFF}a,b\n1,2\n".utf8)), name: "t", bufferSize: 1)
        #expect(try trickle.nextRecord() && trickle.string(0) == "a")
    }

    @Test("Gzip and plain input give identical datasets", .enabled(if: Fixtures.hasGzip))
    func gzipEqualsPlain() throws {
        var text = Self.handbookHeader + "\n"
        for id in 0..<20_000 {
            text +=
                Self.handbookRow(
                    id, "2018-07-\(10 + id % 20) 10:00:00", amount: "\(id % 997).\(id % 100)",
                    fraud: id % 50 == 0 ? 1 : 0) + "\n"
        }
        let plain = try DatasetLoader.load(bytes: Array(text.utf8))
        let compressed = try Fixtures.gzip(Array(text.utf8))
        let path = Fixtures.temporaryFile(compressed, suffix: ".csv")  // no .gz: detection is by magic bytes
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try DatasetLoader.load(path: path)
        #expect(fromFile.rowCount == 20_000)
        #expect(fromFile.features == plain.features)
        #expect(fromFile.labels == plain.labels)
        #expect(fromFile.eventTimes == plain.eventTimes)
        #expect(fromFile.cardIDs == plain.cardIDs)
    }

    @Test("Standard input is read for the path '-'", .enabled(if: Fixtures.hasGzip))
    func standardInput() throws {
        let path = Fixtures.temporaryFile(try Fixtures.gzip(Array(Self.handbookText.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let saved = dup(0)
        let file = open(path, O_RDONLY)
        #expect(dup2(file, 0) == 0)
        close(file)
        defer {
            dup2(saved, 0)
            close(saved)
        }
        let dataset = try DatasetLoader.load(path: "-")
        #expect(dataset.rowCount == 5 && dataset.schema == .handbook)
    }

    @Test("ULB layouts: Time is the event time, not an input")
    func ulb() throws {
        let header = "Time," + (1...28).map { "V\($0)" }.joined(separator: ",") + ",Amount,Class"
        let row = { (time: String, label: String) in
            time + "," + (1...28).map { "\(Double($0) / 10)" }.joined(separator: ",") + ",9.99," + label
        }
        let dataset = try Self.load([header, row("0", "0"), row("406.0", "1")].joined(separator: "\n"))
        #expect(dataset.schema == .ulb)
        #expect(dataset.featureNames == LoadPlan.ulbInputs)
        #expect(dataset.amountFeatureIndex == 28)
        #expect(dataset.eventTimes == [0, 406])
        #expect(dataset.days.isEmpty)
        #expect(dataset.labels == [0, 1])
        #expect(dataset.features[27] == [2.8, 2.8])

        let small = try Self.load("Time,Amount,Class\n0,149.62,0\n1,2.69,1\n")
        #expect(small.schema == .ulbTimeAmount)
        #expect(
            small.featureNames == ["Amount"] && small.features == [[149.62, 2.69]] && small.amountFeatureIndex == 0)

        let dayFilter = Self.error("Time,Amount,Class\n0,1,0\n", LoadOptions(from: Day("2018-07-01")))
        #expect(dayFilter?.code == .noDates)
        let fractional = Self.error("Time,Amount,Class\n0.5,1,0\n")
        #expect(
            fractional?.description == "data.csv:2: column Time: '0.5' is not a whole, non-negative number of seconds")
    }

    @Test("Handbook raw layout: the amount is the only input; a file without labels still loads")
    func handbookRaw() throws {
        let text = """
            TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO
            0,2018-04-01 00:00:31,596,3156,57.16,31,0,0,0
            1,2018-04-01 00:02:10,4961,3412,81.51,130,0,1,2
            """
        let dataset = try Self.load(text)
        #expect(dataset.schema == .handbookRaw && dataset.featureNames == ["TX_AMOUNT"])
        #expect(dataset.labels == [0, 1] && dataset.cardIDs == ["596", "4961"])
        let unlabeled = try Self.load("TX_DATETIME,TX_AMOUNT\n2018-04-01 00:00:31,5\n")
        #expect(unlabeled.schema == .handbookRaw && unlabeled.labels.isEmpty && unlabeled.features == [[5]])
    }

    @Test("Custom layouts need named columns; the options' columns override a schema's")
    func customSchema() throws {
        let text = "a,b,y,c\n1,2,0,3\n4,,1,6\n"
        let unrecognised = Self.error(text)
        #expect(unrecognised?.code == .unrecognizedHeader)
        let dataset = try Self.load(text, LoadOptions(featureColumns: ["c", "a", "b"], labelColumn: "y"))
        #expect(dataset.featureNames == ["c", "a", "b"])
        #expect(dataset.features[0] == [3, 6] && dataset.features[1] == [1, 4] && dataset.features[2][1].isNaN)
        #expect(dataset.labels == [0, 1])
        let dated = try Self.load(
            "TX_DATETIME,x\n2018-07-01 10:00:00,1\n2018-07-02 00:00:00,\"2\"\r", LoadOptions(featureColumns: ["x"]))
        #expect(dated.schema == .custom && dated.days == [Day("2018-07-01")!, Day("2018-07-02")!])
        #expect(dated.features == [[1, 2]] && dated.labels.isEmpty)
        let unlabeled = try Self.load(text, LoadOptions(featureColumns: ["a"]))
        #expect(unlabeled.labels.isEmpty && unlabeled.amountFeatureIndex == nil)
        let subset = try Self.load(Self.handbookText, LoadOptions(featureColumns: ["TX_AMOUNT", "TX_DURING_NIGHT"]))
        #expect(subset.schema == .handbook && subset.featureNames.count == 2 && subset.features[1][0] == 2)

        #expect(Self.error(text, LoadOptions(featureColumns: ["zz"]))?.code == .missingColumn)
        #expect(Self.error(text, LoadOptions(featureColumns: ["a"], labelColumn: "q"))?.code == .missingColumn)
        #expect(Self.error(text, LoadOptions(featureColumns: ["a", "a"]))?.code == .invalidOptions)
        #expect(Self.error(text, LoadOptions(featureColumns: ["y"], labelColumn: "y"))?.code == .invalidOptions)
        #expect(Self.error(text, LoadOptions(featureColumns: []))?.code == .invalidOptions)
        #expect(Self.error("a,b,a\n1,2,3\n", LoadOptions(featureColumns: ["b"]))?.code == .duplicateColumn)
        #expect(Self.error("", LoadOptions(featureColumns: ["b"]))?.code == .emptyFile)
        let range = Self.error(Self.handbookText, LoadOptions(from: Day("2018-08-01"), to: Day("2018-07-01")))
        #expect(range?.code == .invalidOptions)
        #expect(Self.error(Self.handbookText, LoadOptions(limit: -1))?.code == .invalidOptions)
    }

    static let custom = LoadOptions(featureColumns: ["amount"], labelColumn: "label")

    @Test(
        "Malformed rows are errors naming file, line and column",
        arguments: [
            ("amount,label,when\n1,0,x\nabc,1,x\n", "data.csv:3: column amount: 'abc' is not a number"),
            ("amount,label,when\n1,0,x\nNaN,1,x\n", "data.csv:3: column amount: 'NaN' is not a number"),
            ("amount,label,when\n1,0,x\ninf,1,x\n", "data.csv:3: column amount: 'inf' is not a number"),
            ("amount,label,when\n1,2,x\n", "data.csv:2: column label: label '2' is not 0 or 1"),
            ("amount,label,when\n1,,x\n", "data.csv:2: column label: the label is empty"),
            ("amount,label,when\n1,0\n", "data.csv:2: expected 3 fields (as in the header), found 2"),
            ("amount,label,when\n1,0,x,y\n", "data.csv:2: expected 3 fields (as in the header), found 4"),
            ("amount,label,when\n1,0,x\"y\n", "data.csv:2: quote inside an unquoted field"),
            ("amount,label,when\n1,0,\"x\"y\n", "data.csv:2: unexpected character after a closing quote"),
            ("amount,label,when\n1,0,\"x\n", "data.csv:2: quoted field is not closed"),
        ] as [(String, String)])
    func malformedRows(text: String, message: String) {
        #expect(Self.error(text, Self.custom)?.description == message)
    }

    @Test("Handbook field errors: dates, identifiers, labels")
    func handbookFieldErrors() {
        let badDate = Self.handbookText.replacingOccurrences(of: "2018-07-25 12:00:00", with: "2018-02-30 12:00:00")
        #expect(
            Self.error(badDate)?.description
                == "data.csv:4: column TX_DATETIME: '2018-02-30 12:00:00' is not a valid date-time (YYYY-MM-DD HH:MM:SS)"
        )
        let noDate = Self.handbookText.replacingOccurrences(of: "2018-07-25 12:00:00", with: "")
        #expect(Self.error(noDate)?.description == "data.csv:4: column TX_DATETIME: the date-time is empty")
        let noID = Self.handbookText.replacingOccurrences(of: "\n3,", with: "\n,")
        #expect(Self.error(noID)?.description == "data.csv:4: column TRANSACTION_ID: the identifier is empty")
        let long = Self.handbookText.replacingOccurrences(
            of: ",30.25,", with: "," + String(repeating: "9", count: 50) + "x,")
        #expect(Self.error(long)?.message == "'" + String(repeating: "9", count: 40) + "…' is not a number")
    }

    @Test("Skipping bad rows counts them and keeps the first few reasons")
    func skipBadRows() throws {
        var lines = ["amount,label"]
        for index in 0..<20 { lines.append(index % 3 == 0 ? "x\(index),0" : "\(index),\(index % 2)") }
        lines.append("1,0,extra")
        lines.append("\"unclosed,1")
        lines.append("2\"x,1")
        lines.append("5,1")
        var options = Self.custom
        options.skipBadRows = true
        let dataset = try Self.load(lines.joined(separator: "\n"), options)
        #expect(dataset.rowCount == 14)
        #expect(dataset.features[0].last == 5)
        #expect(dataset.skippedRows.count == 7 + 3)
        #expect(dataset.skippedRows.examples.count == SkippedRows.exampleLimit)
        #expect(dataset.skippedRows.examples.first?.description == "data.csv:2: column amount: 'x0' is not a number")
        #expect(try Self.load(Self.handbookText).skippedRows.count == 0)
    }

    @Test("Unreadable paths are clear errors")
    func unreadable() {
        let missing = #expect(throws: DataError.self) { try DatasetLoader.load(path: "/nonexistent/data.csv") }
        #expect(missing?.code == .cannotOpen)
        #expect(missing?.description.hasPrefix("/nonexistent/data.csv: cannot open: ") == true)
        let directory = #expect(throws: DataError.self) { try DatasetLoader.load(path: NSTemporaryDirectory()) }
        #expect(directory?.code == .cannotOpen)
    }

    @Test("Records spanning read buffers and long records")
    func bufferBoundaries() throws {
        let note = String(repeating: "n", count: 3_000_000)
        let text = "amount,label,note\n1,0,\"\(note)\"\n2,1,\(note)\n"
        let dataset = try Self.load(text, Self.custom)
        #expect(dataset.features == [[1, 2]])
        let reader = CSVReader(source: MemorySource(Array(text.utf8)), name: "x", bufferSize: 16)
        var count = 0
        while try reader.nextRecord() { count += 1 }
        #expect(count == 3)

        let limited = CSVReader(
            source: MemorySource(Array(text.utf8)), name: "x.csv", bufferSize: 1024, maximumRecordLength: 1 << 20)
        #expect(try limited.nextRecord())
        let error = #expect(throws: DataError.self) { try limited.nextRecord() }
        #expect(error?.code == .recordTooLong)
        #expect(error?.description == "x.csv:2: record longer than 1048576 bytes (unterminated quoted field?)")
    }
}

@Suite("Committed sample data")
struct CommittedSampleTests {
    @Test("data/creditcard-sample.csv.gz loads as the ULB layout: 1,500 rows, 261 frauds")
    func sample() throws {
        let dataset = try DatasetLoader.load(path: Repository.root + "/data/creditcard-sample.csv.gz")
        #expect(dataset.schema == .ulb)
        #expect(dataset.rowCount == 1500)
        #expect(dataset.labels.reduce(0) { $0 + Int($1) } == 261)
        #expect(dataset.featureNames.count == 29 && dataset.features.allSatisfy { $0.count == 1500 })
        #expect(dataset.eventTimes.first == 69 && dataset.eventTimes.last == 78_989)
        #expect(dataset.features.joined().allSatisfy { $0.isFinite })
    }
}
