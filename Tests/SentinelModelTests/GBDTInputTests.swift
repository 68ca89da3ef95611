import Testing

@testable import SentinelModel

@Suite("Gradient boosting: bad inputs and binning")
struct GBDTInputTests {
    static func code(of call: () throws -> Void) -> GradientBoostingError.Code? {
        do {
            try call()
            return nil
        } catch let error as GradientBoostingError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test("bad inputs are rejected with a clear error")
    func badInputs() {
        let trainer = GradientBoostingTrainer(parameters: .init(treeCount: 2))
        let columns: [[Double]] = [[1, 2, 3, 4], [4, 3, 2, 1]]
        #expect(Self.code { _ = try trainer.fit(features: columns, labels: [0, 1, 0]) } == .mismatchedLengths)
        #expect(
            Self.code { _ = try trainer.fit(features: [[1, 2, 3, 4], [1, 2]], labels: [0, 1, 0, 1]) }
                == .mismatchedLengths)
        #expect(Self.code { _ = try trainer.fit(features: columns, labels: [0, 0, 0, 0]) } == .noPositives)
        #expect(Self.code { _ = try trainer.fit(features: columns, labels: [1, 1, 1, 1]) } == .noNegatives)
        #expect(Self.code { _ = try trainer.fit(features: columns, labels: [0, 1, 2, 0]) } == .nonBinaryLabel)
        #expect(Self.code { _ = try trainer.fit(features: [], labels: [0, 1]) } == .emptyData)
        #expect(Self.code { _ = try trainer.fit(features: [[], []], labels: []) } == .emptyData)
        #expect(
            Self.code {
                _ = try trainer.fit(features: columns, labels: [0, 1, 0, 1], validation: ([[1, 2]], [0, 1]))
            } == .mismatchedLengths)
        #expect(
            Self.code {
                _ = try trainer.fit(features: columns, labels: [0, 1, 0, 1], validation: ([[1], [2]], [3]))
            } == .nonBinaryLabel)
    }

    @Test(
        "parameters outside their range are rejected",
        arguments: [
            GradientBoostingParameters(treeCount: 0), .init(learningRate: 0), .init(learningRate: 1.5),
            .init(maxDepth: 0), .init(maxDepth: 17), .init(maxLeaves: 1), .init(minChildWeight: -1),
            .init(l2Regularization: .nan), .init(minSplitGain: -1), .init(positiveClassWeight: 0),
            .init(positiveClassWeight: .infinity), .init(rowSubsample: 0),
            .init(featureSubsample: 1.01), .init(maxBins: 1), .init(maxBins: 65_535), .init(earlyStoppingRounds: -1),
            .init(threadCount: 0),
        ])
    func badParameters(parameters: GradientBoostingParameters) {
        #expect(Self.code { try parameters.validate() } == .invalidParameter)
        #expect(
            Self.code {
                _ = try GradientBoostingTrainer(parameters: parameters).fit(features: [[1, 2]], labels: [0, 1])
            } == .invalidParameter)
    }

    @Test("the default parameters are valid")
    func defaultsValid() throws {
        try GradientBoostingParameters().validate()
    }

    @Test("few distinct values get one bin each, cut halfway between neighbours")
    func exactBins() {
        let edges = FeatureBins.edges(of: [3, 1, 2, 2, .nan, 1, 5], maxBins: 255)
        #expect(edges == [1.5, 2.5, 4])
        #expect(
            [1.0, 1.5, 1.6, 2.5, 4, 4.1, 99].map { FeatureBins.code(of: $0, edges: edges) } == [0, 0, 1, 1, 2, 3, 3])
        #expect(FeatureBins.code(of: .nan, edges: edges) == 4)
        #expect(FeatureBins.edges(of: [7, 7, 7], maxBins: 255).isEmpty)
        #expect(FeatureBins.edges(of: [.nan, .nan], maxBins: 255).isEmpty)
    }

    @Test(
        "many distinct values stay within the bin budget and keep resolution in a sparse tail",
        arguments: [4, 255, 1023])
    func quantileBins(maxBins: Int) {
        // 10,000 values crowded in [0, 100) and 20 spread over [100, 1000): quantiles alone would give the tail
        // at most one bin.
        var values = (0..<10_000).map { Double($0) / 100 }
        values += (0..<20).map { 100 + Double($0) * 45 }
        let edges = FeatureBins.edges(of: values, maxBins: maxBins)
        #expect(edges.count <= maxBins - 1)
        #expect(edges == edges.sorted() && Set(edges).count == edges.count)
        if maxBins >= 255 {
            #expect(edges.filter { $0 > 100 }.count >= 10)
        }
    }

    /// Found by LeakSanitizer: the buffer the workers wrote into was deallocated without releasing its elements.
    @Test("parallelMap keeps no reference to its results once they are dropped")
    func parallelMapReleasesResults() {
        final class Token: Sendable {}
        weak var first: Token?
        weak var last: Token?
        do {
            let tokens = FeatureBins.parallelMap(count: 5, threads: 2) { _ in Token() }
            #expect(tokens.count == 5)
            first = tokens[0]
            last = tokens[4]
            #expect(first != nil && last != nil)
        }
        #expect(first == nil)
        #expect(last == nil)
    }

    @Test("bin codes agree with the real-valued thresholds")
    func codesMatchThresholds() {
        let column = GBDTFixtures.uniform(count: 2000, featureCount: 1, seed: 51)[0].map { ($0 * 1000).rounded() }
        let bins = FeatureBins(features: [column], maxBins: 64, threadCount: 2)
        for (row, x) in column.enumerated() {
            let code = Int(bins.codes[row])
            for (bin, threshold) in bins.thresholds[0].enumerated() {
                #expect((code <= bin) == (x <= threshold))
            }
        }
    }
}
