import SentinelDrift
public import SentinelSchema

/// The monitor's whole state as a value: producers and their sequence numbers, one ``ModelTracker`` per model
/// version, the ``LabelBook`` and the active alerts. No I/O, no clock: every call takes the time.
///
/// The service keeps one in a `Lock`, appends each request to the durable log, and snapshots it (it is `Codable`).
/// Replaying the same requests with the same times rebuilds the same counts (windows follow the recorded arrival
/// times), which is what makes restart recovery exact.
///
/// Ingestion is **all or nothing**: a batch is validated first (every event's sequence ≥ 1, a registered model
/// version, the model's feature count, a fraud probability in [0, 1], a decision), and a bad event rejects the
/// whole batch with an error naming it, before anything is applied.
///
/// ```swift
/// var state = MonitorState(settings: MonitorSettings(), startedAt: now)
/// _ = try state.register(request, at: now)
/// let result = try state.ingest(batch, at: now)
/// let view = state.snapshot(MonitorSnapshotRequest(), at: now)
/// ```
public struct MonitorState: Sendable, Codable {
    /// Settings for model versions registered from now on (existing versions keep theirs).
    public var settings: MonitorSettings
    /// When the state began, microseconds since the epoch (survives restarts).
    public let startedAtMicroseconds: Int64
    /// Events accepted since the state began, all producers and models, each once.
    public private(set) var eventsTotal: UInt64
    /// Duplicate events acknowledged and not counted.
    public private(set) var duplicatesTotal: UInt64
    /// Batches applied.
    public private(set) var batchesTotal: UInt64
    /// Labels received.
    public private(set) var labelsTotal: UInt64
    /// The latest time seen, microseconds since the epoch (the window clock never goes back).
    public private(set) var clockMicroseconds: Int64
    /// Producers by id.
    public private(set) var producers: [String: ProducerState]
    /// Tracked model versions by version.
    public private(set) var models: [String: ModelTracker]
    /// Scored transactions and their delayed labels.
    public private(set) var labels: LabelBook
    /// Active alerts by model version and subject.
    public private(set) var alerts: [String: ActiveAlert]

    /// Creates an empty state.
    /// - Parameters:
    ///   - settings: Statistical settings and bounds.
    ///   - time: When the state begins, microseconds since the epoch.
    public init(settings: MonitorSettings, startedAt time: Int64) {
        self.settings = settings
        self.startedAtMicroseconds = time
        self.eventsTotal = 0
        self.duplicatesTotal = 0
        self.batchesTotal = 0
        self.labelsTotal = 0
        self.clockMicroseconds = time
        self.producers = [:]
        self.models = [:]
        self.labels = LabelBook(capacity: settings.labelCapacity, pendingCapacity: settings.pendingLabelCapacity)
        self.alerts = [:]
    }

    /// The result of applying a batch.
    public struct IngestResult: Sendable {
        /// The acknowledgement to send once the batch is durable.
        public var ack: IngestAck
        /// Status changes from windows that closed before the batch was applied.
        public var transitions: [MonitorTransition]
        /// New (not duplicate) events and flagged ones per model version, for the per-version counters.
        public var counts: [String: (scored: UInt64, flagged: UInt64)] = [:]
    }

    // MARK: Time

