import Foundation
public import SentinelData

/// The sample the repository carries, `data/creditcard-sample.csv.gz` (1,500 ULB rows, ODbL), for tests that train
/// or score without `../shared`.
public enum CommittedSample {
    /// The package root, from this file's path.
    private static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The sample file's path.
    public static let path = packageRoot.appendingPathComponent("data/creditcard-sample.csv.gz").path

    /// The sample, loaded once.
    public static let dataset: Dataset = {
        do {
            return try DatasetLoader.load(path: path)
        } catch {
            fatalError("cannot load \(path): \(error)")
        }
    }()
}
