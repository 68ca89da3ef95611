import Dispatch
import Foundation

/// Trains `GradientBoostedTrees` for binary log-loss: histogram-based, second-order (gradient and hessian) splits,
/// best-first growth under depth and leaf limits, row and feature subsampling per tree from a seeded generator,
/// and early stopping on a validation slice that follows the training rows in time.
///
/// Training is deterministic: the same data, parameters and seed give an identical model (and identical encoding),
/// whatever the thread count or scheduling.
///
/// ```swift
/// let trainer = GradientBoostingTrainer()  // good defaults
/// let (model, report) = try trainer.fit(
///     features: train.features, labels: train.labels, validation: (valid.features, valid.labels))
/// print("kept \(report.treesKept) trees")
/// ```
public struct GradientBoostingTrainer: Sendable {
    /// The hyper-parameters used by `fit`.
    public var parameters: GradientBoostingParameters

    /// Creates a trainer.
    /// - Parameter parameters: Hyper-parameters; the defaults are good without tuning.
    public init(parameters: GradientBoostingParameters = GradientBoostingParameters()) {
        self.parameters = parameters
    }

    /// Trains a model.
    ///
    /// Without validation data, exactly `treeCount` trees are grown. With it (and `earlyStoppingRounds > 0`),
    /// training stops once the validation metric has not improved for `earlyStoppingRounds` rounds, and the model
    /// keeps the trees up to the best round. Checks for task cancellation once per round.
    /// - Parameters:
    ///   - features: Column-major inputs, `features[f][row]`; NaN is a missing value, whose direction each split
    ///     learns.
    ///   - labels: 1 for fraud, 0 for genuine, one per row.
    ///   - validation: A time-ordered slice after the training rows (same inputs, in the same order), or nil.
    ///   - progress: Called after every round with (rounds done, maximum rounds), on the calling thread.
    /// - Returns: The model and a report of the run.
    /// - Throws: `GradientBoostingError` for bad parameters or inputs (mismatched lengths, labels other than 0/1,
    ///   no fraud or no genuine row); `CancellationError` when the current task is cancelled.
    public func fit(
        features: [[Double]],
        labels: [UInt8],
        validation: (features: [[Double]], labels: [UInt8])? = nil,
        progress: ((_ round: Int, _ total: Int) -> Void)? = nil
    ) throws -> (model: GradientBoostedTrees, report: GradientBoostingReport) {
        let clock = ContinuousClock()
        let started = clock.now
        try parameters.validate()
        let positives = try Self.checkInputs(features: features, labels: labels, role: "training")
        guard positives > 0 else {
            throw GradientBoostingError(.noPositives, "the \(labels.count) training labels contain no fraud (1)")
        }
        guard positives < labels.count else {
            throw GradientBoostingError(.noNegatives, "the \(labels.count) training labels are all fraud (1)")
        }
        if let validation {
            guard validation.features.count == features.count else {
                throw GradientBoostingError(
                    .mismatchedLengths,
                    "validation has \(validation.features.count) feature columns, training has \(features.count)")
            }
            _ = try Self.checkInputs(features: validation.features, labels: validation.labels, role: "validation")
        }

        let rowCount = labels.count
        let featureCount = features.count
        let bins = FeatureBins(features: features, maxBins: parameters.maxBins, threadCount: parameters.threadCount)
        let binningSeconds = Self.seconds(clock.now - started)

        let prior = Double(positives) / Double(rowCount)
        let baseScore = parameters.initialScore == .classPrior ? log(prior / (1 - prior)) : 0
        var scores = [Double](repeating: baseScore, count: rowCount)
        var gradients = [SIMD2<Double>](repeating: .zero, count: rowCount)
        let validationRows = validation.map { Self.rowMajor($0.features) } ?? []
        let validationLabels = validation?.labels ?? []
        var validationScores = [Double](repeating: baseScore, count: validationLabels.count)
        var validationLogLoss: [Double] = []
        var validationAP: [Double] = []

        var random = Xoshiro256(seed: parameters.seed)
        let grower = TreeGrower(bins: bins, parameters: parameters)
        var trees: [TreeGrower.GrownTree] = []
        var bestRound = -1
        var bestMetric = -Double.infinity
        var stoppedEarly = false
        let sampledFeatureCount = max(1, Int((Double(featureCount) * parameters.featureSubsample).rounded()))
        var featureOrder = Array(0..<featureCount)
        var bag: [Int32] = []
        bag.reserveCapacity(rowCount)

        for round in 0..<parameters.treeCount {
            try Task.checkCancellation()
            Self.computeGradients(
                scores: scores, labels: labels, positiveWeight: parameters.positiveClassWeight, into: &gradients,
                threads: parameters.threadCount)

            bag.removeAll(keepingCapacity: true)
            if parameters.rowSubsample < 1 {
                for row in 0..<rowCount where random.nextUnit() < parameters.rowSubsample {
                    bag.append(Int32(row))
                }
            } else {
                bag.append(contentsOf: (0..<rowCount).lazy.map { Int32($0) })
            }
            var chosen = featureOrder
            if sampledFeatureCount < featureCount {
                // Partial Fisher–Yates over a fixed starting order, so the draw depends only on the generator.
                featureOrder = Array(0..<featureCount)
                for index in 0..<sampledFeatureCount {
                    featureOrder.swapAt(index, index + random.nextInt(below: featureCount - index))
                }
                chosen = featureOrder[0..<sampledFeatureCount].sorted()
            }

            let tree = gradients.withUnsafeBufferPointer { grower.grow(rows: bag, features: chosen, gradients: $0) }
            trees.append(tree)
            Self.addTree(
                tree, rowOrder: grower.rowOrder, bag: bag, bins: bins, to: &scores, threads: parameters.threadCount)

            if validation != nil {
                let regressionTree = tree.regressionTree
                validationRows.withUnsafeBufferPointer { rows in
                    for row in validationScores.indices {
                        let input = UnsafeBufferPointer(
                            rebasing: rows[(row * featureCount)..<((row + 1) * featureCount)])
                        validationScores[row] += regressionTree.value(of: input)
                    }
                }
                let loss = ValidationMetrics.logLoss(scores: validationScores, labels: validationLabels)
                let ap = ValidationMetrics.averagePrecision(scores: validationScores, labels: validationLabels)
                validationLogLoss.append(loss)
                validationAP.append(ap)
                let metric = parameters.stoppingMetric == .logLoss ? -loss : ap
                if metric > bestMetric {
                    bestMetric = metric
                    bestRound = round
                }
            }
            progress?(round + 1, parameters.treeCount)
            if validation != nil, parameters.earlyStoppingRounds > 0,
                round - bestRound >= parameters.earlyStoppingRounds
            {
                stoppedEarly = round + 1 < parameters.treeCount
                break
            }
        }

        let roundsRun = trees.count
        let keep = validation != nil && parameters.earlyStoppingRounds > 0 ? bestRound + 1 : trees.count
        trees.removeSubrange(keep...)
        var featureGain = [Double](repeating: 0, count: featureCount)
        for tree in trees {
            for node in tree.feature.indices where tree.feature[node] >= 0 {
                featureGain[Int(tree.feature[node])] += tree.gain[node]
            }
        }
        let model = GradientBoostedTrees(
            unchecked: featureCount, baseScore: baseScore, trees: trees.map(\.regressionTree), parameters: parameters)
        let report = GradientBoostingReport(
            roundsRun: roundsRun,
            treesKept: keep,
            stoppedEarly: stoppedEarly,
            validationLogLoss: validationLogLoss,
            validationAveragePrecision: validationAP,
            featureGain: featureGain,
            binCounts: (0..<featureCount).map { bins.binCount($0) },
            rowCount: rowCount,
            positiveCount: positives,
            binningSeconds: binningSeconds,
            trainingSeconds: Self.seconds(clock.now - started)
        )
        return (model, report)
    }

