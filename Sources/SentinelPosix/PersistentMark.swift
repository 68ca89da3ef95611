import Glibc

/// One number kept in a small memory-mapped file, so that it survives the process being killed: the reporter's last
/// sequence number assigned (`reporter-mark`), the monitor's last log position synced (`log-mark`).
///
/// Storing is a plain memory write, no syscall. The kernel's page cache keeps the write when the process dies
/// (SIGKILL, a crash, the OOM killer), so the next start reads the exact value. A machine crash can lose the page;
/// the file therefore records the kernel's boot id, and a value written under another boot is not trusted
/// (``recovered`` is `nil`).
///
/// Layout (64 bytes, little-endian): `SNMARK1\0`, the boot id (NUL-padded to 40 bytes), 8 reserved bytes, the value.
///
/// ```swift
/// let mark = try PersistentMark(path: directory + "/reporter-mark")
/// let resumeAfter = mark.recovered ?? leaseEnd
/// mark.store(resumeAfter)
/// ```
public final class PersistentMark: @unchecked Sendable {
    // @unchecked: the owner serialises ``store(_:)`` (under its lock, or on its one thread).
    private static let size = 64
    private static let magic = Array("SNMARK1\0".utf8)
    private static let valueOffset = 56

    private let base: UnsafeMutableRawPointer
    /// The value the previous process stored under this boot, or `nil` (no file, another boot, unreadable).
    public let recovered: UInt64?

    /// Opens (or creates) the mark at `path` and reads what the previous process left.
    /// - Parameters:
    ///   - path: The mark's file.
    ///   - bootID: This boot's id (default: the kernel's, from `/proc/sys/kernel/random/boot_id`).
    /// - Throws: ``SystemError`` when the file cannot be opened, sized, allocated on disk (`ENOSPC` on a full file
    ///   system) or mapped.
    public init(path: String, bootID: String = PersistentMark.currentBootID()) throws(SystemError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError(errno: errno, function: "open") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size == Self.size || ftruncate(fd, off_t(Self.size)) == 0 else {
            throw SystemError(errno: errno, function: "ftruncate")
        }
        let existing = status.st_size == Self.size
        // Allocate the page on disk now: a store into a mapped hole of a full file system raises SIGBUS, while
        // posix_fallocate fails here with ENOSPC, which the caller can report.
        let allocated = posix_fallocate(fd, 0, off_t(Self.size))
        guard allocated == 0 else { throw SystemError(errno: allocated, function: "posix_fallocate") }
        guard let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED
        else { throw SystemError(errno: errno, function: "mmap") }
        base = mapped
        let boot = Array(bootID.utf8.prefix(40)) + [UInt8](repeating: 0, count: 40 - min(40, bootID.utf8.count))
        let raw = UnsafeMutableRawBufferPointer(start: mapped, count: Self.size)
        if existing && Array(raw[0..<8]) == Self.magic && Array(raw[8..<48]) == boot && !bootID.isEmpty {
            recovered = UInt64(littleEndian: mapped.loadUnaligned(fromByteOffset: Self.valueOffset, as: UInt64.self))
        } else {
            recovered = nil
        }
        raw.copyBytes(from: Self.magic + boot + [UInt8](repeating: 0, count: 8))
    }

    deinit { munmap(base, Self.size) }

    /// Stores the value (a memory write); callers serialise their stores.
    /// - Parameter value: The value.
    public func store(_ value: UInt64) {
        base.storeBytes(of: value.littleEndian, toByteOffset: Self.valueOffset, as: UInt64.self)
    }

    /// This boot's id, or an empty string where the kernel does not say (then no mark is trusted).
    public static func currentBootID() -> String {
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
