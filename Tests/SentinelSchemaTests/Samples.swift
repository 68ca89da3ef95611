import SentinelSchema

/// Fully populated example messages: every field non-default, strings with non-ASCII text.
enum Samples {
    static let unicode = "Zürich ✓ 東京 🚀"

    static func transaction(features: Int = 30, id: String = "tx-000042") -> Transaction {
        Transaction(
            id: id, eventTimeMicroseconds: 1_533_081_600_123_456, cardId: "card-\(unicode)", terminalId: "term-9",
            amount: 123.45, features: (0..<features).map { Double($0) * 0.25 - 3.5 })
    }

    static let scoreResponse = ScoreResponse(
        transactionId: "tx-000042", fraudProbability: 0.731, decision: .flag, modelVersion: "gbdt-2018-08-07",
        serverLatencyNanoseconds: 18_250, threshold: 0.5)

    static let itemError = ScoreBatchResponse.ItemError(
        statusCode: 3, message: "tx-7: features[2] is NaN", field: "features[2]")

    static let latency = LatencySummary(
        count: 1_000_000, p50Nanoseconds: 12_000, p90Nanoseconds: 20_000, p99Nanoseconds: 45_000,
        p999Nanoseconds: 90_000, maxNanoseconds: 1_200_000, meanNanoseconds: 14_321.5)

    static let featureProfile = RegisterModelRequest.FeatureProfile(
        name: "TX_AMOUNT", edges: [10, 25.5, 60, 140], proportions: [0.2, 0.2, 0.2, 0.2, 0.2], count: 400_000,
        mean: 53.2, standardDeviation: 41.7, minimum: 0, maximum: 2_628, missingFraction: 0.001)

    static let exactKS = MonitorSnapshotResponse.ExactKS(
        statistic: 0.12, pValue: 0.003, sampleSize: 4_096, referenceSize: 10_000)

    static let featureDrift = MonitorSnapshotResponse.FeatureDrift(
        name: "TX_AMOUNT", psi: 0.31, jsDistance: 0.2, ksStatistic: 0.15, wassersteinNormed: 0.4, status: .alert,
        count: 59_000, missing: 12, exactKS: exactKS)

    static let rates = MonitorSnapshotResponse.RateStats(
        events: 60_000, flagged: 420, flagRate: 0.007, flagRateLow: 0.0063, flagRateHigh: 0.0077, meanScore: 0.02,
        baseFlagRate: 0.006, baseFraudRate: 0.008, confidence: 0.95, status: .warn, labelled: 100,
        labelledFrauds: 3)

    static let driftReport = MonitorSnapshotResponse.DriftReport(
        features: [featureDrift, .init(name: "TX_DURING_NIGHT", psi: 0.01, status: .ok, count: 59_000)],
        score: .init(name: "score", psi: 0.05, jsDistance: 0.01, status: .ok, count: 59_000), driftShare: 0.5,
        status: .alert)

    /// One fully populated value of every message type, named by its protobuf name.
    static let all: [any WireMessage] = [
        HealthCheckRequest(service: "sentinel.v1.Scoring"),
        HealthCheckResponse(status: .notServing),
        transaction(),
        ScoreRequest(transaction: transaction(), modelVersion: "gbdt-2018-08-07"),
        scoreResponse,
        ScoreBatchRequest(transactions: [transaction(), transaction(features: 0, id: "")], modelVersion: "v2"),
        ScoreBatchResponse(
            items: [.init(.score(scoreResponse)), .init(.error(itemError))], modelVersion: "gbdt-2018-08-07",
            serverLatencyNanoseconds: 900_000),
        ScoreBatchResponse.Item(.error(itemError)),
        itemError,
        ModelInfoRequest(),
        ModelInfoResponse(
            modelVersion: "gbdt-2018-08-07", learner: "gbdt", featureNames: ["TX_AMOUNT", "TX_DURING_NIGHT", unicode],
            threshold: 0.5,
            trainingWindow: .init(
                startMicroseconds: 1_530_403_200_000_000, endMicroseconds: 1_533_081_600_000_000, rows: 67_240,
                frauds: 598),
            metrics: [.init(name: "ap", value: 0.654), .init(name: "cp@100", value: 0.296)],
            loadedAtMicroseconds: 1_700_000_000_000_000, source: "/models/gbdt.json"),
        ModelInfoResponse.TrainingWindow(startMicroseconds: -5, endMicroseconds: 7, rows: 1, frauds: 1),
        ModelInfoResponse.Metric(name: "roc_auc", value: 0.87),
        ReloadModelRequest(path: "/models/next.json", expectedVersion: "v3", allowFeatureChange: true),
        ReloadModelResponse(oldVersion: "v2", newVersion: "v3", message: "features unchanged", featuresChanged: true),
        StatsRequest(),
        StatsResponse(
            requests: 10_000_000, transactions: 250_000_000, flagged: 1_234_567,
            errors: [.init(statusCode: 3, count: 17), .init(statusCode: 8, count: 2)],
            events: .init(
                sent: 250_000_010, acknowledged: 250_000_000, spooled: 5_000, replayed: 4_990, dropped: 10,
                queued: 64, spoolBytes: 1_048_576, lastSequence: 250_000_010),
            uptimeMicroseconds: 86_400_000_000, modelVersion: "v3", latency: latency, reloads: 4, failedReloads: 1),
        StatsResponse.ErrorCount(statusCode: 16, count: 1),
        StatsResponse.EventDelivery(sent: 1, acknowledged: 2, spooled: 3, replayed: 4, dropped: 5, queued: 6),
        latency,
        SequenceRange(first: 17, last: 42),
        scoringEvent(sequence: 1),
        EventBatch(
            producerId: "api-1:\(unicode)", events: [scoringEvent(sequence: 7), scoringEvent(sequence: 9)],
            sentAtMicroseconds: 1_700_000_000_000_001, droppedTotal: 1),
        IngestAck(
            acknowledgedThrough: 9, accepted: 2, duplicates: 1,
            gaps: [.init(first: 8, last: 8), .init(first: 1, last: 6)]),
        RegisterModelRequest(
            modelVersion: "v3",
            reference: .init(
                features: [featureProfile, .init(name: "TX_DURING_NIGHT", edges: [1], proportions: [0.8, 0.2])],
                score: .init(name: "score", edges: [0.1, 0.5], proportions: [0.9, 0.08, 0.02]), baseFraudRate: 0.008,
                baseFlagRate: 0.006),
            threshold: 0.5, learner: "gbdt", producerId: "api-1"),
        featureProfile,
        RegisterModelRequest.ReferenceProfile(features: [featureProfile], score: featureProfile, baseFraudRate: 0.5),
        RegisterModelResponse(newlyRegistered: true, message: "registered v3"),
        ReportLabelsRequest(labels: [
            .init(transactionId: "tx-1", label: .fraud, labelledAtMicroseconds: 1_700_000_000_000_000),
            .init(transactionId: "tx-2", label: .genuine, labelledAtMicroseconds: 1),
        ]),
        ReportLabelsRequest.Label(transactionId: unicode, label: .genuine, labelledAtMicroseconds: -1),
        ReportLabelsResponse(accepted: 2, unknownTransactions: 1, relabelled: 1),
        MonitorSnapshotRequest(modelVersion: "v3", historyWindows: 60, exactKS: true),
        snapshot,
        snapshot.models[0],
        driftReport,
        featureDrift,
        exactKS,
        rates,
        snapshot.alerts[0],
        snapshot.producers[0],
        snapshot.history[0],
        snapshot.labelMetrics[0],
        labelPerformance,
        MonitorSnapshotResponse.WindowState(
            closed: true, endMicroseconds: 1_700_000_060_000_000, openStartMicroseconds: 1_700_000_060_000_000,
            openEvents: 42, idleWindows: 1, idle: false, registeredAtMicroseconds: 1_699_999_000_000_000),
        MonitorSnapshotResponse.Distribution(
            name: "Amount", edges: [1, 10, 100], referenceShares: [0.1, 0.4, 0.4, 0.1], referenceCount: 1_000,
            referenceMinimum: 0, referenceMaximum: 2_500, closedCounts: [3, 12, 9, 1], closedMissing: 0,
            openCounts: [1, 2, 0, 0], openMissing: 1),
    ]