    /// Checks shapes and labels; returns the number of positive labels.
    private static func checkInputs(features: [[Double]], labels: [UInt8], role: String) throws(GradientBoostingError)
        -> Int
    {
        guard !features.isEmpty else {
            throw GradientBoostingError(.emptyData, "the \(role) data has no feature columns")
        }
        guard !labels.isEmpty else {
            throw GradientBoostingError(.emptyData, "the \(role) data has no rows")
        }
        for (index, column) in features.enumerated() where column.count != labels.count {
            throw GradientBoostingError(
                .mismatchedLengths,
                "\(role) feature column \(index) has \(column.count) values but there are \(labels.count) labels")
        }
        var positives = 0
        for (row, label) in labels.enumerated() {
            guard label <= 1 else {
                throw GradientBoostingError(.nonBinaryLabel, "\(role) label at row \(row) is \(label), not 0 or 1")
            }
            positives += Int(label)
        }
        return positives
    }

    /// Log-loss gradient `p − y` and hessian `p(1 − p)` of every row, fraud rows scaled by `positiveWeight`, on
    /// `threads` threads by row ranges.
    private static func computeGradients(
        scores: [Double], labels: [UInt8], positiveWeight: Double, into gradients: inout [SIMD2<Double>], threads: Int
    ) {
        let count = scores.count
        let chunks = max(1, min(threads, count / 8192))
        gradients.withUnsafeMutableBufferPointer { gradients in
            let target = SendablePointer(gradients.baseAddress!)
            scores.withUnsafeBufferPointer { scores in
                labels.withUnsafeBufferPointer { labels in
                    let scores = SendableBuffer(scores)
                    let labels = SendableBuffer(labels)
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let scores = scores.buffer
                        let labels = labels.buffer
                        for row in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                            let p = 1 / (1 + exp(-scores[row]))
                            // A floor keeps leaf values finite when a leaf's rows are all predicted with certainty.
                            let weight = labels[row] == 1 ? positiveWeight : 1
                            target.pointer[row] = SIMD2(
                                weight * (p - Double(labels[row])), weight * max(p * (1 - p), 1e-16))
                        }
                    }
                }
            }
        }
    }

    /// Adds the tree's value to every training row's score: rows the tree was grown on by their leaf's row range,
    /// the others (left out by row subsampling) by walking the tree on bin codes.
    private static func addTree(
        _ tree: TreeGrower.GrownTree, rowOrder: [Int32], bag: [Int32], bins: FeatureBins, to scores: inout [Double],
        threads: Int
    ) {
        for (node, range) in tree.leafRows {
            let value = tree.value[node]
            for index in range {
                scores[Int(rowOrder[index])] += value
            }
        }
        guard bag.count < scores.count else { return }
        var outOfBag: [Int] = []
        outOfBag.reserveCapacity(scores.count - bag.count)
        var next = 0
        for row in 0..<scores.count {
            if next < bag.count && Int(bag[next]) == row {
                next += 1
            } else {
                outOfBag.append(row)
            }
        }
        let count = outOfBag.count
        let width = bins.featureCount
        let chunks = max(1, min(threads, count / 8192))
        // Per node: feature (−1 for a leaf), bin, missing code when missing goes left (else an impossible code),
        // children, value; flattened so the walk reads plain memory.
        let missingLeftCodes = tree.feature.indices.map { node -> Int in
            let feature = Int(tree.feature[node])
            return feature >= 0 && tree.missingGoesLeft[node] ? Int(bins.missingCode(feature)) : -1
        }
        scores.withUnsafeMutableBufferPointer { scores in
            let target = SendablePointer(scores.baseAddress!)
            bins.codes.withUnsafeBufferPointer { codes in
                tree.feature.withUnsafeBufferPointer { feature in
                    tree.bin.withUnsafeBufferPointer { bin in
                        tree.left.withUnsafeBufferPointer { left in
                            tree.right.withUnsafeBufferPointer { right in
                                tree.value.withUnsafeBufferPointer { value in
                                    missingLeftCodes.withUnsafeBufferPointer { missingLeft in
                                        let walk = TreeWalk(
                                            codes: codes, feature: feature, bin: bin, left: left, right: right,
                                            value: value, missingLeft: missingLeft, width: width)
                                        outOfBag.withUnsafeBufferPointer { outOfBag in
                                            let rows = SendableBuffer(outOfBag)
                                            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                                                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                                                    let row = rows.buffer[index]
                                                    target.pointer[row] += walk.value(row: row)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func rowMajor(_ features: [[Double]]) -> [Double] {
        let width = features.count
        let count = features.first?.count ?? 0
        var rows = [Double](repeating: 0, count: width * count)
        for feature in 0..<width {
            for row in 0..<count {
                rows[row * width + feature] = features[feature][row]
            }
        }
        return rows
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}

/// Read-only views of a grown tree and the training bin codes, for walking rows on worker threads.
///
/// `@unchecked Sendable` because every buffer is only read, and the arrays behind them outlive the
/// `concurrentPerform` call that uses the walk.
private struct TreeWalk: @unchecked Sendable {
    let codes: UnsafeBufferPointer<UInt16>
    let feature: UnsafeBufferPointer<Int32>
    let bin: UnsafeBufferPointer<UInt16>
    let left: UnsafeBufferPointer<Int32>
    let right: UnsafeBufferPointer<Int32>
    let value: UnsafeBufferPointer<Double>
    let missingLeft: UnsafeBufferPointer<Int>
    let width: Int

    @inline(__always)
    func value(row: Int) -> Double {
        let base = codes.baseAddress! + row &* width
        var node = 0
        while feature[node] >= 0 {
            let code = base[Int(feature[node])]
            let goLeft = code <= bin[node] || Int(code) == missingLeft[node]
            node = Int(goLeft ? left[node] : right[node])
        }
        return value[node]
    }
}
