import Glibc

/// The last sequence number the reporter assigned, kept in a small file (`reporter-mark`) mapped into memory, so
/// that a restart after a crash of the process resumes right after it instead of after the whole lease.
///
/// Assigning stores the number into the mapping: a plain memory write, no syscall. The kernel's page cache keeps the
/// write when the process is killed (SIGKILL, a crash, the OOM killer), so on the next start the mark is exact and
/// the only gap the monitor sees is the events that were really lost. A machine crash can lose the page; the file
/// therefore records the kernel's boot id, and a mark written under another boot is not trusted (the reporter then
/// skips to the end of its lease, as without a mark).
///
/// Layout (64 bytes, little-endian): `SNMARK1\0`, the boot id (NUL-padded to 40 bytes), 8 reserved bytes, the
/// sequence number.
final class SequenceMark: @unchecked Sendable {
    // @unchecked: `base` is written only under the event queue's lock, and read only at start-up.
    static let fileName = "reporter-mark"
    private static let size = 64
    private static let magic = Array("SNMARK1\0".utf8)
    private static let sequenceOffset = 56

    private let base: UnsafeMutableRawPointer
    /// The sequence the previous process recorded under this boot, or `nil` (no file, another boot, unreadable).
    let recovered: UInt64?

    /// Opens (or creates) the mark in `directory` and reads what the previous process left.
    /// - Parameters:
    ///   - directory: The spool directory.
    ///   - bootID: This boot's id (default: the kernel's, from `/proc/sys/kernel/random/boot_id`).
    /// - Throws: ``ReportingError`` (`spoolUnavailable`) when the file cannot be created or mapped.
    init(directory: String, bootID: String = SequenceMark.currentBootID()) throws(ReportingError) {
        let path = directory + "/" + Self.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ReportingError(.spoolUnavailable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size == Self.size || ftruncate(fd, off_t(Self.size)) == 0 else {
            throw ReportingError(.spoolUnavailable, "cannot size \(path): \(String(cString: strerror(errno)))")
        }
        let existing = status.st_size == Self.size
        guard let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED
        else {
            throw ReportingError(.spoolUnavailable, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = mapped
        let boot = Array(bootID.utf8.prefix(40)) + [UInt8](repeating: 0, count: 40 - min(40, bootID.utf8.count))
        let raw = UnsafeMutableRawBufferPointer(start: mapped, count: Self.size)
        if existing && Array(raw[0..<8]) == Self.magic && Array(raw[8..<48]) == boot && !bootID.isEmpty {
            recovered = UInt64(littleEndian: mapped.loadUnaligned(fromByteOffset: Self.sequenceOffset, as: UInt64.self))
        } else {
            recovered = nil
        }
        raw.copyBytes(from: Self.magic + boot + [UInt8](repeating: 0, count: 8))
    }

    deinit { munmap(base, Self.size) }

    /// Records the last sequence assigned; call under the event queue's lock.
    /// - Parameter sequence: The sequence number.
    func store(_ sequence: UInt64) {
        base.storeBytes(of: sequence.littleEndian, toByteOffset: Self.sequenceOffset, as: UInt64.self)
    }

    /// This boot's id, or an empty string where the kernel does not say (then no mark is trusted).
    static func currentBootID() -> String {
        let fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingNewline
    }
}

extension String {
    /// The string without one trailing newline.
    fileprivate var trimmingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
