import SentinelData
import SentinelModel
import SentinelONNX
import SentinelTestSupport
import Testing

/// The largest difference between a learner's probabilities and a fixture column, over the rows the column has a
/// value for; also checks that one row and a batch give the same bits.
private func largestDifference(_ learner: Learner, column: String, completeRowsOnly: Bool = false) -> (
    difference: Double, rows: Int, missingRows: Int
) {
    let rows = ImportFixtures.rows
    let expected = ImportFixtures.expected(column)
    let batch = learner.scores(features: rows.features, rows: 0..<rows.rowCount)
    var worst = 0.0
    var compared = 0
    var missingRows = 0
    for row in 0..<rows.rowCount where !expected[row].isNaN {
        let input = rows.features.map { $0[row] }
        if completeRowsOnly, input.contains(where: \.isNaN) { continue }
        let single = input.withUnsafeBufferPointer { learner.probability(of: $0) }
        #expect(single == batch[row], "row \(row): one row and a batch differ")
        worst = max(worst, abs(batch[row] - expected[row]))
        compared += 1
        if input.contains(where: \.isNaN) { missingRows += 1 }
    }
    return (worst, compared, missingRows)
}

private func read(_ bytes: [UInt8], format: ImportFormat? = nil) throws -> ImportedModel {
    try ModelImporter.read(bytes, format: format, decodeONNX: ONNXDecoder.decode)
}

/// Reads a fixture's graph after `change` edits it, as a file with that graph would read.
private func readChanged(_ fixture: String, _ change: (inout ONNXGraph) -> Void) -> (ModelError.Code?, String) {
    do {
        var graph = try ONNXDecoder.decode(ImportFixtures.bytes(fixture))
        change(&graph)
        let edited = graph
        _ = try ModelImporter.read(ImportFixtures.bytes(fixture), format: .onnx) { _ in edited }
        return (nil, "")
    } catch let error as ModelError {
        return (error.code, error.message)
    } catch {
        return (nil, "\(error)")
    }
}

@Suite("ONNX import")
struct ONNXImportTests {
    @Test("the decoder reads skl2onnx's graph: producer, one float input of 29 columns, the operator's attributes")
    func decode() throws {
        let graph = try ONNXDecoder.decode(ImportFixtures.bytes("forest.onnx"))
        #expect(graph.producerName == "skl2onnx")
        #expect(graph.producerVersion == "1.20.0")
        #expect(graph.operatorSets["ai.onnx.ml"] == 1)
        #expect(graph.inputs == [ONNXGraph.Value(name: "X", elementType: 1, shape: [nil, 29])])
        #expect(graph.nodes.map(\.operatorType) == ["TreeEnsembleClassifier"])
        let node = try #require(graph.nodes.first)
        #expect(node.domain == "ai.onnx.ml")
        #expect(node.attributes["post_transform"] == .string("NONE"))
        #expect(node.attributes["classlabels_int64s"] == .ints([0, 1]))
        guard case .strings(let modes) = node.attributes["nodes_modes"] else {
            Issue.record("nodes_modes is not a list of strings")
            return
        }
        #expect(Set(modes) == ["BRANCH_LEQ", "LEAF"])
    }

    @Test("random forest: every row, missing inputs included, within 1e-6 of ONNX Runtime")
    func forest() throws {
        let bytes = ImportFixtures.bytes("forest.onnx")
        #expect(ImportFormat.detect(bytes) == .onnx)
        let model = try read(bytes)
        #expect(model.library == "skl2onnx 1.20.0")
        #expect(model.featureNames == nil)
        #expect(model.model.hasPrefix("TreeEnsembleClassifier, 10 trees"))
        guard case .gradientBoosting(let forest) = model.learner else {
            Issue.record("not trees")
            return
        }
        #expect(forest.output == .probability)
        #expect(forest.trees.count == 10)
        let onnx = largestDifference(model.learner, column: "forest_onnx")
        #expect(onnx.difference <= 1e-6, "largest difference from onnxruntime \(onnx.difference)")
        #expect(onnx.rows == 500)
        #expect(onnx.missingRows > 100)
        // scikit-learn itself, on the rows it scores (complete ones): its float64 thresholds are float32 in ONNX.
        let sklearn = largestDifference(model.learner, column: "forest_sklearn")
        #expect(sklearn.difference <= 1e-6, "largest difference from predict_proba \(sklearn.difference)")
    }

