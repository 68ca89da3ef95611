import Foundation

/// Reads XGBoost's JSON model format (`Booster.save_model("model.json")`) into boosted trees that score exactly as
/// XGBoost's `predict_proba` does.
///
/// - Objective `binary:logistic` (or `reg:logistic`): the probability is the logistic function of the margin.
/// - `base_score` is stored in probability space; the margin starts from its logit, computed in `Float` as XGBoost
///   does (`-log(1/b - 1)`).
/// - A split sends a row left when `Float(x) < split_condition` (XGBoost compares 32-bit inputs with 32-bit
///   thresholds), which becomes the exact `Double` threshold of ``FloatComparison/threshold(lessThan:)``; a missing
///   input follows `default_left`.
/// - Leaf values are the `Float` values the file holds; the sum is taken in `Double` (XGBoost sums in `Float`, a
///   difference below 1e-6 in probability).
/// - Refused: categorical splits, vector leaves, other objectives, the `dart` and `gblinear` boosters.
enum XGBoostModelReader {
    private struct File: Decodable {
        var version: [Int]?
        var learner: LearnerSection
    }

    private struct LearnerSection: Decodable {
        var featureNames: [String]?
        var learnerModelParam: ModelParameters
        var objective: Objective
        var gradientBooster: Booster

        enum CodingKeys: String, CodingKey {
            case featureNames = "feature_names"
            case learnerModelParam = "learner_model_param"
            case objective
            case gradientBooster = "gradient_booster"
        }
    }

    private struct ModelParameters: Decodable {
        var baseScore: String
        var numClass: String?
        var numFeature: String
        var numTarget: String?

        enum CodingKeys: String, CodingKey {
            case baseScore = "base_score"
            case numClass = "num_class"
            case numFeature = "num_feature"
            case numTarget = "num_target"
        }
    }

    private struct Objective: Decodable {
        var name: String
    }

    private struct Booster: Decodable {
        var name: String
        var model: BoosterModel?
    }

    private struct BoosterModel: Decodable {
        var trees: [Tree]
    }

    private struct Tree: Decodable {
        var leftChildren: [Int]
        var rightChildren: [Int]
        var splitIndices: [Int]
        var splitConditions: [Double]
        var defaultLeft: [Bool]
        var splitType: [Int]?
        var treeParam: [String: String]?

        enum CodingKeys: String, CodingKey {
            case leftChildren = "left_children"
            case rightChildren = "right_children"
            case splitIndices = "split_indices"
            case splitConditions = "split_conditions"
            case defaultLeft = "default_left"
            case splitType = "split_type"
            case treeParam = "tree_param"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            leftChildren = try container.decode([Int].self, forKey: .leftChildren)
            rightChildren = try container.decode([Int].self, forKey: .rightChildren)
            splitIndices = try container.decode([Int].self, forKey: .splitIndices)
            splitConditions = try container.decode([Double].self, forKey: .splitConditions)
            // Booleans in XGBoost 1.x, 0/1 in 2.x and later.
            if let flags = try? container.decode([Bool].self, forKey: .defaultLeft) {
                defaultLeft = flags
            } else {
                defaultLeft = try container.decode([Int].self, forKey: .defaultLeft).map { $0 != 0 }
            }
            splitType = try container.decodeIfPresent([Int].self, forKey: .splitType)
            treeParam = try container.decodeIfPresent([String: String].self, forKey: .treeParam)
        }
    }

