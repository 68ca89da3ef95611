import Foundation
import SentinelData
import SentinelDrift
import Testing

@testable import SentinelModel

@Suite("Model training pipeline")
struct ModelTrainerTests {
    @Test("holds out the latest 20 % by time, records the window, and profiles every input and the score")
    func pipeline() throws {
        let dataset = ModelFixtures.dataset()
        let artifact = try ModelFixtures.logisticArtifact()
        #expect(artifact.training.rows == 600)
        #expect(artifact.training.fitRows == 480)
        #expect(artifact.training.validationRows == 120)
        #expect(artifact.training.frauds == dataset.labels.count(where: { $0 == 1 }))
        #expect(artifact.training.firstDay == "2018-07-01")
        #expect(artifact.training.lastDay == "2018-07-10")
        #expect(artifact.featureNames == ["a", "b", "c"])
        #expect(artifact.reference.features.map(\.name) == ["a", "b", "c"])
        #expect(artifact.reference.score.name == "score")
        #expect(artifact.reference.features[2].binCount == 3)  // c takes 3 values
        #expect(abs(artifact.reference.features[1].missingFraction - 90.0 / 600.0) < 1e-12)
        #expect(artifact.thresholdRule == .maximumValidationF1)
        #expect(artifact.validation.confusion.f1 > 0.5)
        #expect((artifact.validation.averagePrecision ?? 0) > 0.6)

        // The final model is the optimum on the whole window.
        let whole = try LogisticRegression().fit(features: dataset.features, labels: dataset.labels)
        #expect(artifact.learner == .logistic(whole))
        // The threshold maximises F1 over the validation slice's scores.
        let validationModel = try LogisticRegression().fit(
            features: dataset.features, labels: dataset.labels, rows: Array(0..<480))
        let scores = try Evaluation.score(dataset: dataset, rows: Array(480..<600), model: validationModel)
        let labels = Array(dataset.labels[480..<600])
        let best = scores.map { t in
            (try? ConfusionMatrix(scores: scores, labels: labels, threshold: t).f1) ?? 0
        }.max()!
        #expect(abs(artifact.validation.confusion.f1 - best) < 1e-12)
    }

    @Test("the threshold rule: highest F1, the highest score on ties")
    func thresholdRule() {
        // Flag ≥ 0.9: TP 1, F1 = 2/(1+2) = 2/3. Flag ≥ 0.5: TP 2 of 3 flagged, F1 = 4/5. Flag ≥ 0.1: F1 = 4/6.
        let choice = ThresholdSelection.maximumF1(scores: [0.9, 0.5, 0.5, 0.1], labels: [1, 1, 0, 0])
        #expect(choice?.threshold == 0.5)
        #expect(abs((choice?.f1 ?? 0) - 0.8) < 1e-12)
        #expect(ThresholdSelection.maximumF1(scores: [0.5], labels: [0]) == nil)
        // Equal F1 at 0.8 (2/3) and at 0.6 (TP 2 of 4 flagged: 4/6): the higher score wins.
        let tie = ThresholdSelection.maximumF1(scores: [0.8, 0.6, 0.6, 0.6], labels: [1, 1, 0, 0])
        #expect(tie?.threshold == 0.8)
    }

    @Test("a window without frauds is rejected")
    func noFrauds() {
        var dataset = ModelFixtures.dataset()
        dataset.labels = dataset.labels.map { _ in 0 }
        #expect(throws: ModelError.self) {
            try ModelTrainer.train(
                dataset: dataset, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())))
        }
    }

    @Test("gradient boosting: early-stops on the slice, refits with the kept trees, byte-identical per seed")
    func gradientBoosting() throws {
        var parameters = GradientBoostingParameters()
        parameters.treeCount = 30
        parameters.threadCount = 1
        let configuration = TrainingConfiguration(algorithm: .gradientBoosting(parameters), seed: 7)
        let first = try ModelTrainer.train(dataset: ModelFixtures.dataset(), configuration: configuration)
        let second = try ModelTrainer.train(dataset: ModelFixtures.dataset(), configuration: configuration)
        guard case .gradientBoosting(let model) = first.learner else {
            Issue.record("expected a GBDT learner")
            return
        }
        #expect(model.trees.count == first.training.treesKept)
        if case .gradientBoosting(let recorded) = first.training.algorithm {
            #expect(recorded.seed == 7)
            #expect(recorded.treeCount == 30)
        } else {
            Issue.record("expected GBDT parameters")
        }
        #expect(try ModelFile(artifact: first).encoded() == ModelFile(artifact: second).encoded())
        let decoded = try ModelFile(decoding: ModelFile(artifact: first).encoded())
        #expect(decoded.artifact == first)
    }
}

