import Glibc
import SentinelPosix

extension StateStore {
    /// Locks the directory, restores a snapshot, replays and repairs the log, and builds the store's core with
    /// its active segment (see ``open(directory:options:restore:replay:)``).
    static func recover(
        directory: String,
        options: StateStoreOptions,
        restore: (StoredSnapshot) throws -> Void,
        replay: (LogRecord, LogPosition) throws -> Void
    ) throws -> (LogCore, RecoveryReport) {
        try options.validate()
        try StateFiles.makeDirectory(directory)
        let lockPath = directory + "/" + StateFiles.lockName
        let lockFD = try StateFiles.open(lockPath, O_RDWR | O_CREAT)
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Glibc.close(lockFD)
            if code == EWOULDBLOCK {
                throw PersistenceError(.locked, "\(directory) is in use by another process")
            }
            throw StateFiles.ioError("flock", lockPath, errno: code)
        }
        do {
            var recovery = Recovery(directory: directory, options: options)
            try recovery.run(restore: restore, replay: replay)
            return (try recovery.makeCore(lockFD: lockFD), recovery.report)
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }
}

/// One recovery pass over a state directory.
private struct Recovery {
    let directory: String
    let options: StateStoreOptions
    var report = RecoveryReport()
    var segmentFiles: [(first: UInt64, name: String)] = []
    var snapshotFiles: [(position: UInt64, name: String)] = []
    /// Segments kept, with their valid sizes.
    var segments: [LogCore.Segment] = []
    var snapshots: [LogCore.SnapshotEntry] = []
    /// The index after the last valid record of the kept log, if any segment was read.
    var logEnd: UInt64?
    var directoryChanged = false
    /// The last position the previous process synced, if it ran under this boot (see `PersistentMark`).
    var mark: PersistentMark?

    init(directory: String, options: StateStoreOptions) {
        self.directory = directory
        self.options = options
    }

    private func path(_ name: String) -> String { directory + "/" + name }

    private mutating func issue(_ kind: RecoveryReport.Issue.Kind, _ file: String, _ message: String, loss: Bool) {
        report.issues.append(RecoveryReport.Issue(kind: kind, dataLoss: loss, file: file, message: message))
    }

    mutating func run(
        restore: (StoredSnapshot) throws -> Void, replay: (LogRecord, LogPosition) throws -> Void
    ) throws {
        try listFiles()
        mark = try? PersistentMark(path: path(StateFiles.markName))
        try restoreSnapshot(restore)
        try replayLog(replay)
        checkAcknowledged()
        if directoryChanged && options.syncs { try StateFiles.syncDirectory(directory) }
    }

    /// Compares the log replayed with the last position the previous process synced: any record it acknowledged
    /// that is missing now is reported as data loss, whatever the damage looked like.
    private mutating func checkAcknowledged() {
        guard let synced = mark?.recovered, synced > report.nextPosition.index else { return }
        let next = report.nextPosition.index
        report.acknowledgedRecordsLost = synced - next
        issue(
            .acknowledgedLost, StateFiles.markName,
            "records \(next)..<\(synced) were synced and acknowledged before the last stop but are missing or damaged: "
                + "\(synced - next) acknowledged record(s) and their events are lost", loss: true)
    }

    private mutating func listFiles() throws {
        for name in try StateFiles.list(directory).sorted() {
            if name == StateFiles.lockName || name == StateFiles.markName || name.hasSuffix(StateFiles.corruptSuffix) {
                continue
            }
            if name.hasSuffix(StateFiles.temporarySuffix) {
                try StateFiles.remove(path(name))
                directoryChanged = true
                issue(.leftoverFile, name, "removed the temporary file of an interrupted snapshot", loss: false)
            } else if let first = StateFiles.number(
                in: name, prefix: StateFiles.segmentPrefix, suffix: StateFiles.segmentSuffix)
            {
                segmentFiles.append((first, name))
            } else if let position = StateFiles.number(
                in: name, prefix: StateFiles.snapshotPrefix, suffix: StateFiles.snapshotSuffix)
            {
                snapshotFiles.append((position, name))
            } else {
                issue(.leftoverFile, name, "not a state file; ignored", loss: false)
            }
        }
        segmentFiles.sort { $0.first < $1.first }
        snapshotFiles.sort { $0.position < $1.position }
    }

