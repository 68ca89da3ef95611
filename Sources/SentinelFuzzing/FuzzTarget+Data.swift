import SentinelData

extension FuzzTarget {
    /// The CSV reader behind `DatasetLoader` (header recognition, number parsing, bad rows), on plain text.
    ///
    /// Each input is loaded three ways: with the default options, with `skipBadRows`, and as two named columns
    /// (`readColumns`). Checked: each succeeds or throws a `DataError`; a dataset's columns all have one value per
    /// row; where a strict load succeeds, skipping bad rows keeps the same rows.
    static let csv = FuzzTarget(
        name: "csv",
        summary: "DatasetLoader on CSV text: DataError or a consistent dataset, three ways"
    ) { input throws(FuzzFinding) in
        let bytes = Array(input)
        let strict = try dataResult("load") { try DatasetLoader.load(bytes: bytes) }
        let lenient = try dataResult("load(skipBadRows)") {
            try DatasetLoader.load(bytes: bytes, options: LoadOptions(skipBadRows: true))
        }
        for case .some(let dataset) in [strict, lenient] { try checkConsistent(dataset) }
        if let strict, let lenient, lenient.rowCount != strict.rowCount {
            throw FuzzFinding(
                "csv: skipping bad rows kept \(lenient.rowCount) rows, a strict load \(strict.rowCount)")
        }
        if let columns = try dataResult(
            "readColumns", { try DatasetLoader.readColumns(bytes: bytes, columns: ["Amount", "V1"]) })
        {
            guard columns.count == 2, columns[0].count == columns[1].count else {
                throw FuzzFinding("csv: readColumns returned columns of \(columns.map(\.count)) values for 2 names")
            }
        }
    }

    /// The gzip decoder (`GzipReader`, through `DataInput.decompressed`): header flags, stored, fixed and dynamic
    /// Huffman blocks, the CRC-32 and length trailer, concatenated members.
    ///
    /// Checked: decompression succeeds or throws a `DataError`; input without the gzip magic comes back unchanged.
    static let gzip = FuzzTarget(
        name: "gzip",
        summary: "DataInput.decompressed: DataError or output; non-gzip input passes through unchanged"
    ) { input throws(FuzzFinding) in
        let bytes = Array(input)
        guard let output = try dataResult("decompressed", { try DataInput.decompressed(bytes) }) else { return }
        let isGzip = bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
        if !isGzip && output != bytes {
            throw FuzzFinding(
                "gzip: input without the gzip magic came back changed (\(bytes.count) → \(output.count) bytes)")
        }
    }

    /// The value, nil for a `DataError`, a finding for any other error.
    private static func dataResult<Value>(_ what: String, _ body: () throws -> Value) throws(FuzzFinding) -> Value? {
        do {
            return try body()
        } catch is DataError {
            return nil
        } catch {
            throw FuzzFinding("\(what) threw \(type(of: error)), not a DataError: \(error)")
        }
    }

    private static func checkConsistent(_ dataset: Dataset) throws(FuzzFinding) {
        let rows = dataset.rowCount
        let columns: [(String, Int)] =
            dataset.features.enumerated().map { ("feature \($0.offset)", $0.element.count) } + [
                ("labels", dataset.labels.count), ("transactionIDs", dataset.transactionIDs.count),
                ("cardIDs", dataset.cardIDs.count), ("terminalIDs", dataset.terminalIDs.count),
                ("eventTimes", dataset.eventTimes.count), ("days", dataset.days.count),
            ]
        guard dataset.features.count == dataset.featureNames.count else {
            throw FuzzFinding("csv: \(dataset.features.count) feature columns for \(dataset.featureNames.count) names")
        }
        for (name, count) in columns where count != rows && !(count == 0 && !name.hasPrefix("feature")) {
            throw FuzzFinding("csv: \(name) has \(count) values for \(rows) rows")
        }
    }
}
