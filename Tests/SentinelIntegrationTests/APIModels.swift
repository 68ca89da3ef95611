import Foundation
import SentinelData
import SentinelModel
import SentinelTestSupport

/// Models trained once, in the test, from the committed sample `data/creditcard-sample.csv.gz` (logistic: fast).
enum APIModels {
    /// The sample rows.
    static var sample: Dataset { CommittedSample.dataset }

    /// Two models with the same inputs and different versions, written to a temporary directory.
    static let files: (directory: URL, first: ModelFile, second: ModelFile) = {
        do {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sentinel-api-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let first = try ModelFile(
                artifact: ModelTrainer.train(
                    dataset: sample, configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression()))))
            let second = try ModelFile(
                artifact: ModelTrainer.train(
                    dataset: sample,
                    configuration: TrainingConfiguration(algorithm: .logistic(LogisticRegression(c: 0.25)))))
            try first.write(to: directory.appendingPathComponent("first.sentinel").path)
            try second.write(to: directory.appendingPathComponent("second.sentinel").path)
            return (directory, first, second)
        } catch {
            fatalError("cannot train the test models: \(error)")
        }
    }()

    static var firstPath: String { files.directory.appendingPathComponent("first.sentinel").path }
    static var secondPath: String { files.directory.appendingPathComponent("second.sentinel").path }

    /// Sample row `row` as raw inputs in model order.
    static func features(row: Int) -> [Double] {
        sample.features.map { $0[row] }
    }
}