    /// Closes every window that ended at or before `time`, in every model version, and updates the alerts: raised
    /// and cleared by the status changes, each active one's value, run and text from the last closed window, and
    /// all of a version's resolved once it had no event for ``MonitorSettings/idleWindows`` windows.
    /// - Parameter time: Now, microseconds since the epoch; an earlier time than already seen changes nothing.
    /// - Returns: The status changes, per version in window order, with the alerts' text as their reason.
    public mutating func advance(to time: Int64) -> [MonitorTransition] {
        guard time >= clockMicroseconds else { return [] }
        clockMicroseconds = time
        var result: [MonitorTransition] = []
        for version in models.keys.sorted() {
            guard var model = models[version] else { continue }
            let closedBefore = model.windows.lastClosed?.start
            let transitions = model.advance(to: time)
            guard model.windows.lastClosed?.start != closedBefore else { continue }
            let report = model.windows.lastClosedReport()
            for change in transitions {
                let key = Self.alertKey(version, change.subject)
                var transition = change
                let threshold = Self.threshold(of: change, in: model.windows)
                if change.to > .ok {
                    var alert = ActiveAlert(
                        modelVersion: version, subject: change.subject, level: change.to, reason: change.reason,
                        value: change.value, threshold: threshold,
                        sinceMicroseconds: (change.windowStart + model.windows.configuration.windowMilliseconds)
                            * 1_000)
                    let thresholds = model.windows.thresholds(for: change.subject)
                    let isFraudRate = change.subject == .fraudRate
                    alert.run = isFraudRate ? model.windows.configuration.fraudWindowsToAlert : 1
                    alert.beyond =
                        isFraudRate || change.value >= (change.to == .alert ? thresholds.alert : thresholds.warn)
                    alert.lastValue = change.value
                    alert.windowStartMicroseconds = change.windowStart * 1_000
                    alert.reason = Self.wording(of: alert, in: model.windows, report: report, resolved: false)
                    alerts[key] = alert
                    transition.reason = alert.reason
                } else if var alert = alerts.removeValue(forKey: key) {
                    Self.refresh(&alert, report: report, windows: model.windows, raisedNow: false)
                    transition.reason = Self.wording(of: alert, in: model.windows, report: report, resolved: true)
                }
                result.append(MonitorTransition(modelVersion: version, transition: transition, threshold: threshold))
            }
            // The alerts that stay: their value, run and text from the window that just closed.
            for (key, alert) in alerts where alert.modelVersion == version {
                var updated = alert
                let raisedNow = transitions.contains { Self.alertKey(version, $0.subject) == key && $0.to > .ok }
                Self.refresh(&updated, report: report, windows: model.windows, raisedNow: raisedNow)
                updated.reason = Self.wording(of: updated, in: model.windows, report: report, resolved: false)
                alerts[key] = updated
            }
            // A version without traffic resolves its alerts instead of holding the last traffic's verdict forever.
            let idle = model.windows.trailingEmptyWindows
            if settings.idleWindows > 0, idle >= min(settings.idleWindows, model.windows.configuration.historyCount) {
                for key in alerts.keys.sorted() {
                    guard let alert = alerts[key], alert.modelVersion == version else { continue }
                    alerts[key] = nil
                    let change = DriftTransition(
                        subject: alert.subject, from: alert.level, to: .ok, windowStart: report.start,
                        value: alert.lastValue ?? alert.value, reason: AlertWording.idle(idle))
                    result.append(
                        MonitorTransition(modelVersion: version, transition: change, threshold: alert.threshold))
                }
                model.resetLevels()
            }
            models[version] = model
        }
        return result
    }

    /// The line a status change crossed: the base flag rate, the level's threshold when rising, the release value
    /// when falling.
    static func threshold(of change: DriftTransition, in windows: DriftWindows) -> Double {
        let thresholds = windows.thresholds(for: change.subject)
        if change.subject == .fraudRate { return windows.reference.baseFlagRate }
        if change.to > change.from { return change.to == .alert ? thresholds.alert : thresholds.warn }
        return (change.from == .alert ? thresholds.alert : thresholds.warn) * thresholds.releaseFactor
    }

    /// The alert's value in the report's window and whether it is beyond the alert's line; `nil` when the window
    /// holds no evidence (no events, or fewer values than the drift statuses need).
    static func evidence(
        of alert: ActiveAlert, report: WindowReport, windows: DriftWindows
    ) -> (value: Double, beyond: Bool)? {
        let thresholds = windows.thresholds(for: alert.subject)
        let column: WindowReport.ColumnDrift
        switch alert.subject {
        case .fraudRate:
            guard report.fraudRate.events > 0 else { return nil }
            return (report.fraudRate.flaggedRate, report.fraudRate.baseRateOutside)
        case .score:
            column = report.score
        case .feature(let name):
            guard let found = report.features.first(where: { $0.name == name }) else { return nil }
            column = found
        }
        guard column.count >= thresholds.minimumCount, let statistics = column.statistics else { return nil }
        let value = statistics.value(of: thresholds.metric)
        return (value, value >= (alert.level == .alert ? thresholds.alert : thresholds.warn))
    }

