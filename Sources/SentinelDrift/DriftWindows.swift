/// Live drift and fraud-rate monitoring over tumbling windows, in bounded memory.
///
/// Events go into the current window (``record(features:score:flagged:)``, O(features), no allocation).
/// The caller drives time with ``advance(to:)`` — typically with its clock before applying a batch, so
/// windows follow arrival time and no event is late. Closing a window computes its statistics in
/// O(features × bins), feeds each column's ``LevelTracker`` and the ``FraudRateAlarm``, folds the counts
/// into "since start", and pushes the window onto a ring of the last `historyCount` windows. A jump over
/// many empty windows costs at most `historyCount` steps.
///
/// The current window also keeps a reservoir sample of `reservoirCapacity` whole event rows (features and
/// score, Algorithm L, seeded), and the previous window's sample is kept when it closes, for an exact KS test
/// on request (``exactKS(column:reference:window:)``). Older windows keep only counts.
///
/// ```swift
/// var windows = try DriftWindows(reference: reference, startingAt: nowMilliseconds)
/// for change in windows.advance(to: nowMilliseconds) { print(change) }
/// windows.record(features: row, score: 0.03, flagged: false)
/// ```
public struct DriftWindows: Sendable, Codable {
    /// Settings for the windows, the statuses and the fraud-rate alarm.
    public struct Configuration: Sendable, Hashable, Codable {
        /// Window length in milliseconds (default 60,000).
        public var windowMilliseconds: Int64
        /// Closed windows kept (default 1,440: 24 h of 1-minute windows).
        public var historyCount: Int
        /// Event rows sampled per window for exact KS (default 2,048).
        public var reservoirCapacity: Int
        /// Drift status thresholds and hysteresis.
        public var thresholds: DriftThresholds
        /// Confidence of the flagged-rate interval (default 0.95).
        public var confidence: Double
        /// Consecutive windows outside the interval that raise the fraud-rate alert (default 3).
        public var fraudWindowsToAlert: Int
        /// Consecutive windows inside the interval that clear it (default 2).
        public var fraudWindowsToClear: Int
        /// Seed of the reservoir sampling.
        public var seed: UInt64
        /// Warn and alert thresholds set on the monitor for single columns, by name (`score` for the score); they
        /// win over everything else. `nil` or empty: none.
        public var columnThresholds: [String: DriftThresholds.Levels]?
        /// Whether `thresholds`' warn and alert were set on the monitor: then they win over a model's calibration.
        public var thresholdsSet: Bool?

        /// Creates a configuration; every parameter has the documented default.
        public init(
            windowMilliseconds: Int64 = 60_000,
            historyCount: Int = 1_440,
            reservoirCapacity: Int = ReservoirSampler.defaultCapacity,
            thresholds: DriftThresholds = DriftThresholds(),
            confidence: Double = 0.95,
            fraudWindowsToAlert: Int = 3,
            fraudWindowsToClear: Int = 2,
            seed: UInt64 = 0x5E47_1E1D,
            columnThresholds: [String: DriftThresholds.Levels]? = nil,
            thresholdsSet: Bool? = nil
        ) {
            self.windowMilliseconds = windowMilliseconds
            self.historyCount = historyCount
            self.reservoirCapacity = reservoirCapacity
            self.thresholds = thresholds
            self.confidence = confidence
            self.fraudWindowsToAlert = fraudWindowsToAlert
            self.fraudWindowsToClear = fraudWindowsToClear
            self.seed = seed
            self.columnThresholds = columnThresholds
            self.thresholdsSet = thresholdsSet
        }

        /// Checks every setting.
        /// - Throws: ``DriftError`` `.invalidOption` naming the bad setting.
        public func validate() throws(DriftError) {
            guard windowMilliseconds > 0 else {
                throw DriftError(
                    .invalidOption, "window length must be positive, got \(windowMilliseconds) ms")
            }
            guard historyCount >= 1 else {
                throw DriftError(
                    .invalidOption, "history must keep at least one window, got \(historyCount)")
            }
            guard reservoirCapacity >= 1 else {
                throw DriftError(
                    .invalidOption, "reservoir needs at least one slot, got \(reservoirCapacity)")
            }
            guard confidence > 0, confidence < 1 else {
                throw DriftError(.invalidOption, "confidence must be in (0, 1), got \(confidence)")
            }
            guard fraudWindowsToAlert >= 1, fraudWindowsToClear >= 1 else {
                throw DriftError(.invalidOption, "fraud-rate window counts must be at least 1")
            }
            try thresholds.validate()
            for (name, levels) in (columnThresholds ?? [:]).sorted(by: { $0.key < $1.key }) {
                do {
                    try thresholds.with(warn: levels.warn, alert: levels.alert).validate()
                } catch {
                    throw DriftError(.invalidOption, "thresholds of \(name): \(error.message)")
                }
            }
        }
    }

