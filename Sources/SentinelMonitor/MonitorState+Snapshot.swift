import SentinelDrift
import SentinelMetrics
public import SentinelSchema

extension MonitorState {
    /// The monitor's view: per model version the drift, rates and latency of the current window, or of the last
    /// complete window while the current one has too few events (see ``shownWindow(_:)``), the active alerts, the
    /// producers, the recent windows and the label metrics.
    ///
    /// Cost: O(versions × features × bins) plus the requested history; with `exactKS`, one exact KS test per column
    /// (~3 ms each at 2,048 × 2,048); label metrics O(n log n) over the kept labelled transactions. The service
    /// splits this into ``snapshotParts(_:at:)`` (under its lock) and ``complete(_:with:)`` (outside it).
    /// - Parameters:
    ///   - request: Model filter, history length, exact KS.
    ///   - time: Now, microseconds since the epoch (for throughput; windows are not advanced — call
    ///     ``advance(to:)`` first for an up-to-date view).
    public func snapshot(_ request: MonitorSnapshotRequest, at time: Int64) -> MonitorSnapshotResponse {
        var (response, parts) = snapshotParts(request, at: time)
        Self.complete(&response, with: parts)
        return response
    }

    /// What ``complete(_:with:)`` needs to finish a snapshot without the state: the labelled rows and the exact-KS
    /// samples.
    public struct SnapshotParts: Sendable {
        /// The label book's rows for the label metrics.
        var labels: LabelBook.LabelledRows
        /// Only this version's label metrics, or all.
        var modelFilter: String?
        /// Per requested test: model index in the response, column (features, then the score), the two samples.
        var samples: [(model: Int, column: Int, baseline: [Double], current: [Double])]
    }

    /// The cheap part of ``snapshot(_:at:)``: everything but the label metrics and the exact KS tests, whose
    /// inputs are gathered (O(n) copies) for ``complete(_:with:)``.
    /// - Parameters:
    ///   - request: Model filter, history length, exact KS.
    ///   - time: Now, microseconds since the epoch.
    /// - Returns: The partial response and the inputs to complete it.
    public func snapshotParts(
        _ request: MonitorSnapshotRequest, at time: Int64
    ) -> (MonitorSnapshotResponse, SnapshotParts) {
        let versions = models.keys.sorted().filter { request.modelVersion == nil || request.modelVersion == $0 }
        var response = MonitorSnapshotResponse(
            generatedAtMicroseconds: time, startedAtMicroseconds: startedAtMicroseconds, eventsTotal: eventsTotal,
            windowLengthMicroseconds: settings.windows.windowMilliseconds * 1_000)
        var parts = SnapshotParts(labels: labels.labelledRows(), modelFilter: request.modelVersion, samples: [])
        var history: [MonitorSnapshotResponse.WindowSummary] = []
        for version in versions {
            guard let model = models[version] else { continue }
            response.windowLengthMicroseconds = model.windows.configuration.windowMilliseconds * 1_000
            let shown = Self.shownWindow(model)
            // The reservoir samples exist for the current window and the one closed just before it.
            let sampled: DriftWindows.SampledWindow? =
                !shown.closed ? .current : shown.report.start == model.windows.history.last?.start ? .previous : nil
            if request.exactKS, let baseline = model.baselineSample, let sampled {
                for column in baseline.indices {
                    parts.samples.append(
                        (
                            response.models.count, column, baseline[column],
                            model.windows.sampledValues(column: column, window: sampled)
                        ))
                }
            }
            response.models.append(modelSnapshot(model, shown, at: time))
            if request.historyWindows > 0 {
                history += model.windows.history.suffix(Int(request.historyWindows)).map {
                    windowSummary(model, $0)
                }
            }
        }
        history.sort { ($0.startMicroseconds, $0.modelVersion) < ($1.startMicroseconds, $1.modelVersion) }
        response.history = history
        response.alerts = alerts.values
            .filter { request.modelVersion == nil || request.modelVersion == $0.modelVersion }
            .sorted {
                ($1.level, $0.modelVersion, $0.subject.description) < (
                    $0.level, $1.modelVersion, $1.subject.description
                )
            }
            .map(Self.wire)
        response.producers = producers.keys.sorted().compactMap { id in
            producers[id].map(Self.wire)
        }
        // A producer with missing sequence numbers is an active PRODUCER_GAP warning (not model-specific): events
        // were lost upstream or are still in flight out of order. Listed after the drift alerts.
        if request.modelVersion == nil {
            for producer in response.producers where producer.missing > 0 {
                let known = producer.reportedDropped
                response.alerts.append(
                    MonitorSnapshotResponse.Alert(
                        kind: .producerGap, feature: producer.producerId, level: .warn,
                        reason: "\(producer.missing) sequence numbers missing below \(producer.lastSequence); the "
                            + "producer reports \(known) dropped",
                        value: Double(producer.missing), threshold: 0,
                        sinceMicroseconds: producer.lastSeenMicroseconds))
            }
        }
        return (response, parts)
    }

