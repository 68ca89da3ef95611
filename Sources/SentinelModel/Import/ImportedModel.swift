/// A model read from another library's file, before it is given a threshold and a reference profile.
///
/// ```swift
/// let model = try ModelImporter.read(contentsOf: "model.json")
/// print(model.learner.featureCount, model.featureNames ?? [])
/// ```
public struct ImportedModel: Sendable {
    /// The model, as a Sentinel learner that scores as the source library does.
    public var learner: Learner
    /// The input names the file records, in model order; nil when it records none (ONNX, or placeholder names).
    public var featureNames: [String]?
    /// The library that wrote the file and its version, when the file says.
    public var library: String?
    /// The model inside, in the library's words.
    public var model: String

    /// Creates a record.
    public init(learner: Learner, featureNames: [String]?, library: String?, model: String) {
        self.learner = learner
        self.featureNames = featureNames
        self.library = library
        self.model = model
    }
}
