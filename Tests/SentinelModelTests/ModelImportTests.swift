import Foundation
import SentinelData
import SentinelDrift
import SentinelTestSupport
import Testing

@testable import SentinelModel

/// Scores every fixture row with an imported model and compares with the library's own probabilities.
private func expectSameScores(
    _ learner: Learner, column: String, tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation
) throws -> (rows: Int, missingRows: Int) {
    let rows = ImportFixtures.rows
    let expected = ImportFixtures.expected(column)
    let batch = learner.scores(features: rows.features, rows: 0..<rows.rowCount)
    var compared = 0
    var missingRows = 0
    var worst = 0.0
    for row in 0..<rows.rowCount where !expected[row].isNaN {
        let input = rows.features.map { $0[row] }
        let single = input.withUnsafeBufferPointer { learner.probability(of: $0) }
        #expect(single == batch[row], "row \(row): one row and a batch differ", sourceLocation: sourceLocation)
        worst = max(worst, abs(batch[row] - expected[row]))
        compared += 1
        if input.contains(where: \.isNaN) { missingRows += 1 }
    }
    #expect(worst <= tolerance, "\(column): largest difference \(worst)", sourceLocation: sourceLocation)
    return (compared, missingRows)
}

@Suite("Model import")
struct ModelImportTests {
    @Test("XGBoost JSON: every row within 1e-6 of predict_proba, rows with missing inputs included")
    func xgboost() throws {
        let model = try ModelImporter.read(ImportFixtures.bytes("xgboost.json"), format: nil)
        #expect(model.featureNames == (1...28).map { "V\($0)" } + ["Amount"])
        #expect(model.library == "xgboost 3.2.0")
        guard case .gradientBoosting(let forest) = model.learner else {
            Issue.record("not trees")
            return
        }
        #expect(forest.trees.count == 20)
        #expect(forest.parameters == nil)
        let (rows, missing) = try expectSameScores(model.learner, column: "xgboost")
        #expect(rows == 500)
        #expect(missing > 100)
    }

    @Test("LightGBM text: every row within 1e-6 of predict_proba, missing types NaN and Zero")
    func lightgbm() throws {
        for (file, column) in [("lightgbm.txt", "lightgbm"), ("lightgbm-zero.txt", "lightgbm_zero")] {
            let model = try ModelImporter.read(ImportFixtures.bytes(file), format: .lightGBMText)
            #expect(model.featureNames?.count == 29)
            let (rows, missing) = try expectSameScores(model.learner, column: column)
            #expect(rows == 500)
            #expect(missing > 100)
        }
    }

    @Test("Float comparisons become exact Double thresholds", arguments: [Float(0.1), 1, -3.985626, 1e-30, 0, 7e5])
    func floatThresholds(t: Float) {
        let lt = FloatComparison.threshold(lessThan: t)
        #expect(Float(lt) < t)
        #expect(!(Float(lt.nextUp) < t))
        let le = FloatComparison.threshold(lessThanOrEqual: t)
        #expect(Float(le) <= t)
        #expect(!(Float(le.nextUp) <= t))
    }

    @Test("an imported model becomes a version 2 model file that reads back with its source")
    func artifact() throws {
        let bytes = ImportFixtures.bytes("xgboost.json")
        let model = try ModelImporter.read(bytes, format: nil)
        let source = ModelImporter.source(of: bytes, format: .xgboostJSON, model: model, path: "/x/xgboost.json")
        #expect(source.sourceFile == "xgboost.json")
        #expect(source.sourceSHA256 == SHA256.hex(SHA256.hash(bytes)))
        let artifact = try ModelImporter.makeArtifact(
            model, source: source, reference: CommittedSample.dataset, configuration: ImportConfiguration())
        #expect(artifact.thresholdRule == .maximumReferenceF1)
        #expect(artifact.training.rows == 1500)
        #expect(artifact.training.validationRows == 300)
        #expect(artifact.reference.features.count == 29)
        let file = try ModelFile(artifact: artifact)
        let text = String(decoding: file.encoded(), as: UTF8.self)
        #expect(text.contains("\"format_version\" : 2,"))
        let loaded = try ModelFile(decoding: file.encoded())
        #expect(loaded.artifact == artifact)
        #expect(loaded.artifact.training.algorithm.source == source)
        // A version 1 envelope around an imported body is refused: an older reader would misread it.
        let downgraded = text.replacingOccurrences(of: "\"format_version\" : 2,", with: "\"format_version\" : 1,")
        #expect(throws: ModelError.self) { try ModelFile(decoding: Array(downgraded.utf8)) }

        let given = try ModelImporter.makeArtifact(
            model, source: source, reference: CommittedSample.dataset,
            configuration: ImportConfiguration(threshold: 0.25))
        #expect(given.threshold == 0.25)
        #expect(given.thresholdRule == .given)
    }

    @Test("a native model still writes format version 1")
    func nativeVersion() throws {
        let text = String(decoding: try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded(), as: UTF8.self)
        #expect(text.contains("\"format_version\" : 1,"))
    }

    @Test("bad source files get their own code and a message naming the problem")
    func badInput() throws {
        func code(_ bytes: [UInt8], _ format: ImportFormat? = nil) -> (ModelError.Code?, String) {
            do {
                _ = try ModelImporter.read(bytes, format: format)
                return (nil, "")
            } catch let error as ModelError {
                return (error.code, error.message)
            } catch {
                return (nil, "\(error)")
            }
        }
        let xgb = ImportFixtures.bytes("xgboost.json")
        let lgb = ImportFixtures.bytes("lightgbm.txt")
        #expect(code([]).0 == .truncated)
        #expect(code(Array(xgb.prefix(xgb.count / 2))).0 == .truncated)
        #expect(code(Array(lgb.prefix(lgb.count / 2))).0 == .truncated)
        #expect(code(Array("TRANSACTION_ID,TX_AMOUNT\n1,2\n".utf8)).0 == .unsupportedFormat)
        #expect(code(Array("{\"hello\": 1}".utf8)).0 == .unsupportedFormat)
        var corrupted = xgb
        corrupted[xgb.count / 2] = UInt8(ascii: "\"")
        #expect([.corrupted, .unsupportedFormat].contains(code(corrupted).0))

        let text = String(decoding: xgb, as: UTF8.self)
        let ranking = code(Array(text.replacingOccurrences(of: "binary:logistic", with: "rank:pairwise").utf8))
        #expect(ranking.0 == .unsupportedModel)
        #expect(ranking.1.contains("rank:pairwise"))
        let categorical = code(
            Array(text.replacingOccurrences(of: "\"split_type\":[0,", with: "\"split_type\":[1,").utf8))
        #expect(categorical.0 == .unsupportedModel)
        #expect(categorical.1.contains("categorical"))

        let lightText = String(decoding: lgb, as: UTF8.self)
        let regression = code(
            Array(lightText.replacingOccurrences(of: "objective=binary", with: "objective=regression").utf8))
        #expect(regression.0 == .unsupportedModel)
        let linear = code(Array(lightText.replacingOccurrences(of: "is_linear=0", with: "is_linear=1").utf8))
        #expect(linear.0 == .unsupportedModel)
        #expect(linear.1.contains("linear"))
        let lightCategorical = code(
            Array(lightText.replacingOccurrences(of: "decision_type=8 8", with: "decision_type=9 8").utf8))
        #expect(lightCategorical.0 == .unsupportedModel)
        #expect(lightCategorical.1.contains("categorical"))
    }
}