    @Test(
        "extra trees and gradient boosting (ZipMap and Cast after it): every row within 1e-6 of ONNX Runtime",
        arguments: [
            ("extra-trees.onnx", "extra_trees", 10, GradientBoostedTrees.Output.probability),
            ("boosting.onnx", "boosting", 20, .logOdds),
        ])
    func ensembles(file: String, column: String, trees: Int, output: GradientBoostedTrees.Output) throws {
        let model = try read(ImportFixtures.bytes(file))
        guard case .gradientBoosting(let forest) = model.learner else {
            Issue.record("not trees")
            return
        }
        #expect(forest.output == output)
        #expect(forest.trees.count == trees)
        let onnx = largestDifference(model.learner, column: "\(column)_onnx")
        #expect(onnx.difference <= 1e-6, "largest difference from onnxruntime \(onnx.difference)")
        #expect(onnx.rows == 500)
        #expect(onnx.missingRows > 100)
        let sklearn = largestDifference(model.learner, column: "\(column)_sklearn")
        #expect(sklearn.difference <= 1e-6, "largest difference from predict_proba \(sklearn.difference)")
    }

    @Test("logistic regression: every complete row within 1e-6 of ONNX Runtime and of predict_proba")
    func logistic() throws {
        let model = try read(ImportFixtures.bytes("logistic.onnx"), format: .onnx)
        guard case .logistic(let logistic) = model.learner else {
            Issue.record("not a logistic model")
            return
        }
        #expect(logistic.featureCount == 29)
        for column in ["logistic_onnx", "logistic_sklearn"] {
            let result = largestDifference(model.learner, column: column, completeRowsOnly: true)
            #expect(result.difference <= 1e-6, "\(column): largest difference \(result.difference)")
            #expect(result.rows > 100)
        }
    }

