import Foundation
public import SentinelData

/// The fixtures of `sentinel model import` (`Tests/Fixtures/Import`, made by `benchmarks/import-fixtures.sh`):
/// small XGBoost, LightGBM and skl2onnx models trained on the committed sample, and 500 rows (some cells blank,
/// that is missing) with every model's probability from its own library.
public enum ImportFixtures {
    /// The fixture folder.
    private static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/Import")

    /// The path of a fixture file, such as `xgboost.json`.
    public static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// The rows file: the ULB columns (`V1..V28, Amount`, label `Class`) and the probability columns.
    public static let rowsPath = path("rows.csv.gz")

    /// The rows as a ULB dataset (inputs `V1..V28, Amount`, blank cells NaN).
    public static let rows: Dataset = {
        do {
            return try DatasetLoader.load(path: rowsPath)
        } catch {
            fatalError("cannot load \(rowsPath): \(error)")
        }
    }()

    /// The probabilities a library gave, by column name (`xgboost`, `lightgbm`, `lightgbm_zero`, and `NAME_onnx`,
    /// `NAME_sklearn` for `forest`, `logistic`, `extra_trees` and `boosting`); NaN where the library gave none.
    public static func expected(_ column: String) -> [Double] {
        do {
            return try DatasetLoader.load(
                path: rowsPath, options: LoadOptions(featureColumns: [column], labelColumn: "Class")
            ).features[0]
        } catch {
            fatalError("cannot load column \(column) of \(rowsPath): \(error)")
        }
    }

    /// The fixture's bytes.
    public static func bytes(_ name: String) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
        } catch {
            fatalError("cannot read \(path(name)): \(error)")
        }
    }
}