    /// Finishes a snapshot from ``snapshotParts(_:at:)``: label metrics and exact KS tests. Needs no state.
    /// - Parameters:
    ///   - response: The partial response.
    ///   - parts: Its inputs.
    public static func complete(_ response: inout MonitorSnapshotResponse, with parts: SnapshotParts) {
        response.labelMetrics = LabelBook.dailyMetrics(parts.labels)
            .filter { parts.modelFilter == nil || parts.modelFilter == $0.modelVersion }
            .map {
                MonitorSnapshotResponse.DailyLabelMetrics(
                    day: $0.day, modelVersion: $0.modelVersion, transactions: $0.transactions, labelled: $0.labelled,
                    frauds: $0.frauds, averagePrecision: $0.averagePrecision,
                    cardPrecisionAt100: $0.cardPrecisionAt100)
            }
        for sample in parts.samples {
            // A sample without a non-missing value has no test: the field stays absent.
            guard let test = try? KolmogorovSmirnov(sample.baseline, sample.current) else { continue }
            if sample.column < response.models[sample.model].drift.features.count {
                response.models[sample.model].drift.features[sample.column].exactKS = wire(test)
            } else {
                response.models[sample.model].drift.score.exactKS = wire(test)
            }
        }
    }

    private func modelSnapshot(
        _ model: ModelTracker, _ shown: (report: WindowReport, latency: WindowLatency, closed: Bool), at time: Int64
    ) -> MonitorSnapshotResponse.ModelSnapshot {
        let windows = model.windows
        let report = shown.report
        let features = report.features.map { Self.wire($0) }
        let score = Self.wire(report.score)
        let share = report.alertShare
        let datasetLevel: AlertLevel = report.events == 0 ? .unspecified : Self.wire(datasetStatus(report))
        let counts = labels.labelCounts(modelVersion: model.version)
        var sinceStartRates = Self.wire(
            windows.sinceStartReport().fraudRate, level: windows.fraudRateLevel, reference: windows.reference,
            confidence: windows.configuration.confidence)
        sinceStartRates.labelled = counts.labelled
        sinceStartRates.labelledFrauds = counts.frauds
        let startMicroseconds = report.start * 1_000
        // A closed window's rate is over its whole length; the current one's over the time elapsed in it.
        let end = shown.closed ? report.end * 1_000 : time
        let elapsed = Double(max(1, end - startMicroseconds)) / 1e6
        return MonitorSnapshotResponse.ModelSnapshot(
            modelVersion: model.version, referenceKnown: true, eventsTotal: model.eventsTotal,
            windowStartMicroseconds: startMicroseconds,
            drift: MonitorSnapshotResponse.DriftReport(
                features: features, score: score, driftShare: share, status: datasetLevel),
            windowRates: Self.wire(
                report.fraudRate, level: windows.fraudRateLevel, reference: windows.reference,
                confidence: windows.configuration.confidence),
            sinceStartRates: sinceStartRates,
            windowLatency: Self.wire(shown.latency),
            sinceStartLatency: Self.wire(WindowLatency(start: windows.startedAt, histogram: model.sinceStartLatency)),
            throughputPerSecond: Double(report.events) / elapsed)
    }

    /// The window a snapshot describes: the current one once it has the events the status logic needs
    /// (`thresholds.minimumCount`, at least 1), else the most recent closed window that had them, else the current
    /// one. Right after a roll-over the current window is empty, and showing it would hide every drift value and
    /// rate while alerts are active.
    ///
    /// The statuses are always the live ones (the levels the active alerts come from), whichever window's counts are
    /// shown. A consumer tells the two apart by the window's end: a closed window ended at or before the snapshot's
    /// time (see ``MonitorSnapshotResponse/ModelSnapshot/showsClosedWindow(in:)``).
    static func shownWindow(_ model: ModelTracker) -> (report: WindowReport, latency: WindowLatency, closed: Bool) {
        let windows = model.windows
        let minimum = max(1, windows.configuration.thresholds.minimumCount)
        let current = windows.currentReport()
        guard current.events < minimum,
            let closed = windows.history.last(where: { $0.counts.events >= minimum })
        else {
            return (current, WindowLatency(start: windows.currentStart, histogram: model.windowLatency), false)
        }
        var report = windows.report(for: closed)
        for index in report.features.indices { report.features[index].level = current.features[index].level }
        report.score.level = current.score.level
        report.fraudRateLevel = current.fraudRateLevel
        let latency =
            model.latency(ofWindowStarting: closed.start)
            ?? WindowLatency(start: closed.start, histogram: LatencyHistogram())
        return (report, latency, true)
    }