    /// Where a column's warn and alert thresholds come from.
    public enum ThresholdSource: String, Sendable, Hashable, Codable {
        /// The monitor's defaults (PSI 0.1 and 0.25).
        case defaults = "default"
        /// The model file's calibration from chunks of its training data.
        case calibrated
        /// Set on the monitor, for this column or for every column.
        case monitor
    }

    /// A column's thresholds and where its warn and alert come from: set on the monitor for the column, else set on
    /// the monitor for every column, else the model's calibration (for the measure the statuses use), else the
    /// defaults. O(1) but for one dictionary lookup.
    /// - Parameter column: Column index; `reference.features.count` is the score.
    public func thresholds(column: Int) -> (thresholds: DriftThresholds, source: ThresholdSource) {
        let thresholds = configuration.thresholds
        let profile = column < reference.features.count ? reference.features[column] : reference.score
        if let levels = configuration.columnThresholds?[profile.name] {
            return (thresholds.with(warn: levels.warn, alert: levels.alert), .monitor)
        }
        if configuration.thresholdsSet == true { return (thresholds, .monitor) }
        if let calibration = profile.calibration, calibration.metric == thresholds.metric {
            return (thresholds.with(warn: calibration.warn, alert: calibration.alert), .calibrated)
        }
        return (thresholds, .defaults)
    }

    /// Takes the drift thresholds of another configuration (the global ones, whether they were set, and the
    /// per-column ones) for the windows that close from now on; statuses already reached stay.
    /// - Parameter other: A validated configuration.
    public mutating func takeThresholds(of other: Configuration) {
        configuration.thresholds = other.thresholds
        configuration.thresholdsSet = other.thresholdsSet
        configuration.columnThresholds = other.columnThresholds
    }

    /// The thresholds a status of `subject` is judged on (the configured ones for the fraud rate).
    /// - Parameter subject: A feature, the score or the fraud rate.
    public func thresholds(for subject: DriftSubject) -> DriftThresholds {
        switch subject {
        case .fraudRate: return configuration.thresholds
        case .score: return thresholds(column: reference.features.count).thresholds
        case .feature(let name):
            guard let index = reference.features.firstIndex(where: { $0.name == name }) else {
                return configuration.thresholds
            }
            return thresholds(column: index).thresholds
        }
    }

    /// A closed window: its counts and the statuses after it closed.
    public struct ClosedWindow: Sendable, Hashable, Codable {
        /// Start, milliseconds since the epoch.
        public var start: Int64
        /// The window's counts.
        public var counts: WindowAccumulator
        /// Per-column levels after the close (features, then the score).
        public var levels: [DriftLevel]
        /// Fraud-rate level after the close.
        public var fraudRateLevel: DriftLevel
    }

    /// Which window's reservoir sample to test.
    public enum SampledWindow: Sendable, Hashable {
        /// The window being filled.
        case current
        /// The last closed window.
        case previous
    }

    /// The settings.
    public private(set) var configuration: Configuration
    /// The reference the windows are compared with.
    public let reference: ReferenceProfile
    /// When the monitoring started (milliseconds since the epoch).
    public let startedAt: Int64
    /// Start of the current window, aligned to a multiple of the window length.
    public private(set) var currentStart: Int64
    /// Counts of the current window.
    public private(set) var current: WindowAccumulator
    /// Counts since start (closed windows only; add ``current`` for the live total).
    public private(set) var sinceStart: WindowAccumulator
    private var ring: [ClosedWindow]
    private var ringNext: Int
    private var trackers: [LevelTracker]
    private var fraudAlarm: FraudRateAlarm
    private var sampler: ReservoirSampler
    private var sample: [Double]
    private var previousSample: [Double]
    private var windowsClosed: UInt64

