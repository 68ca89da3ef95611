/// A snapshot read back during recovery: the service's bytes and the log position they cover.
///
/// ```swift
/// let store = try StateStore.open(directory: dir, restore: { snapshot in
///     state = try MonitorState(decoding: snapshot.bytes)
/// }, replay: { record, _ in try state.apply(record) })
/// ```
public struct StoredSnapshot: Sendable {
    /// The position the snapshot covers: it holds the effect of every record before it.
    public var position: LogPosition
    /// The bytes the service passed to ``StateStore/writeSnapshot(_:covering:)`` (checksum-verified).
    public var bytes: [UInt8]
    /// The snapshot's file name in the state directory.
    public var file: String
}
