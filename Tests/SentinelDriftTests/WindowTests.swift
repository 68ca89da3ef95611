import Foundation
import Testing

@testable import SentinelDrift

@Suite("Window accumulator, tumbling windows and reservoir")
struct WindowTests {
    /// Two features (uniform 0…1000 and a 0/1 flag) and a score, built from deterministic values.
    static let reference: ReferenceProfile = {
        var generator = SplitMix64(seed: 1)
        let uniform = (0..<5_000).map { _ in generator.nextUnitInterval() * 1_000 }
        let flag = (0..<5_000).map { Double($0 % 4 == 0 ? 1 : 0) }
        let score = (0..<5_000).map { _ in generator.nextUnitInterval() * generator.nextUnitInterval() }
        return ReferenceProfile(
            features: [
                FeatureProfile(name: "amount", values: uniform, bins: 20),
                FeatureProfile(name: "flag", values: flag, bins: 10),
            ],
            score: FeatureProfile(name: "score", values: score, bins: 10),
            baseFraudRate: 0.01,
            baseFlagRate: 0.02
        )
    }()

    private func event(_ generator: inout SplitMix64, shift: Double = 0) -> (features: [Double], score: Double) {
        let amount = generator.nextUnitInterval() * 1_000 + shift
        let flag = generator.next() % 4 == 0 ? 1.0 : 0.0
        return ([amount, flag], generator.nextUnitInterval() * generator.nextUnitInterval())
    }