    /// Tries snapshots newest first; a bad one is renamed `*.corrupt` so it is neither retried nor kept.
    private mutating func restoreSnapshot(_ restore: (StoredSnapshot) throws -> Void) throws {
        var restoredIndex: Int?
        for index in snapshotFiles.indices.reversed() {
            let (position, name) = snapshotFiles[index]
            let file = try StateFiles.read(path(name))
            var problem: String
            switch LogFormat.parseSnapshot(file) {
            case .failure(let defect):
                problem = defect.reason
            case .success(let parsed) where parsed.position != position:
                problem = "header covers position \(parsed.position), the file name says \(position)"
            case .success(let parsed):
                do {
                    try restore(StoredSnapshot(position: LogPosition(position), bytes: parsed.payload, file: name))
                    restoredIndex = index
                    report.snapshotFile = name
                    report.snapshotPosition = LogPosition(position)
                    snapshots.append(LogCore.SnapshotEntry(position: position, name: name, bytes: Int64(file.count)))
                    problem = ""
                } catch {
                    problem = "the service could not restore it: \(error)"
                }
            }
            if restoredIndex != nil { break }
            try StateFiles.rename(path(name), path(name + StateFiles.corruptSuffix))
            directoryChanged = true
            issue(.corruptSnapshot, name, "\(problem); moved aside as \(name)\(StateFiles.corruptSuffix)", loss: false)
        }
        // Older snapshots stay on disk as candidates for deletion once newer ones are written.
        if let restoredIndex {
            for (position, name) in snapshotFiles[..<restoredIndex] {
                let entry = LogCore.SnapshotEntry(position: position, name: name, bytes: StateFiles.size(path(name)))
                snapshots.insert(entry, at: snapshots.count - 1)
            }
        }
    }