    /// Moves an alert's last value, window and run to the report's window (a window without evidence changes
    /// nothing; the window that raised it is already counted).
    static func refresh(_ alert: inout ActiveAlert, report: WindowReport, windows: DriftWindows, raisedNow: Bool) {
        guard !raisedNow, let evidence = evidence(of: alert, report: report, windows: windows) else { return }
        alert.run = evidence.beyond == (alert.beyond ?? true) ? (alert.run ?? 0) + 1 : 1
        alert.beyond = evidence.beyond
        alert.lastValue = evidence.value
        alert.windowStartMicroseconds = report.start * 1_000
    }

    /// The alert's text as of its last window (see ``AlertWording``).
    static func wording(
        of alert: ActiveAlert, in windows: DriftWindows, report: WindowReport, resolved: Bool
    ) -> String {
        let configuration = windows.configuration
        let thresholds = windows.thresholds(for: alert.subject)
        let value = alert.lastValue ?? alert.value
        let run = alert.run ?? 1
        let beyond = alert.beyond ?? true
        switch alert.subject {
        case .fraudRate:
            let window = report.start * 1_000 == alert.windowStartMicroseconds ? report.fraudRate : nil
            return AlertWording.flagRate(
                rate: value, expected: window?.expectedRange(confidence: configuration.confidence),
                base: windows.reference.baseFlagRate, beyond: beyond, run: run,
                windowsToClear: configuration.fraudWindowsToClear, resolved: resolved)
        case .score, .feature:
            let threshold = alert.level == .alert ? thresholds.alert : thresholds.warn
            return AlertWording.drift(
                metric: thresholds.metric, name: alert.subject.featureName ?? "score", value: value,
                level: alert.level, threshold: threshold, release: threshold * thresholds.releaseFactor,
                beyond: beyond, run: run, windowsToClear: thresholds.windowsToClear, resolved: resolved)
        }
    }

    static func alertKey(_ version: String, _ subject: DriftSubject) -> String {
        "\(version)\u{0}\(subject.kind)\u{0}\(subject.featureName ?? "")"
    }

    /// Makes every tracked version judge its next windows with the drift thresholds of ``settings``: after a
    /// restart the monitor's flags apply to the versions restored from the state directory too (the windows
    /// replayed from the log were judged with the thresholds of their time).
    public mutating func applyThresholdSettings() {
        for version in models.keys.sorted() {
            models[version]?.takeThresholds(of: settings.windows)
        }
    }

    // MARK: Registration

    /// Registers a model version's reference (idempotent for an identical reference).
    /// - Parameters:
    ///   - request: The version, its reference profile, threshold and learner.
    ///   - time: Now, microseconds since the epoch.
    /// - Returns: Whether it was new, and a message.
    /// - Throws: ``MonitorError`` `.invalidRequest` for a malformed profile, `.conflictingReference` when the
    ///   version is registered with a different reference, `.capacity` past ``MonitorSettings/modelCapacity``.
    public mutating func register(
        _ request: RegisterModelRequest, at time: Int64
    ) throws(MonitorError) -> RegisterModelResponse {
        guard !request.modelVersion.isEmpty else {
            throw MonitorError(.invalidRequest, "RegisterModel needs a model_version")
        }
        let reference = try Self.reference(from: request.reference, version: request.modelVersion)
        if let existing = models[request.modelVersion] {
            guard existing.windows.reference == reference else {
                throw MonitorError(
                    .conflictingReference,
                    "model version '\(request.modelVersion)' is already registered with a different reference; "
                        + "give the new model a new version")
            }
            return RegisterModelResponse(
                newlyRegistered: false, message: "model version '\(request.modelVersion)' already registered")
        }
        guard models.count < settings.modelCapacity else {
            throw MonitorError(
                .capacity, "already tracking \(models.count) model versions (the --max-models bound)")
        }
        models[request.modelVersion] = try ModelTracker(
            version: request.modelVersion, reference: reference, threshold: request.threshold,
            learner: request.learner, configuration: settings.windows, at: max(time, clockMicroseconds))
        return RegisterModelResponse(
            newlyRegistered: true,
            message: "registered model version '\(request.modelVersion)' with \(reference.features.count) features")
    }

