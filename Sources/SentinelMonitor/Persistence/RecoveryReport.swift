/// What ``StateStore/open(directory:options:restore:replay:)`` found and did: the snapshot used, the records
/// replayed, and every problem met on the way.
///
/// The service logs ``issues`` (each as one JSON line) and keeps running: none of them stops the store.
///
/// ```swift
/// for issue in store.recovery.issues { log.warning(issue.description) }
/// ```
public struct RecoveryReport: Sendable {
    /// One problem met during recovery.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// The kind of problem.
        public enum Kind: String, Sendable, Hashable {
            /// The last record of the log was incomplete or failed its checksum (a crash during a write); it was
            /// never acknowledged and has been truncated away.
            case tornTail = "torn_tail"
            /// A record before the end of the log failed its checksum or framing: replay stopped there and the
            /// rest of the log was moved aside as `*.corrupt` files.
            case corruptLog = "corrupt_log"
            /// A snapshot failed its checksum or header check, or the service could not restore it; an older one
            /// or the log alone was used.
            case corruptSnapshot = "corrupt_snapshot"
            /// The log does not reach back to the snapshot used (or to position 0 without one): records were lost.
            case missingLog = "missing_log"
            /// A leftover temporary file from an interrupted snapshot or an unrelated file was removed or ignored.
            case leftoverFile = "leftover_file"
            /// Records the previous process had synced, and so acknowledged, are missing or damaged (the log was cut
            /// or overwritten after they were written): their events are lost, even where the damage looks like an
            /// ordinary torn tail.
            case acknowledgedLost = "acknowledged_lost"
        }

        /// The kind of problem.
        public var kind: Kind
        /// Whether acknowledged data may have been lost (`corruptLog`, `missingLog`, `acknowledgedLost`, and
        /// `corruptSnapshot` when no older state could replace it).
        public var dataLoss: Bool
        /// The file involved.
        public var file: String
        /// A human-readable explanation with offsets and positions.
        public var message: String

        /// `KIND FILE: MESSAGE`.
        public var description: String { "\(kind.rawValue) \(file): \(message)" }
    }

    /// The file name of the snapshot restored, or nil when recovery started from an empty state.
    public var snapshotFile: String?
    /// The position the restored snapshot covers (`.start` without one).
    public var snapshotPosition: LogPosition = .start
    /// Records passed to the replay closure.
    public var recordsReplayed: UInt64 = 0
    /// The position the next appended record will take.
    public var nextPosition: LogPosition = .start
    /// Problems met, in the order they were found.
    public var issues: [Issue] = []
    /// Records the previous process acknowledged that recovery could not replay (0 when nothing acknowledged was
    /// lost, or when the previous process ran under another boot and its mark is not trusted).
    public var acknowledgedRecordsLost: UInt64 = 0

    /// Whether any issue may have lost acknowledged data.
    public var lostData: Bool { issues.contains { $0.dataLoss } }
}
