/// Where an imported model came from, as recorded in its model file: the source format, the library that wrote it
/// and the SHA-256 of the source file, so a team can tell which of its models a Sentinel file serves.
///
/// ```swift
/// if case .imported(let source) = artifact.training.algorithm {
///     print(source.format, source.library ?? "-", source.sourceSHA256)
/// }
/// ```
public struct ModelSource: Sendable, Codable, Equatable, Hashable {
    /// The source format: `xgboost-json`, `lightgbm-text` or `onnx`.
    public var format: String
    /// The library that wrote the file and its version when the file says (`xgboost 3.2.0`, `skl2onnx 1.20.0`).
    public var library: String?
    /// The model inside, in the library's words: objective and tree count, or the ONNX operators.
    public var model: String
    /// The source file's name (without its folder).
    public var sourceFile: String
    /// SHA-256 of the source file's bytes, 64 lower-case hex digits.
    public var sourceSHA256: String

    /// Creates a record.
    public init(format: String, library: String?, model: String, sourceFile: String, sourceSHA256: String) {
        self.format = format
        self.library = library
        self.model = model
        self.sourceFile = sourceFile
        self.sourceSHA256 = sourceSHA256
    }
}
