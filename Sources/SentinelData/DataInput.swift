/// Raw access to a data file's bytes, decompressed on the fly when it is gzip (detected by its magic bytes).
///
/// ```swift
/// var total = 0
/// try DataInput.forEachChunk(path: "data/creditcard-sample.csv.gz") { total += $0.count }
/// ```
public enum DataInput {
    /// Streams the (decompressed) contents of a file, or of standard input when `path` is `-`, in chunks.
    /// - Parameters:
    ///   - path: The file, or `-`.
    ///   - body: Called with each chunk in order; the buffer is valid only during the call.
    /// - Throws: `DataError` for I/O failures and corrupt or truncated gzip data; whatever `body` throws.
    public static func forEachChunk(path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let name = path == "-" ? "<stdin>" : path
        try forEachChunk(source: try FileSource(path: path), name: name, body)
    }

    /// The contents of `bytes`, decompressed if they are gzip data, unchanged otherwise.
    /// - Parameters:
    ///   - bytes: Plain or gzip-compressed data.
    ///   - name: The name used in error messages.
    /// - Returns: The decompressed bytes.
    /// - Throws: `DataError` for corrupt or truncated gzip data.
    public static func decompressed(_ bytes: [UInt8], name: String = "<memory>") throws -> [UInt8] {
        var output: [UInt8] = []
        try forEachChunk(source: MemorySource(bytes), name: name) { output.append(contentsOf: $0) }
        return output
    }

    private static func forEachChunk(
        source: any ByteSource, name: String, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let input = try InputOpener.decompressingIfNeeded(source, name: name)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try input.read(into: buffer)
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