    /// Creates the windows; the first window is the one containing `time`.
    /// - Parameters:
    ///   - reference: The training reference.
    ///   - configuration: The settings (defaults as documented).
    ///   - time: Now, in milliseconds since the epoch.
    /// - Throws: ``DriftError`` `.invalidOption` for a bad configuration.
    public init(
        reference: ReferenceProfile, configuration: Configuration = Configuration(), startingAt time: Int64
    ) throws(DriftError) {
        try configuration.validate()
        self.configuration = configuration
        self.reference = reference
        self.startedAt = time
        self.currentStart = Self.align(time, configuration.windowMilliseconds)
        self.current = WindowAccumulator(reference: reference)
        self.sinceStart = current
        self.ring = []
        self.ringNext = 0
        self.trackers = [LevelTracker](repeating: LevelTracker(), count: reference.features.count + 1)
        self.fraudAlarm = FraudRateAlarm(
            windowsToAlert: configuration.fraudWindowsToAlert, windowsToClear: configuration.fraudWindowsToClear)
        self.sampler = ReservoirSampler(capacity: configuration.reservoirCapacity, seed: configuration.seed)
        self.sample = []
        self.previousSample = []
        self.windowsClosed = 0
    }

    private static func align(_ time: Int64, _ length: Int64) -> Int64 {
        let remainder = time % length
        return time - (remainder < 0 ? remainder + length : remainder)
    }

    private var columns: [FeatureProfile] { reference.features + [reference.score] }