    /// The dataset-level status: the worst feature level when at least half the features drifted, else ok/warn.
    ///
    /// Rule (documented in the MonitorSemantics article): alert when the share of features at alert is ≥ 0.5,
    /// warn when the share at warn or above is ≥ 0.3, else ok.
    func datasetStatus(_ report: WindowReport) -> DriftLevel {
        if report.alertShare >= 0.5 { return .alert }
        if report.driftShare >= 0.3 { return .warn }
        return .ok
    }

    private func windowSummary(
        _ model: ModelTracker, _ window: DriftWindows.ClosedWindow
    ) -> MonitorSnapshotResponse.WindowSummary {
        let report = model.windows.report(for: window)
        let maxPSI = report.features.compactMap { $0.statistics?.psi }.max() ?? 0
        var worst = max(report.fraudRateLevel, report.score.level)
        for feature in report.features { worst = max(worst, feature.level) }
        let latency = model.latency(ofWindowStarting: window.start).map(Self.wire) ?? SentinelSchema.LatencySummary()
        let interval = report.fraudRate.interval
        return MonitorSnapshotResponse.WindowSummary(
            startMicroseconds: report.start * 1_000, endMicroseconds: report.end * 1_000,
            modelVersion: model.version, events: UInt64(report.events), flagged: UInt64(report.fraudRate.flagged),
            meanScore: report.fraudRate.meanScore, driftShare: report.alertShare, maxPsi: maxPSI, latency: latency,
            status: report.events == 0 ? .unspecified : Self.wire(worst), flagRateLow: interval?.lower ?? 0,
            flagRateHigh: interval?.upper ?? 0)
    }

    // MARK: Wire conversions

    static func wire(_ level: DriftLevel) -> AlertLevel {
        switch level {
        case .ok: .ok
        case .warn: .warn
        case .alert: .alert
        }
    }

    static func wire(_ column: WindowReport.ColumnDrift) -> MonitorSnapshotResponse.FeatureDrift {
        MonitorSnapshotResponse.FeatureDrift(
            name: column.name, psi: column.statistics?.psi ?? 0, jsDistance: column.statistics?.jsDistance ?? 0,
            ksStatistic: column.statistics?.ksStatistic ?? 0,
            wassersteinNormed: column.statistics?.wassersteinNormed ?? 0,
            status: column.statistics == nil ? .unspecified : wire(column.level), count: UInt64(column.count),
            missing: UInt64(column.missing))
    }

    static func wire(_ test: KolmogorovSmirnov) -> MonitorSnapshotResponse.ExactKS {
        MonitorSnapshotResponse.ExactKS(
            statistic: test.statistic, pValue: test.pValue, sampleSize: UInt64(test.count2),
            referenceSize: UInt64(test.count1))
    }

    static func wire(
        _ rate: FraudRateStatistics, level: DriftLevel, reference: ReferenceProfile, confidence: Double
    ) -> MonitorSnapshotResponse.RateStats {
        MonitorSnapshotResponse.RateStats(
            events: UInt64(rate.events), flagged: UInt64(rate.flagged), flagRate: rate.flaggedRate,
            flagRateLow: rate.interval?.lower ?? 0, flagRateHigh: rate.interval?.upper ?? 0,
            meanScore: rate.meanScore, baseFlagRate: reference.baseFlagRate, baseFraudRate: reference.baseFraudRate,
            confidence: confidence, status: wire(level))
    }

    static func wire(_ latency: WindowLatency) -> SentinelSchema.LatencySummary {
        SentinelSchema.LatencySummary(
            count: latency.count, p50Nanoseconds: latency.p50Nanoseconds, p90Nanoseconds: latency.p90Nanoseconds,
            p99Nanoseconds: latency.p99Nanoseconds, p999Nanoseconds: latency.p999Nanoseconds,
            maxNanoseconds: latency.maxNanoseconds, meanNanoseconds: latency.meanNanoseconds)
    }

    static func wire(_ alert: ActiveAlert) -> MonitorSnapshotResponse.Alert {
        let kind: AlertKind =
            switch alert.subject {
            case .feature: .featureDrift
            case .score: .scoreDrift
            case .fraudRate: .flagRate
            }
        return MonitorSnapshotResponse.Alert(
            kind: kind, feature: alert.subject.featureName ?? (alert.subject == .score ? "score" : ""),
            level: wire(alert.level), reason: alert.reason, value: alert.value, threshold: alert.threshold,
            sinceMicroseconds: alert.sinceMicroseconds, modelVersion: alert.modelVersion)
    }

    static func wire(_ producer: ProducerState) -> MonitorSnapshotResponse.Producer {
        MonitorSnapshotResponse.Producer(
            producerId: producer.id, lastSequence: producer.sequences.highest, events: producer.events,
            duplicates: producer.duplicates, missing: producer.sequences.missing,
            gaps: producer.sequences.gaps().map { SequenceRange(first: $0.lowerBound, last: $0.upperBound) },
            lastSeenMicroseconds: producer.lastSeenMicroseconds, reportedDropped: producer.reportedDropped)
    }
}
