import Foundation
import SentinelArguments
import SentinelData
import SentinelModel
import SentinelONNX

/// `sentinel model import`: turns an XGBoost, LightGBM or scikit-learn (ONNX) model into a Sentinel model file that scores as the
/// library does, with a threshold and a drift reference profile from the model's training data.
enum ModelImportCommand {
    static let command = Command(
        words: ["model", "import"],
        summary: "import an XGBoost, LightGBM or scikit-learn (ONNX) model as a Sentinel model file",
        usage:
            "sentinel model import MODEL --reference FILE [--format FORMAT] [--threshold T] [--out FILE] "
            + "[--from DAY --to DAY]",
        details: """
              MODEL                      the source model: XGBoost JSON (Booster.save_model("m.json")), LightGBM
                                         text (Booster.save_model("m.txt")) or ONNX (skl2onnx's output for
                                         scikit-learn tree ensembles and logistic regression)
              --reference FILE           the model's training data (CSV, plain or gzip-compressed, with labels):
                                         its inputs give the drift reference profile, its latest rows the
                                         validation metrics and threshold
              --format FORMAT            xgboost-json, lightgbm-text or onnx (default: detected from the contents)
              --threshold T              the decision threshold (default: the one that maximises F1 on the
                                         latest --validation-fraction of the reference rows, as sentinel train)
              --validation-fraction F    latest fraction of the reference rows scored for validation (default 0.2)
              --drift-chunk-rows N       rows per chunk when calibrating the drift thresholds from the reference
                                         rows (default: a tenth of the rows)
              --from DAY, --to DAY       use only these reference days, YYYY-MM-DD, both inclusive
              --features A,B,...         reference input columns, in model order, when the model does not name
                                         its inputs and the file's layout is not recognised
              --label COLUMN             label column, for files of an unrecognised layout
              --out FILE                 where to write the model (default model.sentinel); nothing is written
                                         when the import fails
              --skip-bad-rows            skip and count malformed reference rows instead of failing

            The model's inputs are matched to the reference columns by the names the model records (XGBoost
            feature_names, LightGBM feature_names); a model without names (ONNX) takes the reference inputs in
            order.
            The file records the source format, library version and the source file's SHA-256.
            """
    ) { arguments, console in
        guard let modelPath = arguments.positional() else {
            throw UsageError("missing the model file to import")
        }
        let referencePath = try arguments.required("--reference")
        let formatName = try arguments.option("--format")
        let threshold = try arguments.option("--threshold", as: Double.self)
        let validationFraction = try arguments.option("--validation-fraction", as: Double.self) ?? 0.2
        let chunkRows = try arguments.option("--drift-chunk-rows", as: Int.self)
        if let chunkRows, chunkRows < 1 { throw UsageError("invalid value for --drift-chunk-rows: \(chunkRows) (≥ 1)") }
        let from = try Formatting.day(arguments.option("--from"), option: "--from")
        let to = try Formatting.day(arguments.option("--to"), option: "--to")
        let features = try arguments.option("--features").map { $0.split(separator: ",").map(String.init) }
        let label = try arguments.option("--label")
        let output = try arguments.option("--out") ?? TrainCommand.defaultOutput
        let skipBadRows = arguments.flag("--skip-bad-rows")
        try arguments.finish()
        var format: ImportFormat?
        if let formatName {
            guard let named = ImportFormat(rawValue: formatName) else {
                throw UsageError(
                    "unknown --format '\(formatName)' (one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            format = named
        }
        if let threshold, !(threshold.isFinite && (0...1).contains(threshold)) {
            throw UsageError("--threshold must be between 0 and 1, got \(threshold)")
        }
        guard validationFraction >= 0, validationFraction < 1 else {
            throw UsageError("--validation-fraction must be in [0, 1), got \(validationFraction)")
        }

        // Every failure names the file it is about; nothing is written until the artifact is complete.
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: modelPath)))
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: modelPath, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "it cannot be read"
            throw ModelError(.io, "cannot read \(modelPath): \(reason)")
        }
        let model: ImportedModel
        do {
            model = try ModelImporter.read(
                bytes, format: format, decodeONNX: ONNXDecoder.decode)
        } catch var error as ModelError {
            error.message = "\(modelPath): \(error.message)"
            throw error
        }
        let detected = format ?? ImportFormat.detect(bytes) ?? .xgboostJSON
        if let names = model.featureNames, let features, features != names {
            throw UsageError(
                "--features \(features.joined(separator: ",")) differs from the inputs \(modelPath) names "
                    + "(\(names.joined(separator: ",")))")
        }
        console.printError("loading \(referencePath)…")
        let reference = try DatasetLoader.load(
            path: referencePath,
            options: LoadOptions(
                from: from, to: to, featureColumns: model.featureNames ?? features, labelColumn: label,
                skipBadRows: skipBadRows))
        TrainCommand.reportSkipped(reference.skippedRows, console: console)
        guard reference.features.count == model.learner.featureCount else {
            throw ModelError(
                .invalidData,
                "\(modelPath): the model takes \(model.learner.featureCount) inputs but \(referencePath) has "
                    + "\(reference.features.count) (\(reference.featureNames.joined(separator: ","))); "
                    + "give --features")
        }
        let artifact: ModelArtifact
        do {
            artifact = try ModelImporter.makeArtifact(
                model, source: ModelImporter.source(of: bytes, format: detected, model: model, path: modelPath),
                reference: reference,
                configuration: ImportConfiguration(
                    threshold: threshold, validationFraction: validationFraction, driftChunkRows: chunkRows),
                producer: "sentinel \(SentinelVersion.string)")
        } catch var error as ModelError {
            error.message = "\(referencePath): \(error.message)"
            throw error
        }
        let file = try ModelFile(artifact: artifact)
        try file.write(to: output)
        let validation = artifact.validation
        console.print("imported     \(detected.rawValue) \(model.library ?? "") (\(model.model))")
        console.print("inputs       \(artifact.featureNames.count): \(artifact.featureNames.joined(separator: ","))")
        console.print(
            "reference    \(artifact.training.rows) rows (\(artifact.training.frauds) frauds) from \(referencePath)")
        console.print(
            "validation   latest \(validation.rows) rows (\(validation.frauds) frauds): "
                + "AP \(Formatting.metric(validation.averagePrecision)), "
                + "ROC AUC \(Formatting.metric(validation.rocAUC))")
        console.print(
            "threshold    \(Formatting.fixed(artifact.threshold, 4)) (\(artifact.thresholdRule.name)): "
                + "precision \(Formatting.fixed(validation.confusion.precision)), "
                + "recall \(Formatting.fixed(validation.confusion.recall)), F1 \(Formatting.fixed(validation.confusion.f1))"
        )
        console.print("model        \(file.modelVersion) written to \(output)")
        return ExitCode.success
    }
}