    /// Records one scored event into the current window.
    ///
    /// Precondition: `features.count == reference.features.count` (the caller validates event shapes at
    /// ingestion and rejects bad ones with its own error).
    /// - Parameters:
    ///   - features: The feature values in model order; NaN means missing.
    ///   - score: The model's score.
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: UnsafeBufferPointer<Double>, score: Double, flagged: Bool) {
        current.record(features: features, score: score, flagged: flagged)
        if let slot = sampler.nextSlot() {
            let width = features.count + 1
            if slot * width == sample.count {
                sample.append(contentsOf: features)
                sample.append(score)
            } else {
                let base = slot * width
                for index in 0..<features.count { sample[base + index] = features[index] }
                sample[base + features.count] = score
            }
        }
    }

    /// Records one scored event into the current window.
    /// - Parameters:
    ///   - features: The feature values in model order; NaN means missing.
    ///   - score: The model's score.
    ///   - flagged: Whether the model flagged the event.
    public mutating func record(features: [Double], score: Double, flagged: Bool) {
        features.withUnsafeBufferPointer { record(features: $0, score: score, flagged: flagged) }
    }

    /// Closes every window that ended at or before `time` and returns the status changes.
    ///
    /// A time before the current window changes nothing (a clock step back does not reopen windows).
    /// - Parameter time: Now, in milliseconds since the epoch.
    /// - Returns: The status transitions, oldest first.
    public mutating func advance(to time: Int64) -> [DriftTransition] {
        let length = configuration.windowMilliseconds
        guard time >= currentStart + length else { return [] }
        var transitions = closeCurrent()
        currentStart += length
        // Empty windows carry no evidence and change no status; keep at most a ring's worth of them.
        let empty = (time - currentStart) / length
        if empty > 0 {
            let pushed = Swift.min(empty, Int64(configuration.historyCount))
            let blank = WindowAccumulator(reference: reference)
            for step in 0..<pushed {
                push(start: currentStart + (empty - pushed + step) * length, counts: blank)
            }
            currentStart += empty * length
            previousSample = []
        }
        transitions.sort { $0.windowStart < $1.windowStart }
        return transitions
    }

    private mutating func closeCurrent() -> [DriftTransition] {
        var transitions: [DriftTransition] = []
        let columns = self.columns
        for column in columns.indices {
            let thresholds = thresholds(column: column).thresholds
            guard let statistics = current.statistics(column: column, profile: columns[column]) else { continue }
            let value = statistics.value(of: thresholds.metric)
            let count = current.valueCount(column: column)
            if let change = trackers[column].update(value: value, count: count, thresholds: thresholds) {
                let subject: DriftSubject = column < reference.features.count ? .feature(columns[column].name) : .score
                let threshold =
                    change.to > change.from
                    ? (change.to == .alert ? thresholds.alert : thresholds.warn)
                    : (change.from == .alert ? thresholds.alert : thresholds.warn) * thresholds.releaseFactor
                let direction = change.to > change.from ? "≥" : "<"
                transitions.append(
                    DriftTransition(
                        subject: subject, from: change.from, to: change.to, windowStart: currentStart, value: value,
                        reason:
                            "\(thresholds.metric.rawValue) \(value.reasonText) \(direction) \(threshold.reasonText) over "
                            + "\(count) values"
                    ))
            }
        }
        let fraud = fraudStatistics(of: current)
        if let change = fraudAlarm.update(with: fraud) {
            let interval = fraud.interval.map { "[\($0.lower.reasonText), \($0.upper.reasonText)]" } ?? "none"
            let runs = change.to == .alert ? configuration.fraudWindowsToAlert : configuration.fraudWindowsToClear
            let side = change.to == .alert ? "outside" : "inside"
            transitions.append(
                DriftTransition(
                    subject: .fraudRate, from: change.from, to: change.to, windowStart: currentStart,
                    value: fraud.flaggedRate,
                    reason:
                        "base flag rate \(reference.baseFlagRate.reasonText) \(side) the \(configuration.confidence) "
                        + "interval \(interval) for \(runs) windows"
                ))
        }
        push(start: currentStart, counts: current)
        sinceStart.merge(current)
        current.reset()
        previousSample = sample
        sample = []
        sample.reserveCapacity(previousSample.count)
        sampler = ReservoirSampler(
            capacity: configuration.reservoirCapacity, seed: configuration.seed &+ windowsClosed &+ 1)
        return transitions
    }

    private mutating func push(start: Int64, counts: WindowAccumulator) {
        windowsClosed += 1
        let closed = ClosedWindow(
            start: start, counts: counts, levels: trackers.map(\.level), fraudRateLevel: fraudAlarm.level)
        if ring.count < configuration.historyCount {
            ring.append(closed)
        } else {
            ring[ringNext] = closed
        }
        ringNext = (ringNext + 1) % configuration.historyCount
    }

    private func fraudStatistics(of counts: WindowAccumulator) -> FraudRateStatistics {
        FraudRateStatistics(
            events: counts.events, flagged: counts.flagged, scoreSum: counts.scoreSum, scoreCount: counts.scoreCount,
            baseRate: reference.baseFlagRate, confidence: configuration.confidence)
    }

    /// The most recently closed window, or `nil` before the first one closes (without copying the history).
    public var lastClosed: ClosedWindow? {
        guard !ring.isEmpty else { return nil }
        guard ring.count == configuration.historyCount else { return ring.last }
        return ring[(ringNext + ring.count - 1) % ring.count]
    }

    /// The most recent closed windows in a row without an event, counted back from the newest kept one (at most
    /// the kept history). O(that count), no copy of the history.
    public var trailingEmptyWindows: Int {
        var count = 0
        while count < ring.count {
            let index =
                ring.count < configuration.historyCount
                ? ring.count - 1 - count
                : (ringNext - 1 - count + 2 * ring.count) % ring.count
            guard ring[index].counts.events == 0 else { break }
            count += 1
        }
        return count
    }

    /// The statistics of the last closed window with the statuses it left; before any window closed, an empty
    /// window ending where the current one starts (no statistics, the current statuses).
    public func lastClosedReport() -> WindowReport {
        if let window = lastClosed { return report(for: window) }
        let length = configuration.windowMilliseconds
        return report(
            counts: WindowAccumulator(reference: reference), start: currentStart - length, end: currentStart,
            levels: levels, fraudRateLevel: fraudAlarm.level)
    }

    /// The closed windows kept that start at or after `time`, oldest first.
    /// - Parameter time: Milliseconds since the epoch.
    public func history(since time: Int64) -> [ClosedWindow] {
        history.filter { $0.start >= time }
    }

    /// Sets every status back to `ok` and forgets the runs in progress: the model version went idle, and its
    /// statuses resolve rather than hold the last traffic's verdict.
    public mutating func resetLevels() {
        for index in trackers.indices { trackers[index].reset(to: .ok) }
        fraudAlarm = FraudRateAlarm(
            windowsToAlert: configuration.fraudWindowsToAlert, windowsToClear: configuration.fraudWindowsToClear)
    }

    /// The closed windows kept, oldest first (at most `historyCount`).
    public var history: [ClosedWindow] {
        guard ring.count == configuration.historyCount else { return ring }
        return Array(ring[ringNext...] + ring[..<ringNext])
    }

    /// The current levels: features in model order, then the score.
    public var levels: [DriftLevel] { trackers.map(\.level) }

    /// The fraud-rate alarm's level.
    public var fraudRateLevel: DriftLevel { fraudAlarm.level }

    /// The statuses above `ok`, each naming its subject and level: features in model order, then the
    /// score, then the fraud rate.
    public var activeAlerts: [DriftAlert] {
        var alerts: [DriftAlert] = []
        for (column, tracker) in trackers.enumerated() where tracker.level > .ok {
            let subject: DriftSubject =
                column < reference.features.count ? .feature(reference.features[column].name) : .score
            alerts.append(DriftAlert(subject: subject, level: tracker.level))
        }
        if fraudAlarm.level > .ok { alerts.append(DriftAlert(subject: .fraudRate, level: fraudAlarm.level)) }
        return alerts
    }

    /// The statistics of the window being filled, with the current levels.
    public func currentReport() -> WindowReport {
        report(
            counts: current, start: currentStart, end: currentStart + configuration.windowMilliseconds,
            levels: levels, fraudRateLevel: fraudAlarm.level)
    }

    /// The statistics of everything since start (closed windows and the current one), with the current levels.
    public func sinceStartReport() -> WindowReport {
        var total = sinceStart
        total.merge(current)
        return report(
            counts: total, start: startedAt, end: currentStart + configuration.windowMilliseconds,
            levels: levels, fraudRateLevel: fraudAlarm.level)
    }

    /// The statistics of a closed window, with the levels it left.
    /// - Parameter window: One of ``history``.
    public func report(for window: ClosedWindow) -> WindowReport {
        report(
            counts: window.counts, start: window.start, end: window.start + configuration.windowMilliseconds,
            levels: window.levels, fraudRateLevel: window.fraudRateLevel)
    }

    /// The statistics of the last `count` closed windows together (e.g. the last 15 minutes), with the
    /// current levels; useful when single windows hold too few events. O(count × features × bins).
    /// - Parameter count: How many of the most recent closed windows to merge (clamped to the history).
    /// - Returns: The merged report, or `nil` when no window has closed yet.
    public func report(lastWindows count: Int) -> WindowReport? {
        let recent = history.suffix(Swift.max(1, count))
        guard let first = recent.first, let last = recent.last else { return nil }
        var total = first.counts
        for window in recent.dropFirst() { total.merge(window.counts) }
        return report(
            counts: total, start: first.start, end: last.start + configuration.windowMilliseconds, levels: levels,
            fraudRateLevel: fraudAlarm.level)
    }

    private func report(
        counts: WindowAccumulator, start: Int64, end: Int64, levels: [DriftLevel], fraudRateLevel: DriftLevel
    ) -> WindowReport {
        let columns = self.columns
        let drifts = columns.indices.map { column in
            let histogram = counts.histogram(column: column)
            return WindowReport.ColumnDrift(
                name: columns[column].name,
                count: histogram.total,
                missing: histogram.missing,
                statistics: counts.statistics(column: column, profile: columns[column]),
                level: levels[column]
            )
        }
        return WindowReport(
            start: start, end: end, events: counts.events, features: Array(drifts.dropLast()), score: drifts.last!,
            fraudRate: fraudStatistics(of: counts), fraudRateLevel: fraudRateLevel)
    }

    /// The reservoir sample of one column in a window (at most `reservoirCapacity` values, NaN kept).
    /// - Parameters:
    ///   - column: Column index; `reference.features.count` is the score.
    ///   - window: The current or the previous window.
    public func sampledValues(column: Int, window: SampledWindow = .current) -> [Double] {
        let rows = window == .current ? sample : previousSample
        let width = reference.features.count + 1
        return stride(from: column, to: rows.count, by: width).map { rows[$0] }
    }

    /// The exact two-sample KS test between a reference sample and a window's reservoir sample.
    /// - Parameters:
    ///   - column: Column index; `reference.features.count` is the score.
    ///   - reference: A sample of reference values (e.g. a training sample kept with the model).
    ///   - window: The current or the previous window.
    /// - Returns: The statistic and its p-value (exact for samples up to 10,000 values).
    /// - Throws: ``DriftError`` `.emptySample` when either sample has no non-missing value,
    ///   `.unknownColumn` for a bad column.
    public func exactKS(
        column: Int, reference: [Double], window: SampledWindow = .current
    ) throws(DriftError) -> KolmogorovSmirnov {
        guard column >= 0, column <= self.reference.features.count else {
            throw DriftError(.unknownColumn, "no column \(column)")
        }
        return try KolmogorovSmirnov(reference, sampledValues(column: column, window: window))
    }
}