    @Test("Accumulator counts equal per-feature histograms, missing values included")
    func accumulatorMatchesHistograms() {
        var window = WindowAccumulator(reference: Self.reference)
        var generator = SplitMix64(seed: 2)
        var amounts: [Double] = []
        var flags: [Double] = []
        var scores: [Double] = []
        for index in 0..<3_000 {
            var (features, score) = event(&generator)
            if index % 100 == 0 { features[0] = .nan }
            window.record(features: features, score: score, flagged: index % 50 == 0)
            amounts.append(features[0])
            flags.append(features[1])
            scores.append(score)
        }
        let profiles = Self.reference.features + [Self.reference.score]
        for (column, values) in [amounts, flags, scores].enumerated() {
            let direct = BinnedHistogram(values: values, profile: profiles[column])
            #expect(window.histogram(column: column) == direct)
            #expect(
                window.statistics(column: column, profile: profiles[column])
                    == DriftStatistics(reference: profiles[column], current: direct))
        }
        #expect(window.histogram(column: 0).missing == 30)
        #expect(window.events == 3_000 && window.flagged == 60)
        #expect(isClose(window.scoreSum, scores.reduce(0, +), tolerance: 1e-12))
    }

    @Test("The lookup-table binning equals the binary search at and around every edge")
    func lookupBinning() throws {
        var generator = SplitMix64(seed: 11)
        // Skewed, heavy-tailed, repeated and tiny-range columns.
        let columns: [[Double]] = [
            (0..<4_000).map { _ in exp(generator.nextUnitInterval() * 12) },
            (0..<4_000).map { Double($0 % 5) },
            (0..<4_000).map { _ in 1 + generator.nextUnitInterval() * 1e-12 },
            (0..<4_000).map { _ in -log(generator.nextUnitInterval()) * 3 - 5 },
            [Double](repeating: 2, count: 10),
        ]
        let profiles = columns.enumerated().map { FeatureProfile(name: "c\($0.offset)", values: $0.element, bins: 20) }
        var window = WindowAccumulator(columns: profiles)
        var expected = profiles.map { BinnedHistogram(binCount: $0.binCount) }
        var probes: [[Double]] = []
        for profile in profiles {
            var values = profile.edges.flatMap { [$0.nextDown, $0, $0.nextUp] }
            values += [-.infinity, .infinity, profile.minimum, profile.maximum, -1e300, 1e300]
            values += (0..<500).map { _ in
                profile.minimum + (profile.maximum - profile.minimum) * generator.nextUnitInterval()
            }
            probes.append(values)
        }
        let rows = probes.map(\.count).max()!
        for row in 0..<rows {
            let values = probes.map { $0[row % $0.count] }
            window.record(features: Array(values.dropLast()), score: values.last!, flagged: false)
            for (column, value) in values.enumerated() { expected[column].record(value, edges: profiles[column].edges) }
        }
        for column in profiles.indices { #expect(window.histogram(column: column) == expected[column]) }
        // Encoding keeps the counts; decoding rebuilds the table.
        let decoded = try JSONDecoder().decode(WindowAccumulator.self, from: JSONEncoder().encode(window))
        #expect(decoded == window)
    }

    @Test("Merging windows equals recording into one")
    func mergeWindows() {
        var whole = WindowAccumulator(reference: Self.reference)
        var first = whole
        var second = whole
        var generator = SplitMix64(seed: 3)
        for index in 0..<2_000 {
            let (features, score) = event(&generator, shift: Double(index % 7) * 100)
            whole.record(features: features, score: score, flagged: index % 3 == 0)
            if index < 700 {
                first.record(features: features, score: score, flagged: index % 3 == 0)
            } else {
                second.record(features: features, score: score, flagged: index % 3 == 0)
            }
        }
        first.merge(second)
        for column in 0..<3 { #expect(first.histogram(column: column) == whole.histogram(column: column)) }
        #expect(first.events == whole.events && first.flagged == whole.flagged)
    }

    @Test("Windows close on time, fold into since-start, and the history ring stays bounded")
    func tumbling() throws {
        let configuration = DriftWindows.Configuration(windowMilliseconds: 1_000, historyCount: 4)
        var windows = try DriftWindows(reference: Self.reference, configuration: configuration, startingAt: 10_500)
        #expect(windows.currentStart == 10_000)
        var generator = SplitMix64(seed: 4)
        for _ in 0..<500 {
            let (features, score) = event(&generator)
            windows.record(features: features, score: score, flagged: false)
        }
        #expect(windows.advance(to: 10_999).isEmpty)
        #expect(windows.history.isEmpty && windows.current.events == 500)
        _ = windows.advance(to: 11_000)
        #expect(windows.history.map(\.start) == [10_000])
        #expect(windows.current.events == 0 && windows.sinceStart.events == 500)
        // A long silence: at most `historyCount` windows are kept.
        _ = windows.advance(to: 1_000_000)
        #expect(windows.history.count == 4)
        #expect(windows.history.map(\.start) == [996_000, 997_000, 998_000, 999_000])
        #expect(windows.currentStart == 1_000_000)
        #expect(windows.sinceStartReport().events == 500)
        // A clock step back changes nothing.
        #expect(windows.advance(to: 5).isEmpty && windows.currentStart == 1_000_000)
    }

    @Test("A shifted feature raises an alert at window close, then clears; drift share follows")
    func driftAlert() throws {
        let configuration = DriftWindows.Configuration(windowMilliseconds: 1_000, fraudWindowsToAlert: 1)
        var windows = try DriftWindows(reference: Self.reference, configuration: configuration, startingAt: 0)
        var generator = SplitMix64(seed: 5)
        for _ in 0..<2_000 {
            let (features, score) = event(&generator, shift: 400)
            windows.record(features: features, score: score, flagged: true)
        }
        let live = windows.currentReport()
        #expect(live.features[0].statistics!.psi > 0.25)
        #expect(live.features[0].level == .ok)  // levels change only when a window closes
        let raised = windows.advance(to: 1_000)
        #expect(raised.contains { $0.subject == .feature("amount") && $0.to == .alert })
        #expect(raised.contains { $0.subject == .fraudRate && $0.to == .alert })
        #expect(!raised.contains { $0.subject == .feature("flag") })
        // Reasons are for people: four significant digits (the exact value is in `value`).
        let amount = try #require(raised.first { $0.subject == .feature("amount") })
        #expect(amount.reason == "psi \(String(format: "%.4g", amount.value)) ≥ 0.25 over 2000 values")
        #expect(amount.value != Double(String(format: "%.4g", amount.value)))
        let rate = try #require(raised.first { $0.subject == .fraudRate })
        #expect(rate.reason.range(of: #"\d\.\d{5,}"#, options: .regularExpression) == nil, "\(rate.reason)")
        let closed = windows.report(for: windows.history[0])
        #expect(closed.driftShare == 0.5 && closed.alertShare == 0.5)
        #expect(closed.fraudRate.flaggedRate == 1 && closed.fraudRateLevel == .alert)
        #expect(
            windows.activeAlerts == [
                DriftAlert(subject: .feature("amount"), level: .alert), DriftAlert(subject: .fraudRate, level: .alert),
            ])
        #expect(windows.activeAlerts.map(\.subject.kind) == ["feature", "fraud_rate"])
        #expect(windows.activeAlerts.first?.subject.featureName == "amount")
        for _ in 0..<2_000 {
            let (features, score) = event(&generator)
            windows.record(features: features, score: score, flagged: false)
        }
        let cleared = windows.advance(to: 2_000)
        #expect(cleared.contains { $0.subject == .feature("amount") && $0.from == .alert && $0.to == .ok })
        #expect(windows.levels == [.ok, .ok, .ok])
    }

    @Test("State survives encoding: a decoded copy continues exactly like the original")
    func codableState() throws {
        let configuration = DriftWindows.Configuration(windowMilliseconds: 1_000, historyCount: 3)
        var original = try DriftWindows(reference: Self.reference, configuration: configuration, startingAt: 0)
        var generator = SplitMix64(seed: 8)
        for step in 0..<5 {
            for _ in 0..<300 {
                let (features, score) = event(&generator, shift: step.isMultiple(of: 2) ? 0 : 500)
                original.record(features: features, score: score, flagged: false)
            }
            _ = original.advance(to: Int64(step + 1) * 1_000)
        }
        var copy = try JSONDecoder().decode(DriftWindows.self, from: JSONEncoder().encode(original))
        for _ in 0..<700 {
            let (features, score) = event(&generator, shift: 500)
            original.record(features: features, score: score, flagged: true)
            copy.record(features: features, score: score, flagged: true)
        }
        #expect(copy.currentReport() == original.currentReport())
        #expect(copy.sampledValues(column: 0) == original.sampledValues(column: 0))
        #expect(copy.advance(to: 9_000) == original.advance(to: 9_000))
        #expect(copy.history == original.history && copy.sinceStartReport() == original.sinceStartReport())
        #expect(original.sinceStartReport().events == 5 * 300 + 700)
        // Merging the last windows: the three kept ones (300 + 300 + 700 events, then empty ones).
        let merged = try #require(original.report(lastWindows: 3))
        #expect(merged.events == original.history.suffix(3).map(\.counts.events).reduce(0, +))
        #expect(merged.end - merged.start == 3_000)
        #expect(try DriftWindows(reference: Self.reference, startingAt: 0).report(lastWindows: 5) == nil)
    }

    @Test("The reservoir keeps whole rows of the current window, bounded, for an exact KS test")
    func reservoirInWindows() throws {
        let configuration = DriftWindows.Configuration(windowMilliseconds: 1_000, reservoirCapacity: 64)
        var windows = try DriftWindows(reference: Self.reference, configuration: configuration, startingAt: 0)
        var generator = SplitMix64(seed: 6)
        var firstAmounts: [Double] = []
        for index in 0..<1_000 {
            let (features, score) = event(&generator)
            windows.record(features: features, score: score, flagged: false)
            if index < 64 { firstAmounts.append(features[0]) }
        }
        let sampled = windows.sampledValues(column: 0)
        #expect(sampled.count == 64)
        #expect(sampled != firstAmounts)  // later rows replaced some of the first ones
        let referenceSample = (0..<500).map { _ in generator.nextUnitInterval() * 1_000 }
        let test = try windows.exactKS(column: 0, reference: referenceSample)
        #expect(test.count2 == 64 && test.method == .exact)
        #expect(test.pValue > 0.001)
        _ = windows.advance(to: 1_000)
        #expect(windows.sampledValues(column: 0).isEmpty)
        #expect(windows.sampledValues(column: 0, window: .previous) == sampled)
        #expect(throws: DriftError.self) { try windows.exactKS(column: 0, reference: referenceSample) }
        #expect(throws: DriftError.self) { try windows.exactKS(column: 7, reference: referenceSample) }
    }

    @Test("Algorithm L keeps every item with probability k/n")
    func reservoirUniformity() {
        let n = 100
        let k = 10
        let trials = 20_000
        var kept = [Int](repeating: 0, count: n)
        for trial in 0..<trials {
            var sampler = ReservoirSampler(capacity: k, seed: UInt64(trial))
            var slots = [Int](repeating: -1, count: k)
            for item in 0..<n {
                if let slot = sampler.nextSlot() { slots[slot] = item }
            }
            #expect(sampler.count == k)
            for item in slots { kept[item] += 1 }
        }
        // Expected 2,000 each, standard deviation ≈ 42; six deviations with fixed seeds.
        #expect(kept.allSatisfy { abs($0 - 2_000) < 255 }, "inclusion counts \(kept)")
    }

    @Test(
        "Bad window settings are rejected",
        arguments: [
            DriftWindows.Configuration(windowMilliseconds: 0), DriftWindows.Configuration(historyCount: 0),
            DriftWindows.Configuration(reservoirCapacity: 0), DriftWindows.Configuration(confidence: 1),
        ])
    func invalidConfiguration(configuration: DriftWindows.Configuration) {
        #expect(throws: DriftError.self) {
            try DriftWindows(reference: Self.reference, configuration: configuration, startingAt: 0)
        }
    }
}