    /// Converts and checks a wire reference profile.
    static func reference(
        from wire: RegisterModelRequest.ReferenceProfile, version: String
    ) throws(MonitorError) -> ReferenceProfile {
        func profile(_ feature: RegisterModelRequest.FeatureProfile, _ what: String) throws(MonitorError)
            -> FeatureProfile
        {
            let edgesIncrease = zip(feature.edges, feature.edges.dropFirst()).allSatisfy { $0 < $1 }
            guard feature.edges.allSatisfy(\.isFinite), edgesIncrease else {
                throw MonitorError(
                    .invalidRequest, "\(what) of model '\(version)': edges must be finite and strictly increasing")
            }
            guard feature.proportions.count == feature.edges.count + 1,
                feature.proportions.allSatisfy({ $0.isFinite && $0 >= 0 })
            else {
                throw MonitorError(
                    .invalidRequest,
                    "\(what) of model '\(version)': \(feature.edges.count) edges need \(feature.edges.count + 1) "
                        + "non-negative proportions, got \(feature.proportions.count)")
            }
            var calibration: DriftCalibration?
            if feature.calibrationChunks > 0 {
                let (warn, alert) = (feature.calibratedWarn, feature.calibratedAlert)
                guard warn.isFinite, alert.isFinite, warn >= 0, warn <= alert, feature.calibrationChunkRows > 0 else {
                    throw MonitorError(
                        .invalidRequest,
                        "\(what) of model '\(version)': calibrated thresholds need 0 ≤ warn ≤ alert and rows per "
                            + "chunk, got \(warn), \(alert), \(feature.calibrationChunkRows)")
                }
                calibration = DriftCalibration(
                    metric: .psi, warn: warn, alert: alert, chunks: Int(feature.calibrationChunks),
                    chunkRows: Int(clamping: feature.calibrationChunkRows), mean: feature.calibrationMean,
                    standardDeviation: feature.calibrationStandardDeviation)
            }
            return FeatureProfile(
                name: feature.name, edges: feature.edges, proportions: feature.proportions,
                count: Int(clamping: feature.count), mean: feature.mean, standardDeviation: feature.standardDeviation,
                minimum: feature.minimum, maximum: feature.maximum, missingFraction: feature.missingFraction,
                calibration: calibration)
        }
        guard !wire.features.isEmpty else {
            throw MonitorError(.invalidRequest, "the reference of model '\(version)' has no features")
        }
        var features: [FeatureProfile] = []
        for (index, feature) in wire.features.enumerated() {
            features.append(try profile(feature, "feature \(index) ('\(feature.name)')"))
        }
        let score = try profile(wire.score, "the score profile")
        guard (0...1).contains(wire.baseFlagRate), (0...1).contains(wire.baseFraudRate) else {
            throw MonitorError(.invalidRequest, "base rates of model '\(version)' must be in [0, 1]")
        }
        return ReferenceProfile(
            features: features, score: score.name.isEmpty ? Self.named(score, "score") : score,
            baseFraudRate: wire.baseFraudRate, baseFlagRate: wire.baseFlagRate)
    }

    private static func named(_ profile: FeatureProfile, _ name: String) -> FeatureProfile {
        var copy = profile
        copy.name = name
        return copy
    }

    // MARK: Ingestion

