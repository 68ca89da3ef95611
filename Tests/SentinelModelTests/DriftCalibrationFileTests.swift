import SentinelData
import SentinelDrift
import SentinelModel
import Testing

@Suite("Drift thresholds in the model file")
struct DriftCalibrationFileTests {
    @Test("training calibrates every input and the score from time-ordered chunks; the file round-trips")
    func trainedModelsAreCalibrated() throws {
        let dataset = ModelFixtures.dataset()
        let artifact = try ModelTrainer.train(
            dataset: dataset,
            configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression()), driftChunkRows: 60))
        for profile in artifact.reference.features + [artifact.reference.score] {
            let calibration = try #require(profile.calibration, "\(profile.name)")
            #expect(calibration.chunks == dataset.rowCount / 60 && calibration.chunkRows == 60)
            #expect(calibration.warn >= 0.1 && calibration.alert >= 0.25 && calibration.warn <= calibration.alert)
        }
        let file = try ModelFile(artifact: artifact)
        #expect(try ModelFile(decoding: file.encoded()).artifact == artifact)
    }

    @Test(
        "a file without calibration (written before it existed, or stripped) loads, byte for byte, and means defaults")
    func uncalibratedFilesLoad() throws {
        var artifact = try ModelFixtures.logisticArtifact()
        for index in artifact.reference.features.indices { artifact.reference.features[index].calibration = nil }
        artifact.reference.score.calibration = nil
        let bytes = try ModelFile(artifact: artifact).encoded()
        #expect(!String(decoding: bytes, as: UTF8.self).contains("calibration"))
        let loaded = try ModelFile(decoding: bytes)
        #expect(loaded.artifact.reference.features.allSatisfy { $0.calibration == nil })
        #expect(loaded.encoded() == bytes)
    }

    @Test("a calibration out of range is refused when the file is written")
    func badCalibration() throws {
        var artifact = try ModelFixtures.logisticArtifact()
        artifact.reference.features[0].calibration = DriftCalibration(
            metric: .psi, warn: 0.5, alert: 0.2, chunks: 10, chunkRows: 60, mean: 0.1, standardDeviation: 0.1)
        #expect(throws: ModelError.self) { try ModelFile(artifact: artifact) }
    }
}