    @Test("split modes and missing-value tracking take ONNX Runtime's branch on float inputs")
    func splitModes() throws {
        // One tree: node 0 tests input 0 against 0.1 (a Float), true → leaf 1 (0.9), false → leaf 2 (0.2).
        func model(mode: String, tracksTrue: Int64) throws -> Learner {
            let node = ONNXGraph.Node(
                operatorType: "TreeEnsembleClassifier", domain: "ai.onnx.ml", name: "", inputs: ["X"],
                outputs: ["label", "probabilities"],
                attributes: [
                    "classlabels_int64s": .ints([0, 1]), "post_transform": .string("NONE"),
                    "nodes_treeids": .ints([0, 0, 0]), "nodes_nodeids": .ints([0, 1, 2]),
                    "nodes_featureids": .ints([0, 0, 0]), "nodes_modes": .strings([mode, "LEAF", "LEAF"]),
                    "nodes_values": .floats([0.1, 0, 0]), "nodes_truenodeids": .ints([1, 0, 0]),
                    "nodes_falsenodeids": .ints([2, 0, 0]),
                    "nodes_missing_value_tracks_true": .ints([tracksTrue, 0, 0]),
                    "class_treeids": .ints([0, 0]), "class_nodeids": .ints([1, 2]), "class_ids": .ints([0, 0]),
                    "class_weights": .floats([0.9, 0.2]),
                ])
            let graph = ONNXGraph(
                producerName: "test", producerVersion: "", operatorSets: ["ai.onnx.ml": 1],
                inputs: [ONNXGraph.Value(name: "X", elementType: 1, shape: [nil, 1])], outputs: [], initializers: [],
                nodes: [node])
            return try ModelImporter.read([0x08, 0x01], format: .onnx) { _ in graph }.learner
        }
        let t = Float(0.1)
        let inputs = [Double(t.nextDown), Double(t), 0.1, Double(t.nextUp), -.infinity, .infinity, .nan]
        for mode in ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT"] {
            for tracks: Int64 in [0, 1] {
                let learner = try model(mode: mode, tracksTrue: tracks)
                for x in inputs {
                    let f = Float(x)
                    let taken: Bool
                    switch mode {
                    case "BRANCH_LEQ": taken = f <= t
                    case "BRANCH_LT": taken = f < t
                    case "BRANCH_GTE": taken = f >= t
                    default: taken = f > t
                    }
                    let expected = (taken || (x.isNaN && tracks == 1)) ? Double(Float(0.9)) : Double(Float(0.2))
                    let p = [x].withUnsafeBufferPointer { learner.probability(of: $0) }
                    #expect(p == expected, "\(mode) tracks \(tracks) x \(x)")
                }
            }
        }
        #expect(throws: ModelError.self) { try model(mode: "BRANCH_EQ", tracksTrue: 0) }
    }

    @Test("TreeEnsembleRegressor: SUM and AVERAGE of the votes plus the base value, clamped to [0, 1]")
    func regressor() throws {
        // Two stumps on input 0 at 0.5 (BRANCH_LEQ): tree 0 votes 0.2 / 0.6, tree 1 votes 0.4 / 1.0; base 0.1.
        func learner(aggregate: String) throws -> Learner {
            let node = ONNXGraph.Node(
                operatorType: "TreeEnsembleRegressor", domain: "ai.onnx.ml", name: "", inputs: ["X"],
                outputs: ["variable"],
                attributes: [
                    "n_targets": .int(1), "post_transform": .string("NONE"),
                    "aggregate_function": .string(aggregate), "base_values": .floats([0.1]),
                    "nodes_treeids": .ints([0, 0, 0, 1, 1, 1]), "nodes_nodeids": .ints([0, 1, 2, 0, 1, 2]),
                    "nodes_featureids": .ints([0, 0, 0, 0, 0, 0]),
                    "nodes_modes": .strings(["BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"]),
                    "nodes_values": .floats([0.5, 0, 0, 0.5, 0, 0]), "nodes_truenodeids": .ints([1, 0, 0, 1, 0, 0]),
                    "nodes_falsenodeids": .ints([2, 0, 0, 2, 0, 0]),
                    "target_treeids": .ints([0, 0, 1, 1]), "target_nodeids": .ints([1, 2, 1, 2]),
                    "target_ids": .ints([0, 0, 0, 0]), "target_weights": .floats([0.2, 0.6, 0.4, 1.0]),
                ])
            let graph = ONNXGraph(
                producerName: "test", producerVersion: "", operatorSets: ["ai.onnx.ml": 3],
                inputs: [ONNXGraph.Value(name: "X", elementType: 1, shape: [nil, 1])], outputs: [], initializers: [],
                nodes: [node])
            return try ModelImporter.read([0x08, 0x01], format: .onnx) { _ in graph }.learner
        }
        func score(_ learner: Learner, _ x: Double) -> Double {
            [x].withUnsafeBufferPointer { learner.probability(of: $0) }
        }
        let sum = try learner(aggregate: "SUM")
        #expect(abs(score(sum, 0) - (0.1 + 0.2 + 0.4)) < 1e-7)
        #expect(score(sum, 1) == 1)  // 0.1 + 0.6 + 1.0, clamped
        let average = try learner(aggregate: "AVERAGE")
        #expect(abs(score(average, 0) - (0.1 + 0.3)) < 1e-7)
        #expect(abs(score(average, 1) - (0.1 + 0.8)) < 1e-7)
        #expect(throws: ModelError.self) { try learner(aggregate: "MAX") }
    }

    @Test("ZipMap, Cast and Identity around the model are ignored; any other operator is refused by name")
    func operators() throws {
        let zipped = readChanged("forest.onnx") { graph in
            graph.nodes.append(
                ONNXGraph.Node(
                    operatorType: "ZipMap", domain: "ai.onnx.ml", name: "", inputs: ["probabilities"],
                    outputs: ["output_probability"], attributes: ["classlabels_int64s": .ints([0, 1])]))
            graph.nodes.append(
                ONNXGraph.Node(
                    operatorType: "Cast", domain: "", name: "", inputs: ["label"], outputs: ["output_label"],
                    attributes: ["to": .int(7)]))
        }
        #expect(zipped.0 == nil, "\(zipped.1)")
        let identity = readChanged("forest.onnx") { graph in
            graph.nodes[0].inputs = ["X1"]
            graph.nodes.insert(
                ONNXGraph.Node(
                    operatorType: "Identity", domain: "", name: "", inputs: ["X"], outputs: ["X1"], attributes: [:]),
                at: 0)
        }
        #expect(identity.0 == nil, "\(identity.1)")
        let scaled = readChanged("logistic.onnx") { graph in
            graph.nodes[0].inputs = ["scaled"]
            graph.nodes.insert(
                ONNXGraph.Node(
                    operatorType: "Scaler", domain: "ai.onnx.ml", name: "", inputs: ["X"], outputs: ["scaled"],
                    attributes: [:]),
                at: 0)
        }
        #expect(scaled.0 == .unsupportedModel)
        #expect(scaled.1.contains("operator Scaler (ai.onnx.ml) is not supported"))
    }

    @Test(
        "unsupported attribute values are refused, naming them",
        arguments: [
            ("post_transform", ONNXGraph.Attribute.string("SOFTMAX"), "post_transform SOFTMAX"),
            ("classlabels_int64s", .ints([0, 1, 2]), "3 classes"),
            ("class_ids", .ints(Array(repeating: 1, count: 145)), "votes for class 1"),
            ("base_values", .floats([0, 0]), "2 base values"),
            ("nodes_values", .floats([1]), "differ in length"),
            ("nodes_modes", .ints([1]), "nodes_modes is not a list of strings"),
        ])
    func attributes(name: String, value: ONNXGraph.Attribute, reason: String) {
        let (code, message) = readChanged("forest.onnx") { $0.nodes[0].attributes[name] = value }
        #expect(code == .unsupportedModel || code == .inconsistent)
        #expect(message.contains(reason), "\(message)")
    }

    @Test("a branch mode other than the four comparisons is refused, naming it")
    func branchMode() {
        let (code, message) = readChanged("forest.onnx") { graph in
            guard case .strings(var modes) = graph.nodes[0].attributes["nodes_modes"] else { return }
            modes[0] = "BRANCH_NEQ"
            graph.nodes[0].attributes["nodes_modes"] = .strings(modes)
        }
        #expect(code == .unsupportedModel)
        #expect(message.contains("node mode BRANCH_NEQ"), "\(message)")
    }

    @Test("cut short, foreign or empty files get a code and a message")
    func badFiles() {
        func code(_ bytes: [UInt8], _ format: ImportFormat? = .onnx) -> ModelError.Code? {
            do {
                _ = try read(bytes, format: format)
                return nil
            } catch let error as ModelError {
                return error.code
            } catch {
                return nil
            }
        }
        let forest = ImportFixtures.bytes("forest.onnx")
        #expect(code([]) == .truncated)
        #expect(code(Array(forest.prefix(forest.count / 2))) == .corrupted)
        #expect(code(Array(forest.prefix(forest.count - 3)), nil) == .corrupted)
        #expect(code(ImportFixtures.bytes("xgboost.json")) != nil)
        // Over the size limit: refused before anything is unpacked.
        #expect(throws: ModelError.self) { try ONNXDecoder.decode(forest, limit: forest.count - 1) }
        #expect((try? ONNXDecoder.decode(forest, limit: forest.count)) != nil)
        // A valid protobuf message that is not a model: field 1 only.
        #expect(code([0x08, 0x05]) == .unsupportedFormat)
        // Without a decoder, ONNX is refused rather than misread.
        #expect(throws: ModelError.self) { try ModelImporter.read(forest, format: nil) }
    }
}
