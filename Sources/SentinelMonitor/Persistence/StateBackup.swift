import Glibc
import SentinelPosix

/// A consistent copy of a state directory, taken while the monitor runs (or while it is stopped), without asking
/// the monitor anything: `sentinel-monitor backup`.
///
/// The copy is a snapshot plus the log after it, cut at a position that was durable: restored, it recovers the
/// state the monitor had when that position was synced, which it may have acknowledged to producers. Why the files
/// can be copied while they change:
/// - snapshots are written to a temporary file, synced and renamed: a snapshot file never changes once it exists;
/// - log segments are append-only, and a segment other than the last is never written again;
/// - the log mark (`log-mark`, memory-mapped, stored after every `fdatasync` and before any waiter is
///   acknowledged) holds the position after the last synced record, so every record before it is complete on disk;
///   the copy takes the records of the log up to it and nothing after (a record being written is never copied);
/// - the only deletion is of segments wholly covered by the older of the two snapshots kept: a segment needed by
///   the newest snapshot survives until two more snapshots are written. If a file vanishes anyway, the copy starts
///   over (three attempts).
///
/// When nobody holds the directory's lock, the monitor is stopped: the backup takes the lock for the copy (so the
/// monitor cannot start meanwhile) and copies every segment whole; recovery handles their ends as after a restart.
///
/// Each file is written to the destination under a temporary name, synced and renamed; the directory is synced.
///
/// ```swift
/// let result = try StateBackup.copy(from: "/var/lib/sentinel", to: "/backup/sentinel-2026-12-07")
/// print(result.position, result.files)
/// ```
public enum StateBackup {
    /// What a backup copied.
    public struct Result: Sendable, Equatable {
        /// The log position the copy restores to (records before it are in the copy).
        public var position: UInt64
        /// The snapshot copied, if the directory had a valid one.
        public var snapshot: String?
        /// The files written to the destination.
        public var files: [String]
        /// Bytes written.
        public var bytes: Int64
        /// Whether the monitor was running (the copy was cut at its synced position).
        public var whileRunning: Bool
    }

