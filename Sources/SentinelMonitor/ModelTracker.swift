public import SentinelDrift
public import SentinelMetrics

/// Everything the monitor tracks for one model version: drift windows against its reference, latency, counts, and
/// a baseline sample for the exact KS test.
///
/// Latency follows the drift windows: the current window's ``LatencyHistogram``, one for "since start", and a ring
/// of per-window summaries (``WindowLatency``) as long as the drift history. Recording an event is O(features);
/// ``advance(to:)`` closes windows in O(features × bins) each.
///
/// **Exact KS reference.** The model artifact carries no raw training values, so the exact test needs another
/// reference sample: the reservoir sample (up to `reservoirCapacity` rows) of the **first closed window with at
/// least `minimumCount` events after registration** is frozen as the baseline, and later windows' reservoirs are
/// tested against it. The exact KS therefore answers "has the traffic changed since this version went live", not
/// "does it differ from training" (the binned statistics answer that).
///
/// ```swift
/// var model = try ModelTracker(version: "v1", reference: reference, threshold: 0.5, learner: "logistic",
///                              configuration: .init(), at: nowMicroseconds)
/// model.record(features: row, score: 0.1, flagged: false, latencyNanoseconds: 80_000)
/// let changes = model.advance(to: laterMicroseconds)
/// ```
public struct ModelTracker: Sendable, Codable {
    /// The model version.
    public let version: String
    /// The model's decision threshold.
    public let threshold: Double
    /// The learner, for display.
    public let learner: String
    /// When the version was registered, microseconds since the epoch.
    public let registeredAtMicroseconds: Int64
    /// Drift and fraud-rate windows against the reference.
    public private(set) var windows: DriftWindows
    /// Events from this version since the state began.
    public private(set) var eventsTotal: UInt64
    /// Latency of the current window.
    public private(set) var windowLatency: LatencyHistogram
    /// Latency of the closed windows since the state began (merge ``windowLatency`` for the live total).
    public private(set) var closedLatency: LatencyHistogram
    /// Latency summaries of the closed windows that had events, oldest first (at most `historyCount`).
    public private(set) var latencyHistory: [WindowLatency]
    /// The frozen exact-KS baseline, column-major (features, then the score); `nil` until a window qualifies.
    public private(set) var baselineSample: [[Double]]?

    /// Starts tracking a version.
    /// - Parameters:
    ///   - version: The model version.
    ///   - reference: Its training reference.
    ///   - threshold: Its decision threshold.
    ///   - learner: The learner, for display.
    ///   - configuration: Window settings.
    ///   - time: Now, microseconds since the epoch.
    /// - Throws: ``MonitorError`` `.invalidConfiguration` for bad window settings.
    public init(
        version: String, reference: ReferenceProfile, threshold: Double, learner: String,
        configuration: DriftWindows.Configuration, at time: Int64
    ) throws(MonitorError) {
        self.version = version
        self.threshold = threshold
        self.learner = learner
        self.registeredAtMicroseconds = time
        do {
            self.windows = try DriftWindows(
                reference: reference, configuration: configuration, startingAt: Self.milliseconds(time))
        } catch {
            throw MonitorError(.invalidConfiguration, "\(error)")
        }
        self.eventsTotal = 0
        self.windowLatency = LatencyHistogram()
        self.closedLatency = LatencyHistogram()
        self.latencyHistory = []
        self.baselineSample = nil
    }

    /// Microseconds to milliseconds, rounding down (also for negative times).
    static func milliseconds(_ microseconds: Int64) -> Int64 {
        microseconds >= 0 ? microseconds / 1_000 : (microseconds - 999) / 1_000
    }

    /// The number of model inputs.
    public var featureCount: Int { windows.reference.features.count }

    /// Records one event into the current window. Precondition: `features.count == featureCount`.
    /// - Parameters:
    ///   - features: Feature values in model order (NaN = missing).
    ///   - score: The fraud probability.
    ///   - flagged: Whether the model flagged it.
    ///   - latencyNanoseconds: The server-side latency.
    public mutating func record(
        features: UnsafeBufferPointer<Double>, score: Double, flagged: Bool, latencyNanoseconds: UInt64
    ) {
        windows.record(features: features, score: score, flagged: flagged)
        windowLatency.record(nanoseconds: latencyNanoseconds)
        eventsTotal += 1
    }

    /// Closes every window that ended at or before `time`.
    /// - Parameter time: Now, microseconds since the epoch.
    /// - Returns: The status transitions, oldest first.
    public mutating func advance(to time: Int64) -> [DriftTransition] {
        let before = windows.currentStart
        let closingEvents = windows.current.events
        let transitions = windows.advance(to: Self.milliseconds(time))
        guard windows.currentStart != before else { return transitions }
        if windowLatency.count > 0 {
            if latencyHistory.count == windows.configuration.historyCount { latencyHistory.removeFirst() }
            latencyHistory.append(WindowLatency(start: before, histogram: windowLatency))
            closedLatency.merge(windowLatency)
            windowLatency.reset()
        }
        // The previous-window sample exists only when the closed window was the one just before the current one.
        if baselineSample == nil, closingEvents >= windows.configuration.thresholds.minimumCount,
            windows.currentStart == before + windows.configuration.windowMilliseconds
        {
            baselineSample = (0...featureCount).map { windows.sampledValues(column: $0, window: .previous) }
        }
        return transitions
    }

    /// Sets every status back to `ok` (the version went idle; see ``DriftWindows/resetLevels()``).
    public mutating func resetLevels() {
        windows.resetLevels()
    }

    /// The latency of everything since the state began.
    public var sinceStartLatency: LatencyHistogram {
        var total = closedLatency
        total.merge(windowLatency)
        return total
    }

    /// The latency summary of a closed window, or `nil` when it had no events.
    /// - Parameter start: The window's start, milliseconds since the epoch.
    public func latency(ofWindowStarting start: Int64) -> WindowLatency? {
        // Binary search: the history is in start order.
        var low = 0
        var high = latencyHistory.count
        while low < high {
            let middle = (low + high) / 2
            if latencyHistory[middle].start < start { low = middle + 1 } else { high = middle }
        }
        return low < latencyHistory.count && latencyHistory[low].start == start ? latencyHistory[low] : nil
    }

    /// The exact two-sample KS test of one column: the current window's reservoir against the baseline.
    /// - Parameter column: Column index; `featureCount` is the score.
    /// - Returns: The test, or `nil` without a baseline or when a sample has no non-missing value.
    public func exactKS(column: Int) -> KolmogorovSmirnov? {
        guard let baseline = baselineSample, column < baseline.count else { return nil }
        return try? windows.exactKS(column: column, reference: baseline[column], window: .current)
    }

    /// Judges the windows that close from now on with the drift thresholds of `configuration` (the monitor's
    /// current flags, for a version restored from the state directory).
    mutating func takeThresholds(of configuration: DriftWindows.Configuration) {
        windows.takeThresholds(of: configuration)
    }
}
