import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read front to back: a file, standard input, memory, or a decompressor over one of those.
///
/// Used by one thread at a time.
protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`.
    /// - Returns: The number of bytes read; 0 only at the end of the stream (or when `buffer` is empty).
    /// - Throws: `DataError` when reading or decoding fails.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes read from a file descriptor with `read(2)`; owns the descriptor unless it is standard input.
final class FileSource: ByteSource {
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private let name: String

    /// Opens `path` for reading, or standard input when `path` is `-`.
    /// - Throws: `DataError.Code.cannotOpen` when the file cannot be opened.
    init(path: String) throws {
        if path == "-" {
            descriptor = 0
            closesDescriptor = false
            name = "<stdin>"
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw DataError(.cannotOpen, "cannot open: \(reason)", file: path)
            }
            var info = stat()
            if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw DataError(.cannotOpen, "cannot open: is a directory", file: path)
            }
            descriptor = fd
            closesDescriptor = true
            name = path
        }
    }

    deinit {
        if closesDescriptor { close(descriptor) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
                let count = Glibc.read(descriptor, base, buffer.count)
            #else
                let count = Darwin.read(descriptor, base, buffer.count)
            #endif
            if count >= 0 { return count }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            throw DataError(.readFailed, "read failed: \(reason)", file: name)
        }
    }
}

/// Bytes held in memory.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}

/// A source with some bytes already taken from its front (used to sniff the gzip magic number).
final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private var prefixPosition = 0
    private let rest: any ByteSource

    init(prefix: [UInt8], rest: any ByteSource) {
        self.prefix = prefix
        self.rest = rest
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        if prefixPosition < prefix.count {
            let count = min(buffer.count, prefix.count - prefixPosition)
            prefix.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + prefixPosition, byteCount: count)
            }
            prefixPosition += count
            return count
        }
        return try rest.read(into: buffer)
    }
}

/// Opens a source and transparently decompresses it when it starts with the gzip magic bytes `1f 8b`.
enum InputOpener {
    /// Wraps `source` in a gzip decoder if its first two bytes are the gzip magic number.
    static func decompressingIfNeeded(_ source: any ByteSource, name: String) throws -> any ByteSource {
        var head = [UInt8](repeating: 0, count: 2)
        var count = 0
        while count < 2 {
            let read = try head.withUnsafeMutableBytes { buffer in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
            }
            if read == 0 { break }
            count += read
        }
        head.removeLast(2 - count)
        let restored = PrefixedSource(prefix: head, rest: source)
        if head == [0x1F, 0x8B] {
            let decoder = GzipReader(source: restored, name: name)
            // Decompress on a second core while the caller parses, when there is one (SENTINEL_DATA_PREFETCH=0
            // turns this off, for measurements).
            let prefetch =
                ProcessInfo.processInfo.activeProcessorCount > 1
                && ProcessInfo.processInfo.environment["SENTINEL_DATA_PREFETCH"] != "0"
            return prefetch ? PrefetchingSource(source: decoder) : decoder
        }
        return restored
    }
}
