import Glibc
import SentinelLock
import Synchronization

extension LogCore {
    /// Writes a snapshot durably and prunes what the older kept snapshot covers; runs on `snapshotQueue`.
    ///
    /// Steps: write `snapshot-P.snap.tmp`, fsync it, rename it over `snapshot-P.snap`, fsync the directory.
    /// Then keep the two newest snapshots, delete older ones, and delete every closed log segment whose records
    /// all lie before the *older* kept snapshot's position, so the log still reaches back to the fallback.
    func writeSnapshotNow(_ payload: [UInt8], position: UInt64, bytesMarker: Int64) throws {
        let newest = state.withLock { $0.snapshots.last?.position }
        if let newest, position < newest {
            throw PersistenceError(
                .invalidPosition,
                "snapshot position \(position) is before the newest snapshot's \(newest)")
        }
        let name = StateFiles.snapshotName(position: position)
        let path = directory + "/" + name
        let temporary = path + StateFiles.temporarySuffix
        let header = LogFormat.snapshotHeader(position: position, payload: payload)
        let fd = try StateFiles.open(temporary, O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try StateFiles.write(fd, header, at: 0, path: temporary)
            try StateFiles.write(fd, payload, at: Int64(header.count), path: temporary)
            if options.syncs { try StateFiles.syncAll(fd, path: temporary) }
            Glibc.close(fd)
            try StateFiles.rename(temporary, path)
            if options.syncs { try StateFiles.syncDirectory(directory) }
        } catch {
            Glibc.close(fd)
            try? StateFiles.remove(temporary)
            throw error
        }
        let size = Int64(header.count + payload.count)
        let obsolete = state.withLock { s -> [String] in
            s.snapshots.removeAll { $0.position == position }
            s.snapshots.append(SnapshotEntry(position: position, name: name, bytes: size))
            s.snapshots.sort { $0.position < $1.position }
            var obsolete: [String] = []
            while s.snapshots.count > 2 { obsolete.append(s.snapshots.removeFirst().name) }
            if s.snapshots.count == 2 {
                let fallback = s.snapshots[0].position
                // A segment's records all lie before the next segment's first index.
                while s.segments.count >= 2 && s.segments[1].first <= fallback {
                    obsolete.append(s.segments.removeFirst().name)
                    s.stats.segmentsDeleted += 1
                }
            }
            s.stats.snapshots += 1
            s.bytesSinceSnapshot = s.bytesEnqueued - bytesMarker
            return obsolete
        }
        for file in obsolete { try StateFiles.remove(directory + "/" + file) }
        if !obsolete.isEmpty && options.syncs { try StateFiles.syncDirectory(directory) }
    }
}
