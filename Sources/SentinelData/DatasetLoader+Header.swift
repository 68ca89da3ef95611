extension DatasetLoader {
    /// Reads only the header line of a CSV file (plain, gzip or `-`), to choose columns before reading them.
    ///
    /// Reading standard input this way consumes it: read the bytes first and use ``header(bytes:name:)``.
    /// - Parameter path: A CSV file, plain or gzip-compressed, or `-`.
    /// - Returns: The column names, in file order.
    /// - Throws: `DataError`: `emptyFile` when there is no header line, `duplicateColumn` when a name repeats,
    ///   or an I/O or decompression error.
    public static func header(path: String) throws -> [String] {
        let name = path == "-" ? "<stdin>" : path
        return try header(source: FileSource(path: path), name: name)
    }

    /// Reads only the header line of CSV text (plain or gzip-compressed) held in memory.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - name: The name used in error messages.
    /// - Returns: The column names, in file order.
    /// - Throws: `DataError`, as ``header(path:)``.
    public static func header(bytes: [UInt8], name: String = "<memory>") throws -> [String] {
        try header(source: MemorySource(bytes), name: name)
    }

    static func header(source: any ByteSource, name: String) throws -> [String] {
        let names = try readHeader(try openReader(source: source, name: name))
        var seen: Set<String> = []
        for column in names where !seen.insert(column).inserted {
            throw DataError(
                .duplicateColumn, "the header names column '\(column)' twice", file: name, line: 1)
        }
        return names
    }
}
