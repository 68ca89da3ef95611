import Foundation
import Glibc
import SentinelPosix

/// The state directory's file names and the few system calls the store makes, each wrapped to throw a
/// ``PersistenceError`` with code `.io` whose cause is the `SystemError`.
enum StateFiles {
    static let lockName = "LOCK"
    /// The memory-mapped mark of the last log position synced (`PersistentMark`).
    static let markName = "log-mark"
    static let segmentPrefix = "wal-"
    static let segmentSuffix = ".log"
    static let snapshotPrefix = "snapshot-"
    static let snapshotSuffix = ".snap"
    static let temporarySuffix = ".tmp"
    static let corruptSuffix = ".corrupt"

    /// `wal-<first record index, 20 digits>.log`, so names sort like positions.
    static func segmentName(first: UInt64) -> String {
        segmentPrefix + padded(first) + segmentSuffix
    }

    /// `snapshot-<covered position, 20 digits>.snap`.
    static func snapshotName(position: UInt64) -> String {
        snapshotPrefix + padded(position) + snapshotSuffix
    }

    /// The number in a name made by `segmentName` or `snapshotName`, or nil for any other name.
    static func number(in name: String, prefix: String, suffix: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt64(digits)
    }

    private static func padded(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 20 - text.count)) + text
    }

    static func ioError(_ function: String, _ path: String, errno code: Int32 = errno) -> PersistenceError {
        PersistenceError(.io, path, cause: SystemError(errno: code, function: function))
    }

    /// Creates the directory and its missing parents.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PersistenceError(.io, "cannot create state directory \(path): \(error)")
        }
    }

    /// The names in a directory (no `.`/`..`).
    static func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw ioError("opendir", directory) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw ioError("open", path) }
        }
    }

    /// Writes every byte at `offset` (retrying short writes and EINTR).
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int64, path: String) throws {
        var done = 0
        while done < buffer.count {
            let n = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("pwrite", path)
            }
            done += n
        }
    }

    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: Int64, path: String) throws {
        try bytes.withUnsafeBytes { try write(fd, $0, at: offset, path: path) }
    }

    /// The whole file.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("fstat", path) }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = pread(fd, buffer.baseAddress! + done, size - done, off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ioError("pread", path)
                }
                if n == 0 { break }  // shrank while reading: keep what is there
                done += n
            }
        }
        if done < size { bytes.removeSubrange(done...) }
        return bytes
    }

    /// Flushes a file's data (and the size needed to read it back). The corresponding C function is `fdatasync`.
    static func syncData(_ fd: Int32, path: String) throws {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw ioError("fdatasync", path) }
        }
    }

    /// Flushes a file's data and metadata. The corresponding C function is `fsync`.
    static func syncAll(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno != EINTR { throw ioError("fsync", path) }
        }
    }

    /// Makes creations, renames and deletions in a directory durable.
    static func syncDirectory(_ path: String) throws {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try syncAll(fd, path: path)
    }

    static func truncate(_ path: String, to size: Int64) throws {
        let fd = try open(path, O_WRONLY)
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw ioError("ftruncate", path) }
        try syncAll(fd, path: path)
    }

    static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw ioError("rename", from + " -> " + to) }
    }

    static func remove(_ path: String) throws {
        guard unlink(path) == 0 || errno == ENOENT else { throw ioError("unlink", path) }
    }

    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }
}
