import Glibc

/// Writes every byte, retrying short writes and EINTR.
/// - Throws: A description of `errno` when `write` fails.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SpoolIOError) {
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
        if count < 0 {
            if errno == EINTR { continue }
            throw SpoolIOError(function: "write")
        }
        written += count
    }
}

/// Reads a whole file.
/// - Throws: A description of `errno` when `open` or `read` fails.
func readWholeFile(_ path: String) throws(SpoolIOError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SpoolIOError(function: "open") }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw SpoolIOError(function: "read")
        }
        if count == 0 { return result }
        result.append(contentsOf: chunk[0..<count])
    }
}

/// Replaces a file atomically and durably: a temporary file beside it, `fsync`, `rename`, `fsync` of the directory.
/// - Throws: ``ReportingError`` (`spoolUnavailable`) naming the file when any step fails.
func replaceFile(_ path: String, in directory: String, with bytes: [UInt8]) throws(ReportingError) {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
        throw ReportingError(.spoolUnavailable, "cannot create \(temporary): \(String(cString: strerror(errno)))")
    }
    do {
        try writeAll(fd, bytes)
    } catch {
        close(fd)
        unlink(temporary)
        throw ReportingError(.spoolUnavailable, "cannot write \(temporary): \(error)")
    }
    let synced = fsync(fd) == 0
    close(fd)
    guard synced, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw ReportingError(.spoolUnavailable, "cannot replace \(path): \(reason)")
    }
    try syncDirectory(directory)
}

/// Makes a directory's entries (new, renamed or deleted files) durable.
/// - Throws: ``ReportingError`` when `open` or `fsync` fails.
func syncDirectory(_ path: String) throws(ReportingError) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else {
        throw ReportingError(.spoolUnavailable, "cannot open directory \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    guard fsync(fd) == 0 else {
        throw ReportingError(
            .spoolUnavailable, "fsync of directory \(path) failed: \(String(cString: strerror(errno)))")
    }
}

/// A failed file syscall: the function and `errno`'s text.
struct SpoolIOError: Error, CustomStringConvertible {
    var function: String
    var reason: String

    init(function: String) {
        self.function = function
        reason = String(cString: strerror(errno))
    }

    var description: String { "\(function): \(reason)" }
}
