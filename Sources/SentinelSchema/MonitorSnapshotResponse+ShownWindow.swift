extension MonitorSnapshotResponse.ModelSnapshot {
    /// Whether this model's drift table, window rates and window latency describe the last complete window (the
    /// current one has fewer events than the status logic needs) rather than the current window.
    ///
    /// A closed window ended at or before the snapshot was taken; the current one ends after it.
    /// - Parameter snapshot: The response holding this model (for its time and window length).
    /// - Returns: `true` for the last complete window, `false` for the current one.
    public func showsClosedWindow(in snapshot: MonitorSnapshotResponse) -> Bool {
        windowStartMicroseconds + snapshot.windowLengthMicroseconds <= snapshot.generatedAtMicroseconds
    }
}