@Suite("Model file")
struct ModelFileTests {
    @Test("round trip: decoding gives the same artifact, hash and version")
    func roundTrip() throws {
        let file = try ModelFile(artifact: ModelFixtures.logisticArtifact())
        let bytes = file.encoded()
        let decoded = try ModelFile(decoding: bytes)
        #expect(decoded.artifact == file.artifact)
        #expect(decoded.sha256 == file.sha256)
        #expect(decoded.modelVersion == String(file.sha256.prefix(12)))
        #expect(decoded.encoded() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format\" : \"sentinel-model\",\n  \"format_version\" : 1,\n"))
    }

    @Test("same data, same learner, same seed: byte-identical files")
    func reproducible() throws {
        let first = try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded()
        let second = try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded()
        #expect(first == second)
    }

    @Test("a truncated file is rejected as truncated", arguments: [1, 100, 1000, -1, -3])
    func truncated(cut: Int) throws {
        let bytes = try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded()
        let length = cut > 0 ? cut : bytes.count + cut
        #expect(throws: ModelError.self) { try ModelFile(decoding: Array(bytes.prefix(length))) }
        do {
            _ = try ModelFile(decoding: Array(bytes.prefix(length)))
        } catch let error as ModelError {
            #expect(error.code == .truncated || error.code == .corrupted, "\(error)")
            if cut > 0 { #expect(error.code == .truncated, "\(error)") }
        }
    }

    @Test("a changed byte in the body is caught by the hash")
    func corrupted() throws {
        var bytes = try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded()
        // Change the file's last digit 1–8, which lies in the body, without breaking the JSON.
        let index = bytes.indices.last { bytes[$0] >= UInt8(ascii: "1") && bytes[$0] <= UInt8(ascii: "8") }!
        bytes[index] += 1
        try expectCode(.corrupted, bytes)
        try expectCode(.truncated, [])
    }

    @Test("wrong format name or version is rejected with its own code")
    func wrongFormat() throws {
        let text = String(decoding: try ModelFile(artifact: ModelFixtures.logisticArtifact()).encoded(), as: UTF8.self)
        try expectCode(
            .unsupportedVersion,
            Array(text.replacingOccurrences(of: "\"format_version\" : 1,", with: "\"format_version\" : 3,").utf8))
        try expectCode(
            .unsupportedFormat,
            Array(text.replacingOccurrences(of: "\"sentinel-model\"", with: "\"other-model\"").utf8))
        try expectCode(.unsupportedFormat, Array("{\"hello\": 1}".utf8))
        try expectCode(.unsupportedFormat, Array("TRANSACTION_ID,TX_DATETIME\n".utf8))
    }

    @Test("a body whose parts disagree is rejected as inconsistent, even with a matching hash")
    func inconsistent() throws {
        var artifact = try ModelFixtures.logisticArtifact()
        artifact.featureNames = ["a", "b"]
        #expect(throws: ModelError.self) { try ModelFile(artifact: artifact) }
        // Write it anyway, bypassing the writer's check, with a correct hash.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let body = Array(try encoder.encode(artifact))
        let hash = SHA256.hex(SHA256.hash(body))
        let envelope =
            "{\n  \"format\" : \"sentinel-model\",\n  \"format_version\" : 1,\n  \"model_version\" : \"\(hash.prefix(12))\",\n"
            + "  \"sha256\" : \"\(hash)\",\n  \"body\" : "
        try expectCode(.inconsistent, Array(envelope.utf8) + body + Array("\n}\n".utf8))
    }

    @Test("validation catches out-of-range parts")
    func validation() throws {
        let good = try ModelFixtures.logisticArtifact()
        var badThreshold = good
        badThreshold.threshold = 1.5
        var badReference = good
        badReference.reference.features.removeLast()
        var badCounts = good
        badCounts.training.fitRows += 1
        var badWindow = good
        badWindow.training.firstDay = "2018-08-01"
        for artifact in [badThreshold, badReference, badCounts, badWindow] {
            #expect(throws: ModelError.self) { try artifact.validate() }
        }
        try good.validate()
    }

    @Test("files are written atomically and read back; a missing file is an I/O error")
    func files() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-\(UUID()).model").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ModelFile(artifact: ModelFixtures.logisticArtifact())
        try file.write(to: path)
        #expect(try ModelFile(contentsOf: path) == file)
        // The message says why in the system's words, not as a dump of Foundation's user-info dictionary.
        for (unreadable, reason) in [(path + ".missing", "No such file or directory"), ("/", "Is a directory")] {
            do {
                _ = try ModelFile(contentsOf: unreadable)
                Issue.record("expected an error")
            } catch let error as ModelError {
                #expect(error.code == .io)
                #expect(error.description == "i/o: cannot read model file \(unreadable): \(reason)")
            }
        }
    }

    private func expectCode(_ code: ModelError.Code, _ bytes: [UInt8]) throws {
        do {
            _ = try ModelFile(decoding: bytes)
            Issue.record("expected \(code)")
        } catch let error as ModelError {
            #expect(error.code == code, "\(error)")
        }
    }
}
