import Testing

@testable import SentinelDrift

@Suite("Statuses, hysteresis and the fraud-rate alarm")
struct StatusTests {
    private func levels(_ values: [Double], thresholds: DriftThresholds = DriftThresholds()) -> [DriftLevel] {
        var tracker = LevelTracker()
        return values.map { value in
            _ = tracker.update(value: value, count: 1_000, thresholds: thresholds)
            return tracker.level
        }
    }

    @Test(
        "Levels without history at the default PSI thresholds",
        arguments: [
            (0.0, DriftLevel.ok), (0.0999, .ok), (0.1, .warn), (0.2499, .warn), (0.25, .alert), (9, .alert),
        ])
    func rawLevels(value: Double, level: DriftLevel) {
        #expect(DriftThresholds().level(for: value) == level)
    }

    @Test("A value sitting on a threshold does not flap")
    func noFlapping() {
        #expect(levels([0.1, 0.0999, 0.1, 0.095, 0.1]) == [.warn, .warn, .warn, .warn, .warn])
        #expect(levels([0.25, 0.2499, 0.25, 0.23]) == [.alert, .alert, .alert, .alert])
    }

    @Test("A level is left below threshold × 0.9")
    func release() {
        #expect(levels([0.3, 0.226, 0.224, 0.091, 0.089]) == [.alert, .alert, .warn, .warn, .ok])
        #expect(levels([0.3, 0.01]) == [.alert, .ok])
    }

    @Test("Lowering can require several consecutive windows")
    func windowsToClear() {
        let thresholds = DriftThresholds(windowsToClear: 3)
        #expect(
            levels([0.3, 0.01, 0.01, 0.3, 0.01, 0.01, 0.01], thresholds: thresholds)
                == [.alert, .alert, .alert, .alert, .alert, .alert, .ok])
    }

    @Test("Windows with too few values change nothing")
    func minimumCount() {
        var tracker = LevelTracker()
        #expect(tracker.update(value: 5, count: 99, thresholds: DriftThresholds()) == nil)
        #expect(tracker.level == .ok)
        #expect(tracker.update(value: 5, count: 100, thresholds: DriftThresholds())?.to == .alert)
    }

    @Test(
        "Bad thresholds are rejected",
        arguments: [
            DriftThresholds(warn: 0.3, alert: 0.2), DriftThresholds(releaseFactor: 0),
            DriftThresholds(windowsToClear: 0),
            DriftThresholds(warn: .nan),
        ])
    func invalid(thresholds: DriftThresholds) {
        #expect(throws: DriftError.self) { try thresholds.validate() }
    }

    @Test("The fraud-rate alarm needs a run of windows outside, and a run inside to clear")
    func fraudAlarm() {
        var alarm = FraudRateAlarm(windowsToAlert: 3, windowsToClear: 2)
        let outside = FraudRateStatistics(events: 10_000, flagged: 300, scoreSum: 0, baseRate: 0.01)
        let inside = FraudRateStatistics(events: 10_000, flagged: 101, scoreSum: 0, baseRate: 0.01)
        let empty = FraudRateStatistics(events: 0, flagged: 0, scoreSum: 0, baseRate: 0.01)
        #expect(outside.baseRateOutside && !inside.baseRateOutside && !empty.baseRateOutside)
        #expect(alarm.update(with: outside) == nil)
        #expect(alarm.update(with: inside) == nil)  // breaks the run
        #expect(alarm.update(with: outside) == nil)
        #expect(alarm.update(with: empty) == nil)  // no evidence either way
        #expect(alarm.update(with: outside) == nil)
        #expect(alarm.update(with: outside)?.to == .alert)
        #expect(alarm.update(with: inside) == nil)
        #expect(alarm.update(with: inside)?.to == .ok)
    }

    @Test(
        "Wilson interval edge cases stay in [0, 1] and contain the observed rate",
        arguments: [
            (0, 10), (10, 10), (1, 1), (3, 1_000_000),
        ])
    func wilsonEdges(successes: Int, trials: Int) {
        let interval = WilsonInterval(successes: successes, trials: trials)
        #expect(interval.lower >= 0 && interval.upper <= 1 && interval.lower < interval.upper)
        #expect(interval.contains(Double(successes) / Double(trials)))
    }
}