    /// Copies the state in `source` to `destination`, which must not exist or be an empty directory.
    /// - Parameters:
    ///   - source: The monitor's state directory.
    ///   - destination: Where the copy goes; created with missing parents.
    ///   - options: The store's options (the largest record a segment may hold).
    /// - Returns: What was copied.
    /// - Throws: ``PersistenceError``: `.io` for a file that cannot be read or written, a destination that is not
    ///   empty, a source that is not a state directory, or a copy that kept losing its files to the monitor's
    ///   cleanup; `.invalidPosition` when a running monitor's log mark cannot be read.
    public static func copy(
        from source: String, to destination: String, options: StateStoreOptions = StateStoreOptions()
    ) throws -> Result {
        guard !source.isEmpty, isDirectory(source) else {
            throw PersistenceError(.io, "\(source) is not a directory")
        }
        if isDirectory(destination) {
            guard try StateFiles.list(destination).isEmpty else {
                throw PersistenceError(.io, "the destination \(destination) is not empty")
            }
        } else {
            try StateFiles.makeDirectory(destination)
        }
        // Not running if its lock can be taken; then it is held until the copy is done.
        let lockPath = source + "/" + StateFiles.lockName
        let lockFD = Glibc.open(lockPath, O_RDONLY | O_CLOEXEC)
        let running: Bool
        if lockFD >= 0 {
            running = flock(lockFD, LOCK_EX | LOCK_NB) != 0
        } else {
            running = false
        }
        defer { if lockFD >= 0 { Glibc.close(lockFD) } }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try copyOnce(
                    from: source, to: destination, running: running, maximumRecordBytes: options.maximumRecordBytes)
            } catch let vanished as Vanished {
                // The monitor's cleanup removed a file mid-copy: a newer snapshot exists; start over.
                for name in (try? StateFiles.list(destination)) ?? [] {
                    try? StateFiles.remove(destination + "/" + name)
                }
                if attempt == 3 {
                    throw PersistenceError(
                        .io, "\(vanished.name) was deleted during the copy three times; snapshots are too frequent")
                }
            }
        }
    }

    /// A file listed in the source was gone when read.
    private struct Vanished: Error {
        var name: String
    }

    private static func copyOnce(
        from source: String, to destination: String, running: Bool, maximumRecordBytes: Int
    ) throws -> Result {
        var segments: [(first: UInt64, name: String)] = []
        var snapshots: [(position: UInt64, name: String)] = []
        for name in try StateFiles.list(source) {
            if let first = StateFiles.number(
                in: name, prefix: StateFiles.segmentPrefix, suffix: StateFiles.segmentSuffix)
            {
                segments.append((first, name))
            } else if let position = StateFiles.number(
                in: name, prefix: StateFiles.snapshotPrefix, suffix: StateFiles.snapshotSuffix)
            {
                snapshots.append((position, name))
            }
        }
        guard !segments.isEmpty || !snapshots.isEmpty else {
            throw PersistenceError(.io, "\(source) holds no snapshot and no log segment: not a monitor state directory")
        }
        segments.sort { $0.first < $1.first }
        // The newest snapshot whose checksums hold.
        var snapshot: (position: UInt64, name: String, bytes: [UInt8])?
        for candidate in snapshots.sorted(by: { $0.position > $1.position }) {
            let bytes = try read(source, candidate.name)
            if case .success(let parsed) = LogFormat.parseSnapshot(bytes), parsed.position == candidate.position {
                snapshot = (candidate.position, candidate.name, bytes)
                break
            }
        }
        let start = snapshot?.position ?? 0
        // Read after the snapshot was chosen: the mark is at or past every snapshot's position.
        let end: UInt64?
        if running {
            guard let synced = PersistentMark.peek(path: source + "/" + StateFiles.markName) else {
                throw PersistenceError(
                    .invalidPosition,
                    "the running monitor's log mark \(source)/\(StateFiles.markName) cannot be read under this boot")
            }
            end = synced
        } else {
            end = nil
        }
        var result = Result(
            position: start, snapshot: snapshot?.name, files: [], bytes: 0, whileRunning: running)
        if let snapshot {
            try write(snapshot.bytes, to: destination, as: snapshot.name)
            result.files.append(snapshot.name)
            result.bytes += Int64(snapshot.bytes.count)
        }
        var position = start
        for (k, segment) in segments.enumerated() {
            let next = k + 1 < segments.count ? segments[k + 1].first : UInt64.max
            if next <= start { continue }  // wholly covered by the snapshot
            if let end, segment.first >= end { break }  // begun after the synced position
            var bytes = try read(source, segment.name)
            var index = segment.first
            var cut = LogFormat.segmentHeaderBytes
            _ = LogFormat.scanRecords(bytes, maximumRecordBytes: maximumRecordBytes) { _, payload in
                guard end.map({ index < $0 }) ?? true else { return }
                cut += LogFormat.recordHeaderBytes + payload.count
                index += 1
            }
            if let end, next > end {
                // The segment holding the synced position: its records before it, nothing after.
                guard index == end else {
                    throw PersistenceError(
                        .io, "\(segment.name) holds records up to \(index), short of the synced position \(end)")
                }
                bytes.removeSubrange(min(cut, bytes.count)...)
            }
            try write(bytes, to: destination, as: segment.name)
            result.files.append(segment.name)
            result.bytes += Int64(bytes.count)
            position = index
        }
        result.position = max(start, position)
        try StateFiles.syncDirectory(destination)
        return result
    }

    private static func read(_ directory: String, _ name: String) throws -> [UInt8] {
        let path = directory + "/" + name
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { throw Vanished(name: name) }
        if fd >= 0 { Glibc.close(fd) }
        return try StateFiles.read(path)
    }

    /// Writes `bytes` as `name` in `directory`: a temporary file, synced, then renamed.
    private static func write(_ bytes: [UInt8], to directory: String, as name: String) throws {
        let temporary = directory + "/" + name + StateFiles.temporarySuffix
        let fd = try StateFiles.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try StateFiles.write(fd, bytes, at: 0, path: temporary)
            try StateFiles.syncAll(fd, path: temporary)
        } catch {
            Glibc.close(fd)
            throw error
        }
        Glibc.close(fd)
        try StateFiles.rename(temporary, directory + "/" + name)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