    /// Validates and applies a batch: new events are counted once, duplicates acknowledged, gaps recorded.
    ///
    /// Windows are first advanced to `time` (arrival time).
    /// - Parameters:
    ///   - batch: The producer's batch.
    ///   - time: Arrival time, microseconds since the epoch.
    /// - Returns: The acknowledgement and any status changes.
    /// - Throws: ``MonitorError`` (nothing applied): `.invalidEvent` naming the first bad event, `.unknownModel`
    ///   for an unregistered version (the producer must call RegisterModel first), `.capacity` for one producer
    ///   too many.
    public mutating func ingest(_ batch: EventBatch, at time: Int64) throws(MonitorError) -> IngestResult {
        try apply(batch, at: time)
    }

    /// Validates and applies a batch read in place from its encoding (the RPC path): the same as
    /// ``ingest(_:at:)-(EventBatch,_)`` on the decoded batch, without building `[ScoringEvent]`.
    /// - Parameters:
    ///   - batch: The producer's batch, valid for the duration of the call.
    ///   - time: Arrival time, microseconds since the epoch.
    /// - Returns: The acknowledgement and any status changes.
    /// - Throws: ``MonitorError`` as ``ingest(_:at:)-(EventBatch,_)`` (nothing applied).
    public mutating func ingest(_ batch: EventBatch.View, at time: Int64) throws(MonitorError) -> IngestResult {
        try apply(batch, at: time)
    }

    private mutating func apply<Source: IngestSource>(
        _ batch: Source, at time: Int64
    ) throws(MonitorError) -> IngestResult {
        try check(batch)
        let transitions = advance(to: time)
        // Take the producer and the batch's model out of their dictionaries while applying: they are then uniquely
        // referenced (no copy-on-write of their buffers) and no event pays a dictionary lookup.
        var producer =
            producers.removeValue(forKey: batch.producerId)
            ?? ProducerState(id: batch.producerId, rangeCapacity: settings.sequenceRangeCapacity)
        var accepted: UInt64 = 0
        var duplicates: UInt64 = 0
        var highest: UInt64 = 0
        var version = ""
        // The event whose model version `version` holds: later events compare with it in place.
        var versionEvent: Source.Event?
        var model: ModelTracker?
        var counts: [String: (scored: UInt64, flagged: UInt64)] = [:]
        var scored: UInt64 = 0
        var flagged: UInt64 = 0
        for index in 0..<batch.eventCount {
            let event = batch.event(at: index)
            highest = max(highest, event.sequence)
            guard producer.sequences.insert(event.sequence) else {
                duplicates += 1
                continue
            }
            accepted += 1
            if versionEvent.map({ !event.hasSameModelVersion(as: $0) }) ?? true {
                if let model {
                    models[version] = model
                    counts[version, default: (0, 0)].scored += scored
                    counts[version, default: (0, 0)].flagged += flagged
                    (scored, flagged) = (0, 0)
                }
                version = event.modelVersion
                versionEvent = event
                model = models.removeValue(forKey: version)
            }
            // Validated above: the model exists and the feature count matches.
            let isFlagged = event.decision == .flag
            scored += 1
            if isFlagged { flagged += 1 }
            event.withFeatures { features in
                model?.record(
                    features: features, score: event.fraudProbability, flagged: isFlagged,
                    latencyNanoseconds: event.serverLatencyNanoseconds)
            }
            if event.hasTransactionId {
                labels.recordScored(
                    transactionId: event.transactionId, cardId: event.cardId,
                    eventTimeMicroseconds: event.eventTimeMicroseconds, score: event.fraudProbability,
                    modelVersion: version)
            }
        }
        if let model {
            models[version] = model
            counts[version, default: (0, 0)].scored += scored
            counts[version, default: (0, 0)].flagged += flagged
        }
        producer.events += accepted
        producer.duplicates += duplicates
        producer.lastSeenMicroseconds = time
        producer.reportedDropped = max(producer.reportedDropped, batch.droppedTotal)
        producers[batch.producerId] = producer
        eventsTotal += accepted
        duplicatesTotal += duplicates
        batchesTotal += 1
        let gaps = producer.sequences.gaps().map { SequenceRange(first: $0.lowerBound, last: $0.upperBound) }
        return IngestResult(
            ack: IngestAck(acknowledgedThrough: highest, accepted: accepted, duplicates: duplicates, gaps: gaps),
            transitions: transitions, counts: counts)
    }

