import Foundation
import SentinelData

extension DriftCommand {
    /// One side of `sentinel drift`: a file, or standard input read into memory (its header is read before the
    /// columns, and a pipe cannot be read twice).
    struct Input {
        /// `reference` or `current`, for messages.
        var role: String
        /// The name used in messages.
        var name: String
        private var path: String
        private var bytes: [UInt8]?

        /// Opens one side; standard input is read whole.
        init(path: String, role: String) throws {
            self.role = role
            self.path = path
            self.name = path == "-" ? "<stdin>" : path
            if path == "-" { bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        }

        /// The header's column names.
        func header() throws -> [String] {
            if let bytes { return try DatasetLoader.header(bytes: bytes, name: name) }
            return try DatasetLoader.header(path: path)
        }

        /// The named columns' values; a missing column or a bad number is a `DataError`.
        func read(_ columns: [String]) throws -> [[Double]] {
            if let bytes { return try DatasetLoader.readColumns(bytes: bytes, name: name, columns: columns) }
            return try DatasetLoader.readColumns(path: path, columns: columns)
        }

        /// Reads the columns that hold only numbers (and empty fields), dropping each text column (its first data
        /// row is not a number) and recording why. Re-reads once per dropped column.
        /// - Throws: The `DataError` of a numeric column with a cell further down that is not a number: the column
        ///   was to be checked and cannot be read, which is an error (exit 1), not a column to leave out quietly.
        func readNumeric(_ columns: [String], skipped: inout [Skip]) throws -> (
            columns: [String], values: [[Double]]
        ) {
            var remaining = columns
            while !remaining.isEmpty {
                do {
                    return (remaining, try read(remaining))
                } catch let error as DataError where error.code == .invalidNumber {
                    guard let column = error.column, let index = remaining.firstIndex(of: column),
                        (error.line ?? 2) <= 2
                    else { throw error }
                    remaining.remove(at: index)
                    skipped.append(Skip(column: column, reason: "not numeric (\(error))"))
                }
            }
            return ([], [])
        }
    }
}
