/// Reads the ONNX graphs skl2onnx writes for scikit-learn tree ensembles and logistic regression into learners that
/// score as ONNX Runtime does.
///
/// The graph must be one model operator of the `ai.onnx.ml` domain applied to the graph's one input, optionally
/// through `Cast` and `Identity`, with only `Cast`, `Identity` and `ZipMap` after it (they reshape or retype the
/// outputs, not the scores). Any other operator (a `Scaler`, `Normalizer`, `Imputer` …) is refused by name.
///
/// - `TreeEnsembleClassifier` (random forests, extra trees, gradient boosting): two classes, every vote for class
///   index 0 — skl2onnx's binary layout, in which ONNX Runtime reads the sum of the votes plus the one base value as
///   the score of the second class. `post_transform` `NONE` makes that sum the probability (forests store each
///   leaf's class frequency divided by the tree count), `LOGISTIC` its logistic function (gradient boosting).
/// - `TreeEnsembleRegressor`: one target, `aggregate_function` `SUM` or `AVERAGE`, `post_transform` `NONE`; the
///   score, clamped to [0, 1], is the probability.
/// - `LinearClassifier`: two classes, a row of coefficients per class, `post_transform` `LOGISTIC`; the
///   probability is the logistic function of the second class's row. A missing input counts as 0 (ONNX Runtime
///   returns NaN, scikit-learn refuses the row).
///
/// Splits: ONNX Runtime compares inputs of the operator's element type with thresholds of that type, and a missing
/// input (NaN) takes the true branch only when `nodes_missing_value_tracks_true` is set. On `Float` inputs
/// `BRANCH_LEQ`, `BRANCH_LT`, `BRANCH_GTE` and `BRANCH_GT` become exact `Double` thresholds through
/// ``FloatComparison``; `BRANCH_EQ` and `BRANCH_NEQ` are refused.
enum ONNXModelReader {
    /// The model operators this reader turns into learners.
    static let modelOperators: Set<String> = ["TreeEnsembleClassifier", "TreeEnsembleRegressor", "LinearClassifier"]
    /// Operators that only pass values on (before the model) or reshape its outputs (after it).
    static let passThroughOperators: Set<String> = ["Cast", "Identity", "ZipMap"]

    /// ONNX `TensorProto.DataType` values an operator input may have.
    private static let floatType: Int32 = 1
    private static let doubleType: Int32 = 11

