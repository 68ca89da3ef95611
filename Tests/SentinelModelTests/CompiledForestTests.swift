import Foundation
import Testing

@testable import SentinelModel

/// The compiled forest against the node-array walk (`baseScore + Σ RegressionTree.value(of:)`, trees in order),
/// compared bit for bit on every scoring path.
@Suite("Gradient boosting: compiled forest")
struct CompiledForestTests {
    /// Inputs and thresholds share these values, so rows land exactly on thresholds and one ulp either side.
    static let grid: [Double] = [-3.5, -1, -0.0, 0, 0.25, 0.5, 1, 2.75, 1e300, -1e300]

    /// A random valid tree whose deepest path has exactly `depth` levels; other branches stop early at random,
    /// so trees are unbalanced and have leaves on every level.
    static func randomTree(depth: Int, featureCount: Int, random: inout Xoshiro256) -> RegressionTree {
        var tree = RegressionTree(feature: [], threshold: [], missingGoesLeft: [], left: [], right: [], value: [])
        // Breadth-first, so children always follow their parent; the "spine" (always the left child) is forced
        // to split down to `depth`.
        var queue: [(level: Int, spine: Bool)] = [(0, true)]
        var next = 0
        while next < queue.count {
            let (level, spine) = queue[next]
            next += 1
            let split = level < depth && (spine || random.nextUnit() < 0.7)
            tree.feature.append(split ? Int32(random.nextInt(below: featureCount)) : -1)
            tree.threshold.append(split ? grid[random.nextInt(below: grid.count)] : 0)
            tree.missingGoesLeft.append(split ? random.nextUnit() < 0.5 : false)
            tree.left.append(split ? Int32(queue.count) : -1)
            tree.right.append(split ? Int32(queue.count + 1) : -1)
            // Leaf values of very different magnitudes, so a different summation order changes the bits.
            let magnitude = [1e-9, 1e-3, 0.5, 7][random.nextInt(below: 4)]
            tree.value.append(split ? 0 : (random.nextUnit() - 0.5) * magnitude)
            if split {
                queue.append((level + 1, spine))
                queue.append((level + 1, false))
            }
        }
        return tree
    }

    /// A model of `treeCount` random trees; tree depths are drawn up to `depth` and one tree reaches it.
    static func randomModel(treeCount: Int, depth: Int, featureCount: Int, seed: UInt64) throws -> GradientBoostedTrees
    {
        var random = Xoshiro256(seed: seed)
        let deepest = random.nextInt(below: treeCount)
        let trees = (0..<treeCount).map { index in
            randomTree(
                depth: index == deepest ? depth : random.nextInt(below: depth + 1), featureCount: featureCount,
                random: &random)
        }
        return try GradientBoostedTrees(
            featureCount: featureCount, baseScore: -4.25 + random.nextUnit(), trees: trees, parameters: .init())
    }

    /// Row-major inputs: grid values, their neighbours one ulp away, ±∞, NaN and uniform values. The first 64 rows
    /// (one whole block) have no NaN, so both the NaN-free and the NaN-aware kernels run.
    static func randomRows(count: Int, featureCount: Int, seed: UInt64) -> [[Double]] {
        var random = Xoshiro256(seed: seed)
        return (0..<count).map { row in
            (0..<featureCount).map { _ in
                let value = grid[random.nextInt(below: grid.count)]
                switch random.nextInt(below: 8) {
                case 0: return value.nextUp
                case 1: return value.nextDown
                case 2: return random.nextUnit() < 0.5 ? .infinity : -.infinity
                case 3: return row < 64 ? value : .nan
                case 4: return (random.nextUnit() - 0.5) * 8
                default: return value
                }
            }
        }
    }

    /// The reference semantics: the node arrays walked tree by tree, added in order from the base score.
    static func walk(_ model: GradientBoostedTrees, _ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { row in model.trees.reduce(model.baseScore) { $0 + $1.value(of: row) } }
    }

    /// Every scoring path of `model` on `rows`, checked bit for bit against the walk.
    static func expectAllPathsMatchWalk(_ model: GradientBoostedTrees, _ rows: [[Double]]) {
        let count = rows.count
        let width = model.featureCount
        let raw = rows.map { walk(model, $0) }
        let probabilities = raw.map(GradientBoostedTrees.sigmoid)
        let single = rows.map { row in row.withUnsafeBufferPointer { model.rawScore(of: $0) } }
        #expect(single.map(\.bitPattern) == raw.map(\.bitPattern))
        let singleProbabilities = rows.map { row in row.withUnsafeBufferPointer { model.probability(of: $0) } }
        #expect(singleProbabilities.map(\.bitPattern) == probabilities.map(\.bitPattern))

        let columns = (0..<width).map { feature in rows.map { $0[feature] } }
        #expect(model.rawScores(features: columns, rows: 0..<count).map(\.bitPattern) == raw.map(\.bitPattern))
        // A range starting inside the table, ending in a partial block and a partial group of lanes.
        let part = 3..<(count - 2)
        #expect(model.rawScores(features: columns, rows: part).map(\.bitPattern) == raw[part].map(\.bitPattern))
        #expect(
            model.probabilities(features: columns, rows: part).map(\.bitPattern)
                == probabilities[part].map(\.bitPattern))