    static func scoringEvent(sequence: UInt64) -> ScoringEvent {
        ScoringEvent(
            sequence: sequence, transactionId: "tx-\(sequence)", eventTimeMicroseconds: 1_533_081_600_123_456,
            scoredAtMicroseconds: 1_700_000_000_000_000, cardId: "card-1", terminalId: "term-\(unicode)",
            amount: 77.7, features: [1, 2, 3.5, -0.0, .greatestFiniteMagnitude], fraudProbability: 0.91,
            decision: .flag, modelVersion: "v3", serverLatencyNanoseconds: 15_000)
    }

    static let snapshot = MonitorSnapshotResponse(
        generatedAtMicroseconds: 1_700_000_060_000_000, startedAtMicroseconds: 1_699_000_000_000_000,
        eventsTotal: 123_456_789, windowLengthMicroseconds: 60_000_000,
        models: [
            .init(
                modelVersion: "v3", referenceKnown: true, eventsTotal: 100_000,
                windowStartMicroseconds: 1_700_000_000_000_000,
                drift: driftReport, windowRates: rates, sinceStartRates: rates, windowLatency: latency,
                sinceStartLatency: latency, throughputPerSecond: 25_000.5),
            .init(modelVersion: "v2"),
        ],
        alerts: [
            .init(
                kind: .featureDrift, feature: "TX_AMOUNT", level: .alert, reason: "PSI 0.31 ≥ 0.25 for 2 windows",
                value: 0.31, threshold: 0.25, sinceMicroseconds: 1_700_000_000_000_000, modelVersion: "v3")
        ],
        producers: [
            .init(
                producerId: "api-1", lastSequence: 1_000, events: 990, duplicates: 5, missing: 10,
                gaps: [.init(first: 11, last: 20)], lastSeenMicroseconds: 1_700_000_059_000_000, reportedDropped: 10)
        ],
        history: [
            .init(
                startMicroseconds: 1_699_999_940_000_000, endMicroseconds: 1_700_000_000_000_000, modelVersion: "v3",
                events: 60_000, flagged: 400, meanScore: 0.02, driftShare: 0.1, maxPsi: 0.12, latency: latency,
                status: .warn)
        ],
        labelMetrics: [
            .init(
                day: "2018-08-08", modelVersion: "v3", transactions: 9_000, labelled: 8_900, frauds: 60,
                averagePrecision: 0.65, cardPrecisionAt100: 0.29, performance: labelPerformance)
        ])

    static let labelPerformance = MonitorSnapshotResponse.LabelPerformance(
        threshold: 0.42, transactions: 9_000, labelled: 8_900, frauds: 60, flagged: 70, truePositives: 50,
        precision: 50.0 / 70.0, precisionLow: 0.6, precisionHigh: 0.81, recall: 50.0 / 60.0, recallLow: 0.72,
        recallHigh: 0.9, fraudRateLow: 0.005, fraudRateHigh: 0.0087, confidence: 0.95)
}