    private mutating func replayLog(_ replay: (LogRecord, LogPosition) throws -> Void) throws {
        let start = report.snapshotPosition.index
        var quarantineFrom: Int?
        for k in segmentFiles.indices {
            let (first, name) = segmentFiles[k]
            let isLast = k == segmentFiles.count - 1
            // Wholly covered by the snapshot: its records all lie before the next segment's first index.
            if !isLast && segmentFiles[k + 1].first <= start {
                segments.append(LogCore.Segment(first: first, name: name, bytes: StateFiles.size(path(name))))
                logEnd = segmentFiles[k + 1].first
                continue
            }
            if let logEnd, first != logEnd {
                let what = first > logEnd ? "records \(logEnd)..<\(first) are missing" : "it overlaps the previous one"
                issue(.corruptLog, name, "segment starts at record \(first), \(what); replay stops here", loss: true)
                quarantineFrom = k
                break
            }
            if logEnd == nil && first > start {
                let origin = report.snapshotFile.map { "the snapshot \($0)" } ?? "an empty state"
                issue(
                    .missingLog, name,
                    "the log starts at record \(first) but \(origin) needs it from \(start): "
                        + "records \(start)..<\(first) are lost; replaying what remains", loss: true)
            }
            let file = try StateFiles.read(path(name))
            let header = LogFormat.segmentHeader(first: first)
            if isLast && file.count < LogFormat.segmentHeaderBytes {
                try StateFiles.remove(path(name))
                directoryChanged = true
                issue(.tornTail, name, "segment of \(file.count) bytes has no complete header; removed", loss: false)
                break
            }
            guard file.count >= LogFormat.segmentHeaderBytes, Array(file[..<LogFormat.segmentHeaderBytes]) == header
            else {
                issue(.corruptLog, name, "bad segment header; replay stops here", loss: true)
                quarantineFrom = k
                break
            }
            var index = first
            let result: LogFormat.ScanResult
            do {
                result = try LogFormat.scanRecords(file, maximumRecordBytes: options.maximumRecordBytes) {
                    type, payload in
                    if index >= start {
                        try replay(LogRecord(type: type, payload: Array(payload)), LogPosition(index))
                        report.recordsReplayed += 1
                    }
                    index += 1
                }
            } catch {
                throw PersistenceError(
                    .replayFailed, "replaying record \(index) of \(name) failed: \(error)")
            }
            logEnd = index
            segments.append(LogCore.Segment(first: first, name: name, bytes: Int64(result.validEnd)))
            guard let defect = result.defect else { continue }
            if defect.atTail && isLast {
                var kept = ""
                if !defect.verified {
                    let aside = "\(name).at-\(defect.offset)\(StateFiles.corruptSuffix)"
                    try saveAside(file, from: defect.offset, as: aside)
                    kept = "; not proven torn (search budget exhausted), so the bytes are kept in \(aside)"
                }
                try StateFiles.truncate(path(name), to: Int64(result.validEnd))
                directoryChanged = true
                issue(
                    .tornTail, name,
                    "incomplete last record at offset \(defect.offset) (\(defect.reason)); "
                        + "truncated \(file.count - result.validEnd) bytes after record \(index)\(kept)", loss: false)
            } else {
                let aside = "\(name).at-\(defect.offset)\(StateFiles.corruptSuffix)"
                try saveAside(file, from: defect.offset, as: aside)
                try StateFiles.truncate(path(name), to: Int64(result.validEnd))
                directoryChanged = true
                issue(
                    .corruptLog, name,
                    "bad record at offset \(defect.offset) (\(defect.reason)) with \(file.count - defect.offset) "
                        + "bytes after it; replay stopped after record \(index); the rest moved to \(aside)",
                    loss: true)
                quarantineFrom = k + 1
                break
            }
        }
        if let quarantineFrom, quarantineFrom < segmentFiles.count {
            for (_, name) in segmentFiles[quarantineFrom...] {
                try StateFiles.rename(path(name), path(name + StateFiles.corruptSuffix))
                directoryChanged = true
            }
            let moved = segmentFiles[quarantineFrom...].map(\.name).joined(separator: ", ")
            issue(
                .corruptLog, moved, "not replayed; moved aside with the suffix \(StateFiles.corruptSuffix)", loss: true)
        }
        report.nextPosition = LogPosition(max(logEnd ?? start, start))
    }

    /// Copies `file[offset...]` into a new `*.corrupt` file, synced, before the segment is truncated.
    private func saveAside(_ file: [UInt8], from offset: Int, as aside: String) throws {
        let fd = try StateFiles.open(path(aside), O_WRONLY | O_CREAT | O_TRUNC)
        defer { Glibc.close(fd) }
        try file.withUnsafeBytes { raw in
            try StateFiles.write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]), at: 0, path: aside)
        }
        if options.syncs { try StateFiles.syncAll(fd, path: aside) }
    }

    /// Reopens the last segment when it ends exactly at the next position and has room, else starts a new one.
    func makeCore(lockFD: Int32) throws -> LogCore {
        let next = report.nextPosition.index
        var segments = self.segments
        let active: ActiveSegment
        if let last = segments.last, logEnd == next, last.bytes < Int64(options.segmentBytes) {
            active = try ActiveSegment.reopen(
                directory: directory, name: last.name, first: last.first, size: last.bytes)
        } else {
            active = try ActiveSegment.create(directory: directory, first: next, syncs: options.syncs)
            segments.append(LogCore.Segment(first: next, name: active.name, bytes: active.size))
        }
        let start = report.snapshotPosition.index
        var sinceSnapshot: Int64 = 0
        for (k, segment) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].first : next
            if end > start { sinceSnapshot += segment.bytes }
        }
        return LogCore(
            directory: directory, options: options, lockFD: lockFD, active: active, next: next, segments: segments,
            snapshots: snapshots, bytesSinceSnapshot: sinceSnapshot, mark: mark)
    }
}