    /// Decodes a model.
    /// - Parameter bytes: The JSON file's contents.
    /// - Returns: The learner, the input names the file records (nil when it records none) and a description.
    /// - Throws: ``ModelError``: `.truncated` or `.corrupted` for bytes that are not complete JSON,
    ///   `.unsupportedFormat` for JSON that is not an XGBoost model, `.unsupportedModel` for what cannot be imported
    ///   exactly, `.inconsistent` for parts that disagree.
    static func read(_ bytes: [UInt8]) throws -> ImportedModel {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            let last = bytes.last(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) })
            if last != UInt8(ascii: "}") {
                throw ModelError(.truncated, "the XGBoost JSON model is truncated (\(bytes.count) bytes)")
            }
            throw ModelError(.corrupted, "the XGBoost JSON model is not valid JSON")
        } catch {
            throw ModelError(
                .unsupportedFormat, "not an XGBoost JSON model (\(describe(error)))")
        }
        let learner = file.learner
        let objective = learner.objective.name
        guard ["binary:logistic", "reg:logistic"].contains(objective) else {
            throw ModelError(
                .unsupportedModel,
                "objective '\(objective)' is not supported; Sentinel imports binary:logistic (a probability of "
                    + "fraud)")
        }
        guard learner.gradientBooster.name == "gbtree", let model = learner.gradientBooster.model else {
            throw ModelError(
                .unsupportedModel,
                "booster '\(learner.gradientBooster.name)' is not supported; Sentinel imports gbtree models")
        }
        let parameters = learner.learnerModelParam
        guard Int(parameters.numClass ?? "0").map({ $0 <= 1 }) ?? false,
            Int(parameters.numTarget ?? "1") == 1
        else {
            throw ModelError(
                .unsupportedModel,
                "the model has num_class \(parameters.numClass ?? "?") and num_target \(parameters.numTarget ?? "?"); "
                    + "Sentinel imports binary classifiers with one output")
        }
        guard let featureCount = Int(parameters.numFeature), featureCount >= 1 else {
            throw ModelError(.inconsistent, "num_feature '\(parameters.numFeature)' is not a positive count")
        }
        // "5E-1" in XGBoost 1.x and 2.x, "[5E-1]" in 3.x.
        let baseText = parameters.baseScore.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        guard let base = Float(baseText), base > 0, base < 1 else {
            throw ModelError(
                .unsupportedModel,
                "base_score '\(parameters.baseScore)' is not one probability strictly between 0 and 1")
        }
        // XGBoost's ProbToMargin for the logistic objective, in Float.
        let margin: Float = -log(1 / base - 1)

        var trees: [RegressionTree] = []
        for (index, tree) in model.trees.enumerated() {
            do {
                trees.append(try regressionTree(tree, featureCount: featureCount))
            } catch {
                throw ModelError(error.code, "tree \(index): \(error.message)")
            }
        }
        let names = learner.featureNames.flatMap { $0.isEmpty ? nil : $0 }
        if let names, names.count != featureCount {
            throw ModelError(
                .inconsistent, "the model names \(names.count) inputs but num_feature is \(featureCount)")
        }
        let forest: GradientBoostedTrees
        do {
            forest = try GradientBoostedTrees(
                featureCount: featureCount, baseScore: Double(margin), trees: trees, parameters: nil)
        } catch {
            throw ModelError(.inconsistent, error.message)
        }
        return ImportedModel(
            learner: .gradientBoosting(forest), featureNames: names,
            library: file.version.map { "xgboost " + $0.map(String.init).joined(separator: ".") },
            model: "\(objective), \(trees.count) trees, base_score \(baseText)")
    }

    private static func regressionTree(_ tree: Tree, featureCount: Int) throws(ModelError) -> RegressionTree {
        let count = tree.leftChildren.count
        guard count >= 1, tree.rightChildren.count == count, tree.splitIndices.count == count,
            tree.splitConditions.count == count, tree.defaultLeft.count == count,
            tree.splitType.map({ $0.count == count }) ?? true
        else {
            throw ModelError(.inconsistent, "its node arrays are empty or differ in length")
        }
        if let leafSize = tree.treeParam?["size_leaf_vector"], let size = Int(leafSize), size > 1 {
            throw ModelError(.unsupportedModel, "vector leaves (size_leaf_vector \(size)) are not supported")
        }
        var nodes: [ImportedTree.Node] = []
        nodes.reserveCapacity(count)
        for node in 0..<count {
            let value = tree.splitConditions[node]
            if tree.leftChildren[node] == -1 {
                nodes.append(.leaf(Double(Float(value))))
                continue
            }
            if let types = tree.splitType, types[node] != 0 {
                throw ModelError(
                    .unsupportedModel,
                    "node \(node) is a categorical split; Sentinel imports numerical splits only (train with "
                        + "enable_categorical=False or one-hot inputs)")
            }
            let threshold = Float(value)
            guard threshold.isFinite else {
                throw ModelError(.inconsistent, "node \(node) has a non-finite split condition")
            }
            nodes.append(
                .split(
                    feature: tree.splitIndices[node], threshold: FloatComparison.threshold(lessThan: threshold),
                    missingGoesLeft: tree.defaultLeft[node], left: tree.leftChildren[node],
                    right: tree.rightChildren[node]))
        }
        return try ImportedTree(nodes: nodes).regressionTree(featureCount: featureCount)
    }

    /// A decoding error in a few words: the path of the missing or mistyped key.
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return
                "no '\(key.stringValue)' at \(path(context.codingPath).isEmpty ? "the top" : path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return "bad value at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }
}
