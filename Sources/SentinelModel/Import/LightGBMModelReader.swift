import Foundation

/// Reads LightGBM's text model format (`Booster.save_model("model.txt")`) into boosted trees that score exactly as
/// LightGBM's `predict_proba` does.
///
/// - Objective `binary` with its `sigmoid:` parameter (1 unless set): the probability is
///   `1 / (1 + exp(-sigmoid · raw))`, so with a sigmoid other than 1 every leaf value is multiplied by it.
/// - Leaf values already include the shrinkage; thresholds are `Double` and a row goes left when `x <= threshold`,
///   Sentinel's own rule.
/// - `decision_type` bits: 1 categorical (refused), 2 default left, bits 2–3 the missing type. Missing type `None`
///   treats NaN as 0; `NaN` sends NaN the default way; `Zero` treats NaN as 0 and sends every value within ±1e-35
///   (LightGBM's `kZeroThreshold`) the default way, which becomes up to two extra splits around zero.
/// - `average_output` (random-forest boosting) divides every leaf value by the number of trees.
/// - Refused: other objectives, several classes, categorical splits, linear trees.
enum LightGBMModelReader {
    /// LightGBM's `kZeroThreshold`, a `float` in its source.
    static let zeroThreshold = Double(Float(1e-35))

    /// Decodes a model.
    /// - Parameter bytes: The text file's contents.
    /// - Returns: The learner, the input names the file records (nil for LightGBM's `Column_i` placeholders) and a
    ///   description.
    /// - Throws: ``ModelError``: `.unsupportedFormat` when the text is not a LightGBM model, `.truncated` when it
    ///   ends before `end of trees`, `.unsupportedModel` for what cannot be imported exactly, `.inconsistent` or
    ///   `.corrupted` for malformed parts.
    static func read(_ bytes: [UInt8]) throws -> ImportedModel {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ModelError(.corrupted, "the LightGBM model is not UTF-8 text")
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == "tree" else {
            throw ModelError(.unsupportedFormat, "not a LightGBM text model (its first line is not 'tree')")
        }
        // The header, up to the first tree.
        var header: [String: String] = [:]
        var flags: Set<String> = []
        var index = 1
        while index < lines.count, !lines[index].hasPrefix("Tree=") {
            let line = lines[index]
            if let equals = line.firstIndex(of: "=") {
                header[String(line[..<equals])] = String(line[line.index(after: equals)...])
            } else if !line.isEmpty {
                flags.insert(String(line))
            }
            if line == "end of trees" { break }
            index += 1
        }
        let objective = header["objective"] ?? ""
        let objectiveWords = objective.split(separator: " ")
        guard objectiveWords.first == "binary" else {
            throw ModelError(
                .unsupportedModel,
                "objective '\(objective)' is not supported; Sentinel imports the binary objective (a probability "
                    + "of fraud)")
        }
        var sigmoid = 1.0
        for word in objectiveWords.dropFirst() where word.hasPrefix("sigmoid:") {
            guard let value = Double(word.dropFirst("sigmoid:".count)), value.isFinite, value > 0 else {
                throw ModelError(.inconsistent, "objective '\(objective)' has a bad sigmoid parameter")
            }
            sigmoid = value
        }
        guard header["num_class"] ?? "1" == "1", header["num_tree_per_iteration"] ?? "1" == "1" else {
            throw ModelError(
                .unsupportedModel,
                "the model has \(header["num_class"] ?? "?") classes; Sentinel imports binary classifiers")
        }
        guard let maxFeature = header["max_feature_idx"].flatMap({ Int($0) }), maxFeature >= 0 else {
            throw ModelError(.inconsistent, "the header has no max_feature_idx")
        }
        let featureCount = maxFeature + 1
        let names = (header["feature_names"] ?? "").split(separator: " ").map(String.init)
        guard names.isEmpty || names.count == featureCount else {
            throw ModelError(
                .inconsistent, "the model names \(names.count) inputs but max_feature_idx is \(maxFeature)")
        }
        let placeholders = names == (0..<featureCount).map { "Column_\($0)" }

        // The trees, each a block of key=value lines starting at "Tree=N".
        var blocks: [[String: String]] = []
        var ended = false
        while index < lines.count {
            let line = lines[index]
            if line == "end of trees" {
                ended = true
                break
            }
            if line.hasPrefix("Tree=") {
                blocks.append([:])
            } else if let equals = line.firstIndex(of: "="), !blocks.isEmpty {
                blocks[blocks.count - 1][String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
            index += 1
        }
        guard ended else {
            throw ModelError(
                .truncated,
                "the LightGBM model is truncated (\(bytes.count) bytes, \(blocks.count) trees, no 'end of trees')")
        }
        if let sizes = header["tree_sizes"]?.split(separator: " "), sizes.count != blocks.count {
            throw ModelError(
                .inconsistent, "tree_sizes lists \(sizes.count) trees but the file holds \(blocks.count)")
        }
        guard !blocks.isEmpty else { throw ModelError(.inconsistent, "the model holds no trees") }
        let scale = sigmoid / (flags.contains("average_output") ? Double(blocks.count) : 1)
        var trees: [RegressionTree] = []
        for (number, block) in blocks.enumerated() {
            do {
                trees.append(try regressionTree(block, featureCount: featureCount, scale: scale))
            } catch {
                throw ModelError(error.code, "tree \(number): \(error.message)")
            }
        }
        let forest: GradientBoostedTrees
        do {
            forest = try GradientBoostedTrees(featureCount: featureCount, baseScore: 0, trees: trees, parameters: nil)
        } catch {
            throw ModelError(.inconsistent, error.message)
        }
        return ImportedModel(
            learner: .gradientBoosting(forest), featureNames: names.isEmpty || placeholders ? nil : names,
            library: nil,
            model: "\(objective), \(trees.count) trees\(flags.contains("average_output") ? " (averaged)" : "")"
                + ", text format \(header["version"] ?? "?")")
    }

    private static func regressionTree(
        _ block: [String: String], featureCount: Int, scale: Double
    ) throws(ModelError) -> RegressionTree {
        func numbers<T: LosslessStringConvertible>(_ key: String, _ count: Int, as: T.Type) throws(ModelError) -> [T] {
            guard count > 0 else { return [] }
            let words = (block[key] ?? "").split(separator: " ")
            let values = words.compactMap { T(String($0)) }
            guard values.count == count, words.count == count else {
                throw ModelError(.inconsistent, "'\(key)' does not hold \(count) numbers")
            }
            return values
        }
        if let linear = block["is_linear"], linear != "0" {
            throw ModelError(
                .unsupportedModel, "it is a linear tree (linear_tree=true); Sentinel imports constant leaves only")
        }
        if let categorical = block["num_cat"], categorical != "0" {
            throw ModelError(
                .unsupportedModel,
                "it has categorical splits (num_cat \(categorical)); Sentinel imports numerical splits only")
        }
        guard let leafCount = block["num_leaves"].flatMap({ Int($0) }), leafCount >= 1 else {
            throw ModelError(.inconsistent, "it has no num_leaves")
        }
        let leafValues = try numbers("leaf_value", leafCount, as: Double.self).map { $0 * scale }
        if leafCount == 1 {
            return try ImportedTree(nodes: [.leaf(leafValues[0])]).regressionTree(featureCount: featureCount)
        }
        let inner = leafCount - 1
        let features = try numbers("split_feature", inner, as: Int.self)
        let thresholds = try numbers("threshold", inner, as: Double.self)
        let decisions = try numbers("decision_type", inner, as: Int.self)
        let lefts = try numbers("left_child", inner, as: Int.self)
        let rights = try numbers("right_child", inner, as: Int.self)
        // Inner nodes keep their indices; leaf i (a child written ~i, that is -(i + 1)) becomes inner + i.
        var nodes: [ImportedTree.Node] = Array(repeating: .leaf(0), count: inner)
        nodes += leafValues.map { .leaf($0) }
        func child(_ code: Int) -> Int { code >= 0 ? code : inner + (-code - 1) }
        for node in 0..<inner {
            let decision = decisions[node]
            if decision & 1 != 0 {
                throw ModelError(
                    .unsupportedModel, "node \(node) is a categorical split; Sentinel imports numerical splits only")
            }
            let defaultLeft = decision & 2 != 0
            let threshold = thresholds[node]
            let (left, right) = (child(lefts[node]), child(rights[node]))
            guard (0..<nodes.count).contains(left), (0..<nodes.count).contains(right) else {
                throw ModelError(.inconsistent, "node \(node) has a child outside the tree")
            }
            switch (decision >> 2) & 3 {
            case 0:  // None: NaN is read as 0.
                nodes[node] = .split(
                    feature: features[node], threshold: threshold, missingGoesLeft: 0 <= threshold, left: left,
                    right: right)
            case 2:  // NaN: NaN goes the default way.
                nodes[node] = .split(
                    feature: features[node], threshold: threshold, missingGoesLeft: defaultLeft, left: left,
                    right: right)
            case 1:  // Zero: NaN and |x| <= kZeroThreshold go the default way.
                nodes[node] = zeroSplit(
                    feature: features[node], threshold: threshold, defaultLeft: defaultLeft, left: left, right: right,
                    nodes: &nodes)
            default:
                throw ModelError(.inconsistent, "node \(node) has an unknown missing type in decision_type \(decision)")
            }
        }
        return try ImportedTree(nodes: nodes).regressionTree(featureCount: featureCount)
    }

    /// LightGBM's rule for missing type `Zero` as Sentinel splits: values in [−z, z] (z = `kZeroThreshold`) and NaN
    /// go to the default child, others compare `x <= threshold`. When the comparison already sends [−z, z] the
    /// default way this is one split; otherwise the zero band gets splits of its own (new nodes appended).
    private static func zeroSplit(
        feature: Int, threshold: Double, defaultLeft: Bool, left: Int, right: Int, nodes: inout [ImportedTree.Node]
    ) -> ImportedTree.Node {
        let z = zeroThreshold
        let defaultChild = defaultLeft ? left : right
        if (defaultLeft && threshold >= z) || (!defaultLeft && threshold < -z) {
            return .split(
                feature: feature, threshold: threshold, missingGoesLeft: defaultLeft, left: left, right: right)
        }
        // x < −z: compare; otherwise x <= z (or NaN): default; otherwise compare.
        func compare() -> Int {
            nodes.append(
                .split(feature: feature, threshold: threshold, missingGoesLeft: true, left: left, right: right))
            return nodes.count - 1
        }
        let below = threshold >= -z ? left : compare()  // every x < −z is <= threshold when threshold >= −z
        let above = threshold < z ? right : compare()  // every x > z is > threshold when threshold < z
        nodes.append(.split(feature: feature, threshold: z, missingGoesLeft: true, left: defaultChild, right: above))
        let band = nodes.count - 1
        return .split(feature: feature, threshold: (-z).nextDown, missingGoesLeft: false, left: below, right: band)
    }
}
