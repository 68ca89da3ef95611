public import SentinelPosix
public import SentinelRPC

extension EventReporter {
    /// Where and how the reporter delivers events.
    ///
    /// ```swift
    /// var configuration = EventReporter.Configuration(
    ///     monitor: SocketAddress(host: "127.0.0.1", port: 8001), spoolDirectory: "/var/spool/sentinel")
    /// configuration.batchSize = 1_000
    /// ```
    public struct Configuration: Sendable {
        /// The monitor's address (its IngestEvents and RegisterModel methods).
        public var monitor: SocketAddress
        /// The spool directory; created if missing. It also holds the producer id and the sequence state, so it
        /// must survive restarts for (producer id, sequence) to stay unique and for spooled events to be replayed.
        public var spoolDirectory: String
        /// The producer id; `nil` uses the one kept in the spool directory, created on first start as
        /// `<hostname>-<8 hex digits of a UUID>`. Setting it writes it there.
        public var producerId: String?
        /// The token sent in HELLO when the monitor requires one.
        public var token: AuthToken?
        /// The most events per `EventBatch`.
        public var batchSize = 1_000
        /// The longest an event waits in memory before its batch is formed.
        public var maximumBatchDelay: Duration = .milliseconds(50)
        /// The hand-off queue's capacity in events: what `record` can accept between two drains (every
        /// `maximumBatchDelay / 5` at most). When it is full, `record` drops and counts.
        public var queueCapacity = 524_288
        /// The hand-off queue's capacity in bytes of encoded events (an event with 30 features takes about 350);
        /// the queue is double-buffered, so it may hold twice this in memory. When it is full, `record` drops and
        /// counts.
        public var queueCapacityBytes = 128 << 20
        /// The most bytes of formed batches kept in memory until the monitor acknowledges them; beyond that, new
        /// batches go to the spool. It absorbs bursts and monitor pauses without touching the disk: the default,
        /// 64 MiB, holds about 190,000 events of 30 features. 0 sends every batch through the spool.
        public var pendingCapacityBytes = 64 << 20
        /// The most IngestEvents requests outstanding at once (acknowledgements may come back in any order).
        public var maximumInFlight = 8
        /// The spool's size cap in bytes; when a batch does not fit, its events are dropped (counted and logged).
        public var spoolCapacityBytes = 1 << 30
        /// A spool segment file is closed and a new one started when it would grow beyond this.
        public var segmentBytes = 8 << 20
        /// The largest IngestEvents request: consecutive batches waiting to be sent are coalesced into one request up
        /// to this size (a single larger batch is sent alone). Keep it below the monitor's payload limit (4 MiB by
        /// default).
        public var maximumRequestBytes = 1 << 20
        /// Timeout of one IngestEvents or RegisterModel call.
        public var callTimeout: Duration = .seconds(5)
        /// The wait after a failed delivery before the next attempt (doubling up to ``maximumRetryDelay``).
        public var retryDelay: Duration = .milliseconds(100)
        /// The longest wait between delivery attempts while the monitor is unreachable.
        public var maximumRetryDelay: Duration = .seconds(2)
        /// How long ``EventReporter/beginGracefulShutdown()`` may spend sending to the monitor before the rest goes to the
        /// spool.
        public var shutdownTimeout: Duration = .seconds(5)
        /// The most bytes of acknowledged batches kept in memory for resends to a monitor that lost them (restored
        /// from an older copy of its state). The default, 64 MiB, holds about 190,000 events of 30 features, as
        /// much again as ``pendingCapacityBytes``; 0 keeps nothing.
        public var retentionBytes = 64 << 20
        /// How long an acknowledged batch is kept for resends (within ``retentionBytes``): one hour, the span in
        /// which a backup is expected to be taken again.
        public var retentionDuration: Duration = .seconds(3_600)
        /// Sequence numbers reserved per write of the state file (the gap a hard crash can leave).
        public var sequenceLease: UInt64 = 1 << 20
        /// When a scoring answer may leave: at once (``EventDurability/async``, the default), or once its events
        /// are synced to the spool (``EventDurability/sync``; every batch then goes through the spool, and
        /// ``pendingCapacityBytes`` is unused).
        public var durability = EventDurability.async

        /// Creates a configuration with the defaults above.
        /// - Parameters:
        ///   - monitor: The monitor's address.
        ///   - spoolDirectory: The spool directory.
        public init(monitor: SocketAddress, spoolDirectory: String) {
            self.monitor = monitor
            self.spoolDirectory = spoolDirectory
        }

        /// Checks every value's range.
        /// - Throws: ``ReportingError`` with code `invalidConfiguration` naming the first bad value.
        func validate() throws(ReportingError) {
            func require(_ condition: Bool, _ message: String) throws(ReportingError) {
                if !condition { throw ReportingError(.invalidConfiguration, "event reporter: \(message)") }
            }
            try require(!spoolDirectory.isEmpty, "the spool directory is empty")
            try require(batchSize >= 1, "batch size must be at least 1 (got \(batchSize))")
            try require(maximumBatchDelay > .zero, "the maximum batch delay must be positive")
            try require(queueCapacity >= 1, "queue capacity must be at least 1 (got \(queueCapacity))")
            try require(
                queueCapacityBytes >= 4_096, "queue capacity must be at least 4096 bytes (got \(queueCapacityBytes))")
            try require(
                pendingCapacityBytes >= 0, "pending capacity must not be negative (got \(pendingCapacityBytes) bytes)")
            try require(
                (1...256).contains(maximumInFlight),
                "requests in flight must be between 1 and 256 (got \(maximumInFlight))")
            try require(segmentBytes >= 4096, "segment size must be at least 4096 bytes (got \(segmentBytes))")
            try require(
                spoolCapacityBytes >= segmentBytes,
                "spool capacity (\(spoolCapacityBytes)) must be at least one segment (\(segmentBytes))")
            try require(
                maximumRequestBytes >= 1_024,
                "the maximum request size must be at least 1024 (got \(maximumRequestBytes))")
            try require(callTimeout > .zero, "the call timeout must be positive")
            try require(
                retryDelay > .zero && maximumRetryDelay >= retryDelay, "retry delays must be positive and ordered")
            try require(shutdownTimeout >= .zero, "the shutdown timeout must not be negative")
            try require(sequenceLease >= 1_024, "the sequence lease must be at least 1024")
            try require(retentionBytes >= 0, "the retention must not be negative (got \(retentionBytes) bytes)")
            try require(retentionDuration >= .zero, "the retention time must not be negative")
            if let producerId {
                try require(
                    !producerId.isEmpty && producerId.utf8.count <= 200 && !producerId.contains(where: \.isNewline)
                        && !producerId.utf8.contains(0),
                    "the producer id must be 1–200 bytes without line breaks or NUL")
            }
        }
    }
}