    /// Checks a batch without changing anything.
    /// - Throws: ``MonitorError`` naming the first bad event.
    public func validate(_ batch: EventBatch) throws(MonitorError) {
        try check(batch)
    }

    /// Checks a batch read in place without changing anything.
    /// - Throws: ``MonitorError`` naming the first bad event, as ``validate(_:)-(EventBatch)``.
    public func validate(_ batch: EventBatch.View) throws(MonitorError) {
        try check(batch)
    }

    private func check<Source: IngestSource>(_ batch: Source) throws(MonitorError) {
        guard !batch.producerId.isEmpty else {
            throw MonitorError(.invalidEvent, "the batch has no producer_id")
        }
        if producers[batch.producerId] == nil, producers.count >= settings.producerCapacity {
            throw MonitorError(
                .capacity, "already tracking \(producers.count) producers; '\(batch.producerId)' is one too many")
        }
        var versionEvent: Source.Event?
        var featureCount = 0
        for index in 0..<batch.eventCount {
            let event = batch.event(at: index)
            // Built only on the error paths: the per-event cost stays a few comparisons.
            func name() -> String {
                "event \(index) (sequence \(event.sequence), transaction '\(event.transactionId)')"
            }
            guard event.sequence >= 1 else {
                throw MonitorError(.invalidEvent, "\(name()): sequence numbers start at 1")
            }
            if versionEvent.map({ !event.hasSameModelVersion(as: $0) }) ?? true {
                let version = event.modelVersion
                guard let model = models[version] else {
                    throw MonitorError(
                        .unknownModel,
                        "\(name()): model version '\(version)' is not registered; call RegisterModel first")
                }
                versionEvent = event
                featureCount = model.featureCount
            }
            guard event.featureCount == featureCount else {
                throw MonitorError(
                    .invalidEvent,
                    "\(name()): \(event.featureCount) features, model '\(event.modelVersion)' has \(featureCount)")
            }
            guard event.fraudProbability >= 0, event.fraudProbability <= 1 else {
                throw MonitorError(
                    .invalidEvent, "\(name()): fraud_probability \(event.fraudProbability) is not in [0, 1]")
            }
            guard event.decision == .flag || event.decision == .pass else {
                throw MonitorError(.invalidEvent, "\(name()): decision must be PASS or FLAG")
            }
        }
    }

    // MARK: Labels

    /// Records delayed labels.
    /// - Parameters:
    ///   - request: The labels.
    ///   - time: Now, microseconds since the epoch.
    /// - Returns: Accepted, unknown and relabelled counts.
    /// - Throws: ``MonitorError`` `.invalidRequest` (nothing applied) for a label without a transaction id or
    ///   with FRAUD_LABEL_UNSPECIFIED.
    public mutating func reportLabels(
        _ request: ReportLabelsRequest, at time: Int64
    ) throws(MonitorError) -> ReportLabelsResponse {
        for (index, label) in request.labels.enumerated() {
            guard !label.transactionId.isEmpty else {
                throw MonitorError(.invalidRequest, "label \(index) has no transaction_id")
            }
            guard label.label == .fraud || label.label == .genuine else {
                throw MonitorError(
                    .invalidRequest, "label \(index) ('\(label.transactionId)') must be FRAUD or GENUINE")
            }
        }
        var response = ReportLabelsResponse()
        for label in request.labels {
            switch labels.label(transactionId: label.transactionId, fraud: label.label == .fraud) {
            case .accepted: response.accepted += 1
            case .relabelled: response.relabelled += 1
            case .unknown: response.unknownTransactions += 1
            }
        }
        labelsTotal += UInt64(request.labels.count)
        return response
    }
}
