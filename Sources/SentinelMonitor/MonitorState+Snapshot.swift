import SentinelDrift
import SentinelMetrics
import SentinelModel
public import SentinelSchema

extension MonitorState {
    /// The monitor's view: per model version the drift, rates, statuses and latency of its last closed window (every
    /// number and status from one window; the open window only as its start and event count), its idleness and
    /// histograms; the active alerts, the producers, the requested history (by count or `since`, with every
    /// statistic per column when `historyFeatures` is set) and the label metrics.
    ///
    /// Cost: O(versions × features × bins) plus the requested history; with `exactKS`, one exact KS test per column
    /// (~3 ms each at 2,048 × 2,048); label metrics O(n log n) over the kept labelled transactions. The service
    /// splits this into ``snapshotParts(_:at:)`` (under its lock) and ``complete(_:with:)`` (outside it).
    /// - Parameters:
    ///   - request: Model filter, history range, exact KS.
    ///   - time: Now, microseconds since the epoch (windows are not advanced — call
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
        parts.labels.thresholds = models.mapValues(\.threshold)
        parts.labels.confidence = settings.windows.confidence
        var history: [MonitorSnapshotResponse.WindowSummary] = []
        for version in versions {
            guard let model = models[version] else { continue }
            response.windowLengthMicroseconds = model.windows.configuration.windowMilliseconds * 1_000
            let report = model.windows.lastClosedReport()
            // The reservoir sample of the last closed window is kept when it is the one just before the current one.
            let sampled: DriftWindows.SampledWindow? =
                model.windows.lastClosed != nil
                    && report.end == model.windows.currentStart ? .previous : nil
            if request.exactKS, let baseline = model.baselineSample, let sampled {
                for column in baseline.indices {
                    parts.samples.append(
                        (
                            response.models.count, column, baseline[column],
                            model.windows.sampledValues(column: column, window: sampled)
                        ))
                }
            }
            response.models.append(modelSnapshot(model, report))
            let windows =
                request.sinceMicroseconds > 0
                ? model.windows.history(since: ModelTracker.milliseconds(request.sinceMicroseconds - 1) + 1)
                : request.historyWindows > 0 ? Array(model.windows.history.suffix(Int(request.historyWindows))) : []
            history += windows.map { windowSummary(model, $0, features: request.historyFeatures) }
        }
        history.sort { ($0.startMicroseconds, $0.modelVersion) < ($1.startMicroseconds, $1.modelVersion) }
        response.history = history
        response.alerts = alerts.values
            .filter { request.modelVersion == nil || request.modelVersion == $0.modelVersion }
            .map { (alert: $0, rank: alertRank($0)) }
            .sorted {
                ($1.alert.level, $0.alert.modelVersion, $0.rank) < ($0.alert.level, $1.alert.modelVersion, $1.rank)
            }
            .map { Self.wire($0.alert) }
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
                    cardPrecisionAt100: $0.cardPrecisionAt100, performance: wire($0.performance))
            }
        let performance = LabelBook.versionPerformance(parts.labels)
        for index in response.models.indices {
            let version = response.models[index].modelVersion
            response.models[index].labelPerformance = wire(
                performance[version]
                    ?? ThresholdPerformance(
                        threshold: parts.labels.thresholds[version] ?? .infinity, scored: 0,
                        confidence: parts.labels.confidence))
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

    /// Where an alert's subject sorts within its level and model: the flag rate, the score, then the features in
    /// the model's order (V4 before V10, as the model lists them).
    func alertRank(_ alert: ActiveAlert) -> Int {
        switch alert.subject {
        case .fraudRate: return 0
        case .score: return 1
        case .feature(let name):
            let features = models[alert.modelVersion]?.windows.reference.features ?? []
            return 2 + (features.firstIndex { $0.name == name } ?? features.count)
        }
    }

    /// One version's view: the drift, rates, statuses and latency of its last closed window (one window for every
    /// number and status), the open window's start and events, idleness, and every column's histograms.
    private func modelSnapshot(_ model: ModelTracker, _ report: WindowReport) -> MonitorSnapshotResponse.ModelSnapshot {
        let windows = model.windows
        let closed = windows.lastClosed != nil
        let features = report.features.indices.map { Self.wire(report.features[$0], windows.thresholds(column: $0)) }
        let score = Self.wire(report.score, windows.thresholds(column: report.features.count))
        let datasetLevel: AlertLevel = report.events == 0 ? .unspecified : Self.wire(report.datasetLevel)
        let counts = labels.labelCounts(modelVersion: model.version)
        var sinceStartRates = Self.wire(
            windows.sinceStartReport().fraudRate, level: windows.fraudRateLevel, reference: windows.reference,
            confidence: windows.configuration.confidence)
        sinceStartRates.labelled = counts.labelled
        sinceStartRates.labelledFrauds = counts.frauds
        var windowRates = Self.wire(
            report.fraudRate, level: report.fraudRateLevel, reference: windows.reference,
            confidence: windows.configuration.confidence)
        if report.events == 0 { windowRates.status = .unspecified }
        let latency =
            model.latency(ofWindowStarting: report.start) ?? WindowLatency(start: report.start, histogram: .init())
        let idle = windows.trailingEmptyWindows
        let state = MonitorSnapshotResponse.WindowState(
            closed: closed, endMicroseconds: report.end * 1_000, openStartMicroseconds: windows.currentStart * 1_000,
            openEvents: UInt64(windows.current.events), idleWindows: UInt32(clamping: idle),
            idle: settings.idleWindows > 0 && idle >= min(settings.idleWindows, windows.configuration.historyCount)
                && windows.current.events == 0,
            registeredAtMicroseconds: model.registeredAtMicroseconds)
        return MonitorSnapshotResponse.ModelSnapshot(
            modelVersion: model.version, referenceKnown: true, eventsTotal: model.eventsTotal,
            windowStartMicroseconds: report.start * 1_000,
            drift: MonitorSnapshotResponse.DriftReport(
                features: features, score: score, driftShare: report.alertShare, status: datasetLevel),
            windowRates: windowRates, sinceStartRates: sinceStartRates, windowLatency: Self.wire(latency),
            sinceStartLatency: Self.wire(WindowLatency(start: windows.startedAt, histogram: model.sinceStartLatency)),
            throughputPerSecond: Double(report.events) / (Double(report.end - report.start) / 1_000),
            windowState: state, distributions: Self.distributions(windows))
    }

    /// Every column's reference histogram and the live ones of the last closed and the open window, over the
    /// reference's bins: the counts the drift statistics already use, nothing counted twice.
    static func distributions(_ windows: DriftWindows) -> [MonitorSnapshotResponse.Distribution] {
        let columns = windows.reference.features + [windows.reference.score]
        let last = windows.lastClosed?.counts
        return columns.indices.map { column in
            let profile = columns[column]
            let closed = last?.histogram(column: column)
            let open = windows.current.histogram(column: column)
            return MonitorSnapshotResponse.Distribution(
                name: profile.name, edges: profile.edges, referenceShares: profile.proportions,
                referenceCount: UInt64(profile.count), referenceMinimum: profile.minimum,
                referenceMaximum: profile.maximum,
                closedCounts: closed.map { $0.counts.map { UInt64($0) } }
                    ?? [UInt64](repeating: 0, count: profile.proportions.count),
                closedMissing: UInt64(closed?.missing ?? 0), openCounts: open.counts.map { UInt64($0) },
                openMissing: UInt64(open.missing))
        }
    }

    private func windowSummary(
        _ model: ModelTracker, _ window: DriftWindows.ClosedWindow, features: Bool
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
            flagRateHigh: interval?.upper ?? 0,
            features: features
                ? report.features.indices.map { Self.wire(report.features[$0], model.windows.thresholds(column: $0)) }
                : [],
            score: features
                ? Self.wire(report.score, model.windows.thresholds(column: report.features.count))
                : MonitorSnapshotResponse.FeatureDrift())
    }

    // MARK: Wire conversions

    static func wire(_ level: DriftLevel) -> AlertLevel {
        switch level {
        case .ok: .ok
        case .warn: .warn
        case .alert: .alert
        }
    }

    /// A column's drift with the thresholds its status is judged on and where they come from.
    static func wire(
        _ column: WindowReport.ColumnDrift,
        _ thresholds: (thresholds: DriftThresholds, source: DriftWindows.ThresholdSource)
    ) -> MonitorSnapshotResponse.FeatureDrift {
        MonitorSnapshotResponse.FeatureDrift(
            name: column.name, psi: column.statistics?.psi ?? 0, jsDistance: column.statistics?.jsDistance ?? 0,
            ksStatistic: column.statistics?.ksStatistic ?? 0,
            wassersteinNormed: column.statistics?.wassersteinNormed ?? 0,
            status: column.statistics == nil ? .unspecified : wire(column.level), count: UInt64(column.count),
            missing: UInt64(column.missing), warnThreshold: thresholds.thresholds.warn,
            alertThreshold: thresholds.thresholds.alert, thresholdSource: thresholds.source.rawValue)
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

    /// Undefined values and intervals not given are NaN on the wire (`null` in the JSON).
    static func wire(_ performance: ThresholdPerformance) -> MonitorSnapshotResponse.LabelPerformance {
        let precision = performance.precisionInterval
        let recall = performance.recallInterval
        let fraudRate = performance.fraudRateInterval
        return MonitorSnapshotResponse.LabelPerformance(
            threshold: performance.threshold, transactions: UInt64(performance.scored),
            labelled: UInt64(performance.labelled), frauds: UInt64(performance.frauds),
            flagged: UInt64(performance.flagged), truePositives: UInt64(performance.truePositives),
            precision: performance.precision ?? .nan, precisionLow: precision?.lower ?? .nan,
            precisionHigh: precision?.upper ?? .nan, recall: performance.recall ?? .nan,
            recallLow: recall?.lower ?? .nan, recallHigh: recall?.upper ?? .nan,
            fraudRateLow: fraudRate?.lower ?? .nan, fraudRateHigh: fraudRate?.upper ?? .nan,
            confidence: performance.confidence)
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
            sinceMicroseconds: alert.sinceMicroseconds, modelVersion: alert.modelVersion,
            windowStartMicroseconds: alert.windowStartMicroseconds ?? 0, lastValue: alert.lastValue ?? alert.value)
    }

    static func wire(_ producer: ProducerState) -> MonitorSnapshotResponse.Producer {
        MonitorSnapshotResponse.Producer(
            producerId: producer.id, lastSequence: producer.sequences.highest, events: producer.events,
            duplicates: producer.duplicates, missing: producer.sequences.missing,
            gaps: producer.sequences.gaps().map { SequenceRange(first: $0.lowerBound, last: $0.upperBound) },
            lastSeenMicroseconds: producer.lastSeenMicroseconds, reportedDropped: producer.reportedDropped)
    }
}