    /// Builds a learner from a decoded graph.
    /// - Parameter graph: The decoded model.
    /// - Returns: The learner (no input names: an ONNX graph takes one tensor) and a description.
    /// - Throws: ``ModelError`` `.unsupportedModel` for an operator, attribute value or graph shape that cannot
    ///   be imported exactly, `.inconsistent` for attributes that disagree.
    static func read(_ graph: ONNXGraph) throws(ModelError) -> ImportedModel {
        let initializers = Set(graph.initializers)
        let inputs = graph.inputs.filter { !initializers.contains($0.name) }
        guard inputs.count == 1, let input = inputs.first else {
            throw ModelError(
                .unsupportedModel,
                "the graph takes \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))); Sentinel "
                    + "imports graphs of one input tensor")
        }
        for node in graph.nodes
        where !modelOperators.contains(node.operatorType) && !passThroughOperators.contains(node.operatorType) {
            throw ModelError(
                .unsupportedModel,
                "operator \(node.operatorType)\(node.domain.isEmpty ? "" : " (\(node.domain))") is not supported; "
                    + "Sentinel imports TreeEnsembleClassifier, TreeEnsembleRegressor and LinearClassifier, with "
                    + "Cast, Identity and ZipMap around them")
        }
        let models = graph.nodes.filter { modelOperators.contains($0.operatorType) }
        guard models.count == 1, let model = models.first else {
            throw ModelError(
                .unsupportedModel,
                "the graph holds \(models.count) model operators (\(models.map(\.operatorType).joined(separator: ", ")))"
                    + "; Sentinel imports one")
        }
        guard model.domain == "ai.onnx.ml" else {
            throw ModelError(
                .unsupportedModel, "operator \(model.operatorType) is in domain '\(model.domain)', not ai.onnx.ml")
        }
        guard model.inputs.count == 1 else {
            throw ModelError(.unsupportedModel, "\(model.operatorType) takes \(model.inputs.count) inputs")
        }
        let elementType = try elementType(reaching: model.inputs[0], from: input, graph: graph)
        guard elementType == floatType || elementType == doubleType else {
            throw ModelError(
                .unsupportedModel,
                "\(model.operatorType) reads tensor element type \(elementType); Sentinel imports float (1) or "
                    + "double (11) inputs")
        }
        let width = input.shape.count == 2 ? input.shape[1].map(Int.init) : nil
        let attributes = Attributes(node: model)
        let learner: Learner
        let description: String
        switch model.operatorType {
        case "LinearClassifier":
            (learner, description) = try linearClassifier(attributes, width: width)
        default:
            (learner, description) = try treeEnsemble(
                attributes, isClassifier: model.operatorType == "TreeEnsembleClassifier", width: width,
                floatInputs: elementType == floatType)
        }
        let producer = [graph.producerName, graph.producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        return ImportedModel(
            learner: learner, featureNames: nil, library: producer.isEmpty ? nil : producer,
            model: "\(model.operatorType), \(description)")
    }

    /// The element type of the tensor a model operator reads: the graph input's, changed by each `Cast` on the way.
    private static func elementType(
        reaching name: String, from input: ONNXGraph.Value, graph: ONNXGraph
    ) throws(ModelError) -> Int32 {
        var name = name
        var casts: [Int32] = []
        var steps = 0
        while name != input.name {
            guard let node = graph.nodes.first(where: { $0.outputs.contains(name) }),
                ["Cast", "Identity"].contains(node.operatorType), node.inputs.count == 1, steps < graph.nodes.count
            else {
                throw ModelError(
                    .unsupportedModel,
                    "the model operator's input '\(name)' does not come from the graph input '\(input.name)' "
                        + "through Cast or Identity")
            }
            if node.operatorType == "Cast" {
                guard case .int(let to) = node.attributes["to"] else {
                    throw ModelError(.inconsistent, "a Cast node has no 'to' type")
                }
                casts.append(Int32(truncatingIfNeeded: to))
            }
            name = node.inputs[0]
            steps += 1
        }
        guard let type = casts.first ?? input.elementType else {
            throw ModelError(.unsupportedModel, "the graph input '\(input.name)' is not a tensor")
        }
        // The type nearest the model operator is the one it compares in; inputs once rounded to Float stay rounded.
        if type != floatType, input.elementType == floatType || casts.contains(floatType) {
            throw ModelError(
                .unsupportedModel, "the graph rounds its inputs to float and then casts them to type \(type)")
        }
        return type
    }

    // MARK: Linear classifier

    private static func linearClassifier(_ attributes: Attributes, width: Int?) throws(ModelError) -> (
        Learner, String
    ) {
        let classes = try attributes.classCount(ints: "classlabels_ints", strings: "classlabels_strings")
        guard classes == 2 else {
            throw ModelError(
                .unsupportedModel, "LinearClassifier has \(classes) classes; Sentinel imports binary classifiers")
        }
        let transform = try attributes.string("post_transform") ?? "NONE"
        guard transform == "LOGISTIC" else {
            throw ModelError(
                .unsupportedModel,
                "LinearClassifier post_transform \(transform) is not supported; Sentinel imports LOGISTIC (a "
                    + "probability per class)")
        }
        if let multiClass = try attributes.int("multi_class"), multiClass != 0 {
            throw ModelError(.unsupportedModel, "LinearClassifier multi_class \(multiClass) is not supported")
        }
        let coefficients = try attributes.floats("coefficients") ?? []
        let intercepts = try attributes.floats("intercepts") ?? [0, 0]
        guard coefficients.count % 2 == 0, coefficients.count >= 2, intercepts.count == 2 else {
            throw ModelError(
                .unsupportedModel,
                "LinearClassifier has \(coefficients.count) coefficients and \(intercepts.count) intercepts; "
                    + "Sentinel imports one row of coefficients and one intercept per class")
        }
        let featureCount = coefficients.count / 2
        if let width, width != featureCount {
            throw ModelError(
                .inconsistent, "the graph input has \(width) columns but LinearClassifier has \(featureCount)")
        }
        let weights = coefficients[featureCount...].map(Double.init)
        guard weights.allSatisfy(\.isFinite), intercepts[1].isFinite else {
            throw ModelError(.inconsistent, "a LinearClassifier coefficient is not finite")
        }
        let model = LogisticRegressionModel(
            standardization: Standardization(
                means: Array(repeating: 0, count: featureCount), scales: Array(repeating: 1, count: featureCount)),
            coefficients: Array(weights), intercept: Double(intercepts[1]))
        return (.logistic(model), "\(featureCount) inputs, post_transform LOGISTIC")
    }

    // MARK: Tree ensembles

    private static func treeEnsemble(
        _ attributes: Attributes, isClassifier: Bool, width: Int?, floatInputs: Bool
    ) throws(ModelError) -> (Learner, String) {
        let op = isClassifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor"
        let transform = try attributes.string("post_transform") ?? "NONE"
        let output: GradientBoostedTrees.Output
        var averaged = false
        let votePrefix = isClassifier ? "class" : "target"
        if isClassifier {
            let classes = try attributes.classCount(ints: "classlabels_int64s", strings: "classlabels_strings")
            guard classes == 2 else {
                throw ModelError(.unsupportedModel, "\(op) has \(classes) classes; Sentinel imports binary classifiers")
            }
            switch transform {
            case "NONE": output = .probability
            case "LOGISTIC": output = .logOdds
            default:
                throw ModelError(
                    .unsupportedModel,
                    "\(op) post_transform \(transform) is not supported; Sentinel imports NONE and LOGISTIC")
            }
        } else {
            let targets = try attributes.int("n_targets") ?? 1
            guard targets == 1 else {
                throw ModelError(.unsupportedModel, "\(op) has \(targets) targets; Sentinel imports one")
            }
            guard transform == "NONE" else {
                throw ModelError(
                    .unsupportedModel, "\(op) post_transform \(transform) is not supported; Sentinel imports NONE")
            }
            let aggregate = try attributes.string("aggregate_function") ?? "SUM"
            guard ["SUM", "AVERAGE"].contains(aggregate) else {
                throw ModelError(
                    .unsupportedModel,
                    "\(op) aggregate_function \(aggregate) is not supported; Sentinel imports SUM and AVERAGE")
            }
            averaged = aggregate == "AVERAGE"
            output = .probability
        }

        let treeIDs = try attributes.ints("nodes_treeids") ?? []
        let nodeIDs = try attributes.ints("nodes_nodeids") ?? []
        let featureIDs = try attributes.ints("nodes_featureids") ?? []
        let modes = try attributes.strings("nodes_modes") ?? []
        let trueIDs = try attributes.ints("nodes_truenodeids") ?? []
        let falseIDs = try attributes.ints("nodes_falsenodeids") ?? []
        let tracksTrue = try attributes.ints("nodes_missing_value_tracks_true") ?? []
        let thresholds: [Double]
        if let tensor = try attributes.tensor("nodes_values_as_tensor") {
            guard !floatInputs else {
                throw ModelError(
                    .unsupportedModel, "\(op) has double thresholds (nodes_values_as_tensor) but float inputs")
            }
            thresholds = tensor
        } else {
            thresholds = (try attributes.floats("nodes_values") ?? []).map(Double.init)
        }
        let count = treeIDs.count
        guard count >= 1, nodeIDs.count == count, featureIDs.count == count, modes.count == count,
            trueIDs.count == count, falseIDs.count == count, thresholds.count == count,
            tracksTrue.isEmpty || tracksTrue.count == count
        else {
            throw ModelError(.inconsistent, "\(op)'s nodes_* attributes are empty or differ in length")
        }
        let voteTrees = try attributes.ints("\(votePrefix)_treeids") ?? []
        let voteNodes = try attributes.ints("\(votePrefix)_nodeids") ?? []
        let voteIDs = try attributes.ints("\(votePrefix)_ids") ?? []
        let voteWeights: [Double] =
            if let tensor = try attributes.tensor("\(votePrefix)_weights_as_tensor") {
                tensor
            } else {
                (try attributes.floats("\(votePrefix)_weights") ?? []).map(Double.init)
            }
        guard voteNodes.count == voteTrees.count, voteIDs.count == voteTrees.count,
            voteWeights.count == voteTrees.count
        else {
            throw ModelError(.inconsistent, "\(op)'s \(votePrefix)_* attributes differ in length")
        }
        if let other = voteIDs.first(where: { $0 != 0 }) {
            throw ModelError(
                .unsupportedModel,
                "\(op) votes for \(isClassifier ? "class" : "target") \(other); Sentinel imports "
                    + (isClassifier ? "skl2onnx's binary layout (every vote for class 0)" : "one target"))
        }
        let baseValues: [Double] =
            if let tensor = try attributes.tensor("base_values_as_tensor") {
                tensor
            } else {
                (try attributes.floats("base_values") ?? []).map(Double.init)
            }
        guard baseValues.count <= 1, baseValues.allSatisfy(\.isFinite) else {
            throw ModelError(
                .unsupportedModel, "\(op) has \(baseValues.count) base values; Sentinel imports at most one")
        }

        // Nodes by tree, then by node id; votes summed per leaf.
        var treeOrder: [Int64] = []
        var nodesByTree: [Int64: [Int64: Int]] = [:]
        for index in 0..<count {
            let tree = treeIDs[index]
            if nodesByTree[tree] == nil {
                treeOrder.append(tree)
                nodesByTree[tree] = [:]
            }
            guard nodesByTree[tree]?.updateValue(index, forKey: nodeIDs[index]) == nil else {
                throw ModelError(.inconsistent, "tree \(tree) has node \(nodeIDs[index]) twice")
            }
        }
        var leafValues: [Int: Double] = [:]
        for vote in 0..<voteTrees.count {
            guard let index = nodesByTree[voteTrees[vote]]?[voteNodes[vote]] else {
                throw ModelError(
                    .inconsistent, "a vote names node \(voteNodes[vote]) of tree \(voteTrees[vote]), which is absent")
            }
            leafValues[index, default: 0] += voteWeights[vote]
        }
        let featureCount = width ?? (Int(featureIDs.max() ?? 0) + 1)
        let scale = averaged ? 1 / Double(treeOrder.count) : 1
        var trees: [RegressionTree] = []
        trees.reserveCapacity(treeOrder.count)
        for tree in treeOrder {
            let byID = nodesByTree[tree] ?? [:]
            // Local node order: the file's, so that the root (node id 0) can be found and children addressed.
            let members = byID.values.sorted()
            var local: [Int: Int] = [:]
            for (position, index) in members.enumerated() { local[index] = position }
            var nodes: [ImportedTree.Node] = []
            nodes.reserveCapacity(members.count)
            for index in members {
                let mode = modes[index]
                if mode == "LEAF" {
                    nodes.append(.leaf((leafValues[index] ?? 0) * scale))
                    continue
                }
                guard let trueIndex = byID[trueIDs[index]].flatMap({ local[$0] }),
                    let falseIndex = byID[falseIDs[index]].flatMap({ local[$0] })
                else {
                    throw ModelError(
                        .inconsistent, "tree \(tree) node \(nodeIDs[index]) has a child that is not in the tree")
                }
                let missingTrue = !tracksTrue.isEmpty && tracksTrue[index] != 0
                let split = try split(
                    mode: mode, threshold: thresholds[index], floatInputs: floatInputs, op: op, tree: tree,
                    node: nodeIDs[index])
                guard featureIDs[index] >= 0, featureIDs[index] < Int64(Int32.max) else {
                    throw ModelError(.inconsistent, "tree \(tree) node \(nodeIDs[index]) tests a negative input")
                }
                // Sentinel sends x <= threshold left: the true branch for <, <=; the false branch for >, >=.
                nodes.append(
                    .split(
                        feature: Int(featureIDs[index]), threshold: split.threshold,
                        missingGoesLeft: split.trueIsLeft ? missingTrue : !missingTrue,
                        left: split.trueIsLeft ? trueIndex : falseIndex,
                        right: split.trueIsLeft ? falseIndex : trueIndex))
            }
            guard let root = byID[0].flatMap({ local[$0] }) else {
                throw ModelError(.inconsistent, "tree \(tree) has no node 0 (its root)")
            }
            do {
                trees.append(try ImportedTree(nodes: nodes, root: root).regressionTree(featureCount: featureCount))
            } catch {
                throw ModelError(error.code, "tree \(tree): \(error.message)")
            }
        }
        let forest: GradientBoostedTrees
        do {
            forest = try GradientBoostedTrees(
                featureCount: featureCount, baseScore: baseValues.first ?? 0, trees: trees, parameters: nil,
                output: output)
        } catch {
            throw ModelError(.inconsistent, error.message)
        }
        let modeNames = Set(modes).subtracting(["LEAF"]).sorted().joined(separator: "/")
        var description = "\(trees.count) trees, \(modeNames), post_transform \(transform)"
        if !isClassifier { description += averaged ? ", AVERAGE" : ", SUM" }
        return (.gradientBoosting(forest), description)
    }

    /// A split rule as a Sentinel threshold: `x <= threshold` takes the branch `trueIsLeft` says.
    private static func split(
        mode: String, threshold: Double, floatInputs: Bool, op: String, tree: Int64, node: Int64
    ) throws(ModelError) -> (threshold: Double, trueIsLeft: Bool) {
        guard threshold.isFinite, !floatInputs || Float(threshold).isFinite else {
            throw ModelError(.inconsistent, "tree \(tree) node \(node) has a non-finite threshold")
        }
        // On Double inputs the comparison is the Double one; on Float inputs the exact Double bound of the Float one.
        let lessThan = floatInputs ? FloatComparison.threshold(lessThan: Float(threshold)) : threshold.nextDown
        let lessThanOrEqual =
            floatInputs ? FloatComparison.threshold(lessThanOrEqual: Float(threshold)) : threshold
        switch mode {
        case "BRANCH_LEQ": return (lessThanOrEqual, true)
        case "BRANCH_LT": return (lessThan, true)
        case "BRANCH_GT": return (lessThanOrEqual, false)
        case "BRANCH_GTE": return (lessThan, false)
        default:
            throw ModelError(
                .unsupportedModel,
                "\(op) node mode \(mode) (tree \(tree) node \(node)) is not supported; Sentinel imports BRANCH_LEQ, "
                    + "BRANCH_LT, BRANCH_GTE, BRANCH_GT and LEAF")
        }
    }
}

/// A node's attributes, read by expected kind: a present attribute of another kind is an error naming it.
private struct Attributes {
    let node: ONNXGraph.Node

