import SentinelModel
public import SentinelSchema

extension ModelHandle {
    /// The ModelInfo response for this model: version, learner, feature names, threshold, training window
    /// (first day 00:00 UTC to the day after the last, rows, frauds) and validation metrics (`ap`, `roc_auc`, when
    /// recorded).
    public var info: ModelInfoResponse {
        let training = file.artifact.training
        func microseconds(_ day: String?, plus days: Int) -> Int64 {
            guard let day, let since = Self.daysSinceEpoch(day) else { return 0 }
            return (since + Int64(days)) * 86_400 * 1_000_000
        }
        var metrics: [ModelInfoResponse.Metric] = []
        let validation = file.artifact.validation
        if let ap = validation.averagePrecision { metrics.append(.init(name: "ap", value: ap)) }
        if let auc = validation.rocAUC { metrics.append(.init(name: "roc_auc", value: auc)) }
        return ModelInfoResponse(
            modelVersion: version, learner: learnerKind, featureNames: featureNames, threshold: threshold,
            trainingWindow: ModelInfoResponse.TrainingWindow(
                startMicroseconds: microseconds(training.firstDay, plus: 0),
                endMicroseconds: microseconds(training.lastDay, plus: 1), rows: UInt64(training.rows),
                frauds: UInt64(training.frauds)),
            metrics: metrics, loadedAtMicroseconds: loadedAtMicroseconds, source: source)
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian; Howard Hinnant's days-from-civil).
    static func daysSinceEpoch(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let y0 = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