        let flat = rows.flatMap { $0 }
        for batch in [count, 1, 7, 100] {
            var scores = [Double](repeating: .nan, count: count)
            flat.withUnsafeBufferPointer { flat in
                scores.withUnsafeMutableBufferPointer { scores in
                    var start = 0
                    while start < count {
                        let size = min(batch, count - start)
                        model.probabilities(
                            rowMajor: UnsafeBufferPointer(rebasing: flat[(start * width)..<((start + size) * width)]),
                            count: size, into: UnsafeMutableBufferPointer(rebasing: scores[start...]))
                        start += size
                    }
                }
            }
            #expect(scores.map(\.bitPattern) == probabilities.map(\.bitPattern), "row-major batches of \(batch)")
        }
    }

    @Test(
        "random forests of every laid-out depth, and deeper ones that walk, score as the node walk on every path",
        arguments: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    func randomForests(depth: Int) throws {
        for (index, treeCount) in [1, 8, 13 + depth].enumerated() {
            let model = try Self.randomModel(
                treeCount: treeCount, depth: depth, featureCount: 5, seed: UInt64(100 * depth + index))
            #expect(model.compiled.isComplete == (depth <= CompiledForest.maxDepth))
            #expect(model.compiled.depth == depth)
            Self.expectAllPathsMatchWalk(
                model, Self.randomRows(count: 150, featureCount: 5, seed: UInt64(7 * depth + index)))
        }
    }

    @Test("a stump sends x ≤ t left, x > t and +∞ right, −∞ left and NaN the learned way", arguments: [true, false])
    func stumpSemantics(missingGoesLeft: Bool) throws {
        let stump = RegressionTree(
            feature: [0, -1, -1], threshold: [0.5, 0, 0], missingGoesLeft: [missingGoesLeft, false, false],
            left: [1, -1, -1], right: [2, -1, -1], value: [0, -1, 2])
        // A depth-0 tree next to it is padded to depth 1 and must add its value whichever way a row goes.
        let constant = RegressionTree(
            feature: [-1], threshold: [0], missingGoesLeft: [false], left: [-1], right: [-1], value: [0.25])
        let model = try GradientBoostedTrees(
            featureCount: 1, baseScore: 0, trees: [stump, constant], parameters: .init())
        let cases: [(x: Double, expected: Double)] = [
            (0.5, -0.75), (0.5.nextDown, -0.75), (0.5.nextUp, 2.25), (.infinity, 2.25), (-.infinity, -0.75),
            (.nan, missingGoesLeft ? -0.75 : 2.25),
        ]
        for (x, expected) in cases {
            #expect([x].withUnsafeBufferPointer { model.rawScore(of: $0) } == expected, "x = \(x)")
            #expect(model.rawScores(features: [[x]], rows: 0..<1) == [expected], "x = \(x)")
        }
    }

    @Test("the layout pads shallow trees to the deepest one and keeps a leaf's value in every slot below it")
    func layout() throws {
        // Root splits on input 1; its left child is a leaf, its right child splits on input 0.
        let tree = RegressionTree(
            feature: [1, -1, 0, -1, -1], threshold: [1, 0, 2, 0, 0],
            missingGoesLeft: [false, false, true, false, false],
            left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], value: [0, 5, 0, 6, 7])
        let forest = CompiledForest(trees: [tree], baseScore: 0, featureCount: 2)
        #expect(forest.isComplete && forest.depth == 2)
        // Each array ends with one unused element.
        #expect(forest.features.dropLast() == [1, 0, 0])
        #expect(forest.blockOffsets.dropLast() == [Int32(CompiledForest.blockRows), 0, 0])
        #expect(forest.thresholds.dropLast() == [1, .infinity, 2])
        #expect(forest.missingRight.dropLast() == [1, 0, 0])
        #expect(forest.leaves.dropLast() == [5, 5, 6, 7])
    }

    @Test("trained models of several depths score as the node walk on every path", arguments: [1, 3, 4, 8])
    func trainedModels(depth: Int) throws {
        var (features, labels) = GBDTFixtures.noisy(count: 2000, seed: 91)
        for row in stride(from: 0, to: 2000, by: 9) { features[row % 4][row] = .nan }
        let parameters = GradientBoostingParameters(
            treeCount: 21, learningRate: 0.3, maxDepth: depth, maxLeaves: 1 << depth, minChildWeight: 0)
        let (model, _) = try GradientBoostingTrainer(parameters: parameters).fit(features: features, labels: labels)
        #expect(model.compiled.isComplete)
        #expect(model.trees.contains { $0.depth == depth })
        var rows = Self.randomRows(count: 200, featureCount: 4, seed: 92)
        // Training-like inputs too, which reach the learned leaves rather than the extremes.
        rows += (0..<200).map { row in features.map { $0[row] } }
        Self.expectAllPathsMatchWalk(model, rows)
    }
}