    private func mismatch(_ name: String, _ expected: String) -> ModelError {
        ModelError(.inconsistent, "\(node.operatorType) attribute \(name) is not \(expected)")
    }

    func int(_ name: String) throws(ModelError) -> Int64? {
        guard let value = node.attributes[name] else { return nil }
        guard case .int(let int) = value else { throw mismatch(name, "an integer") }
        return int
    }

    func string(_ name: String) throws(ModelError) -> String? {
        guard let value = node.attributes[name] else { return nil }
        guard case .string(let string) = value else { throw mismatch(name, "a string") }
        return string
    }

    func ints(_ name: String) throws(ModelError) -> [Int64]? {
        guard let value = node.attributes[name] else { return nil }
        guard case .ints(let ints) = value else { throw mismatch(name, "a list of integers") }
        return ints
    }

    func floats(_ name: String) throws(ModelError) -> [Float]? {
        guard let value = node.attributes[name] else { return nil }
        guard case .floats(let floats) = value else { throw mismatch(name, "a list of floats") }
        return floats
    }

    func strings(_ name: String) throws(ModelError) -> [String]? {
        guard let value = node.attributes[name] else { return nil }
        guard case .strings(let strings) = value else { throw mismatch(name, "a list of strings") }
        return strings
    }

    func tensor(_ name: String) throws(ModelError) -> [Double]? {
        guard let value = node.attributes[name] else { return nil }
        guard case .tensor(let values) = value else { throw mismatch(name, "a tensor") }
        return values
    }

    /// The number of class labels, from whichever of the two label attributes the node has.
    func classCount(ints: String, strings: String) throws(ModelError) -> Int {
        if let labels = try self.ints(ints) { return labels.count }
        if let labels = try self.strings(strings) { return labels.count }
        throw ModelError(.inconsistent, "\(node.operatorType) has neither \(ints) nor \(strings)")
    }
}
