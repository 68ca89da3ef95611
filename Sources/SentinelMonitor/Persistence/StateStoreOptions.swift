/// Limits and policies of a ``StateStore``.
///
/// ```swift
/// var options = StateStoreOptions()
/// options.segmentBytes = 16 << 20
/// let store = try StateStore.open(directory: "/var/lib/sentinel", options: options, restore: { _ in }, replay: { _, _ in })
/// ```
public struct StateStoreOptions: Sendable, Hashable {
    /// A log segment is closed and a new one started when the next batch would take it past this size (default
    /// 64 MiB). A single batch larger than this gets a segment of its own.
    public var segmentBytes: Int = 64 << 20
    /// The largest payload one record may carry (default 64 MiB); larger records are refused with
    /// ``PersistenceError/Code/recordTooLarge`` and, in a log being recovered, treated as corruption.
    public var maximumRecordBytes: Int = 64 << 20
    /// ``StateStore/shouldSnapshot`` becomes true once this many log bytes were enqueued since the last snapshot
    /// (default 256 MiB, about 800,000 events of ~330 encoded bytes: recovery replays at most about twice that
    /// when it must fall back to the older snapshot, and the log on disk stays near 2 × this plus one segment).
    public var snapshotAfterBytes: Int64 = 256 << 20
    /// Whether appends and snapshots call `fdatasync`/`fsync` (default true). Turning it off is only for tests and
    /// benchmarks of the framing itself: nothing is durable then.
    public var syncs: Bool = true

    /// Creates the default options.
    public init() {}

    /// Checks the options.
    /// - Throws: ``PersistenceError`` with code `.invalidOption` naming the offending option.
    func validate() throws {
        guard segmentBytes >= 4096 else {
            throw PersistenceError(.invalidOption, "segmentBytes \(segmentBytes) is below 4096")
        }
        guard maximumRecordBytes >= 1, maximumRecordBytes <= Int(UInt32.max) - 1 else {
            throw PersistenceError(
                .invalidOption,
                "maximumRecordBytes \(maximumRecordBytes) is not in 1...\(UInt32.max - 1)")
        }
        guard snapshotAfterBytes >= 1 else {
            throw PersistenceError(.invalidOption, "snapshotAfterBytes must be positive")
        }
    }
}
