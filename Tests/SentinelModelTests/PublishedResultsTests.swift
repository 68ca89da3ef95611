import Foundation
import SentinelData
import Testing

@testable import SentinelModel

/// The Must-show checks against the published table in `Docs/Evaluation.md`, on the shared Handbook data.
@Suite(
    "Published results (Handbook data)",
    .enabled(
        if: SharedData.isAvailable, "needs ../shared/data/handbook-sim-transformed-dev.csv.gz (or SENTINEL_SHARED_DIR)"),
    .enabled(if: SharedData.runSlowTests, "slow (about a minute in a debug build): set SENTINEL_RUN_SLOW_TESTS=1"),
    .serialized
)
struct PublishedResultsTests {
    /// Loads 2018-07-25 .. 2018-08-14 once: the training week, the delay week and the test week.
    static let chapter3: Result<Dataset, any Error> = Result {
        try DatasetLoader.load(
            path: SharedData.handbookPath, options: LoadOptions(from: Day("2018-07-25"), to: Day("2018-08-14")))
    }

    @Test("logistic regression reproduces the published row: ROC AUC 0.871, AP 0.606, CP@100 0.291 (±0.002)")
    func logisticRegressionRow() throws {
        let data = try Self.chapter3.get()
        let trainingRows = try data.rowIndices(from: Day("2018-07-25"), to: Day("2018-07-31"))
        let training = data.selecting(rows: trainingRows)
        #expect(training.rowCount == 67_240)
        #expect(training.labels.count(where: { $0 == 1 }) == 598)
        let artifact = try ModelTrainer.train(
            dataset: training, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression())))
        let settings = try EvaluationSettings(
            trainingStart: Day("2018-07-25")!, testFrom: Day("2018-08-08")!, testTo: Day("2018-08-14")!, delayDays: 7)
        let report = try Evaluation.evaluate(
            dataset: data, model: artifact.learner, threshold: artifact.threshold, settings: settings)
        #expect(report.rows == 58_264)
        #expect(report.frauds == 385)
        #expect(abs(report.rocAUC - 0.871) <= 0.002, "ROC AUC \(report.rocAUC)")
        #expect(abs(report.averagePrecision - 0.606) <= 0.002, "AP \(report.averagePrecision)")
        #expect(abs(report.cardPrecision.mean - 0.291) <= 0.002, "CP@100 \(report.cardPrecision.mean)")
        print(
            "published-row: AUC \(report.rocAUC) AP \(report.averagePrecision) CP@100 \(report.cardPrecision.mean) "
                + "threshold \(artifact.threshold) F1 \(report.confusion.f1)")
    }

    @Test("all of July: known compromised cards counted from 07-01 leave 46,270 rows and 282 frauds")
    func julyTestSet() throws {
        let data = try DatasetLoader.load(
            path: SharedData.handbookPath, options: LoadOptions(from: Day("2018-07-01"), to: Day("2018-08-14")))
        let settings = try EvaluationSettings(
            trainingStart: Day("2018-07-01")!, testFrom: Day("2018-08-08")!, testTo: Day("2018-08-14")!)
        let selection = try TestSelection(dataset: data, settings: settings)
        #expect(selection.rows.count == 46_270)
        #expect(selection.rows.count(where: { data.labels[$0] == 1 }) == 282)
    }

    @Test("training the same window twice gives byte-identical model files; damaged copies are rejected")
    func byteIdentical() throws {
        let data = try Self.chapter3.get()
        let training = data.selecting(rows: try data.rowIndices(from: Day("2018-07-25"), to: Day("2018-07-31")))
        let configuration = TrainingConfiguration(algorithm: .logistic(LogisticRegression()))
        let first = try ModelFile(artifact: ModelTrainer.train(dataset: training, configuration: configuration))
        let second = try ModelFile(artifact: ModelTrainer.train(dataset: training, configuration: configuration))
        let bytes = first.encoded()
        #expect(bytes == second.encoded())
        #expect(try ModelFile(decoding: bytes) == first)
        // Cut short or changed by one byte: rejected with the matching code.
        for (damaged, code) in [
            (Array(bytes.prefix(bytes.count / 2)), ModelError.Code.truncated),
            (bytes.enumerated().map { $0.offset == bytes.count - 40 ? $0.element ^ 0x01 : $0.element }, .corrupted),
        ] {
            do {
                _ = try ModelFile(decoding: damaged)
                Issue.record("a damaged file was accepted")
            } catch let error as ModelError {
                #expect(error.code == code, "\(error)")
            }
        }
    }
}
