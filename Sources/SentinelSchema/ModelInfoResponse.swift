import CProtobufC
import SentinelProtoC

/// Describes the model the scoring service is serving.
///
/// ```swift
/// var message = ModelInfoResponse()
/// message.modelVersion = "example"
/// let decoded = try ModelInfoResponse(serializedBytes: message.serializedBytes())
/// ```
public struct ModelInfoResponse: WireMessage {
    /// The fully qualified protobuf name.
    public static let protoName = "sentinel.v1.ModelInfoResponse"

    /// The model version, e.g. a content hash or a release name.
    public var modelVersion: String

    /// The learner, e.g. `logistic-regression` or `gbdt`.
    public var learner: String

    /// The input names, in the order Transaction.features must follow.
    public var featureNames: [String]

    /// The decision threshold: a probability at or above it is flagged.
    public var threshold: Double

    /// The period the model was trained on.
    public var trainingWindow: ModelInfoResponse.TrainingWindow

    /// Evaluation metrics recorded with the model (e.g. `ap`, `cp@100`, `roc_auc`), in a stable order.
    public var metrics: [ModelInfoResponse.Metric]

    /// When this model was loaded, in microseconds since the Unix epoch.
    public var loadedAtMicroseconds: Int64

    /// Where the model was loaded from (a path), for operators.
    public var source: String

    /// Creates a message; every field defaults to its protobuf default.
    /// - Parameters:
    ///   - modelVersion: The model version, e.g.
    ///   - learner: The learner, e.g.
    ///   - featureNames: The input names, in the order Transaction.features must follow.
    ///   - threshold: The decision threshold.
    ///   - trainingWindow: The period the model was trained on.
    ///   - metrics: Evaluation metrics recorded with the model (e.g.
    ///   - loadedAtMicroseconds: When this model was loaded, in microseconds since the Unix epoch.
    ///   - source: Where the model was loaded from (a path), for operators.
    public init(
        modelVersion: String = "",
        learner: String = "",
        featureNames: [String] = [],
        threshold: Double = 0,
        trainingWindow: ModelInfoResponse.TrainingWindow = ModelInfoResponse.TrainingWindow(),
        metrics: [ModelInfoResponse.Metric] = [],
        loadedAtMicroseconds: Int64 = 0,
        source: String = ""
    ) {
        self.modelVersion = modelVersion
        self.learner = learner
        self.featureNames = featureNames
        self.threshold = threshold
        self.trainingWindow = trainingWindow
        self.metrics = metrics
        self.loadedAtMicroseconds = loadedAtMicroseconds
        self.source = source
    }

    /// Decodes the message from its protobuf encoding.
    /// - Parameter bytes: The encoded message.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding of this message: malformed protobuf,
    ///   a string that is not UTF-8, or an enum number the schema does not define.
    public init(serializedBytes bytes: UnsafeRawBufferPointer) throws {
        self = try Self.decode(bytes)
    }

    /// Appends the protobuf encoding to `buffer`.
    /// - Parameter buffer: The buffer to append to.
    public func serialize(into buffer: inout [UInt8]) {
        encode(into: &buffer)
    }

    /// The size in bytes of the protobuf encoding.
    public var serializedSize: Int { packedSize() }
}

extension ModelInfoResponse: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ModelInfoResponse

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__model_info_response__init(message)
    }

    static func cUnpack(
        _ allocator: UnsafeMutablePointer<ProtobufCAllocator>, _ count: Int, _ bytes: UnsafePointer<UInt8>
    ) -> UnsafeMutablePointer<CMessage>? {
        sentinel__v1__model_info_response__unpack(allocator, count, bytes)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let modelVersion = try decodeString(c.model_version, "model_version", in: Self.protoName)
        let learner = try decodeString(c.learner, "learner", in: Self.protoName)
        let featureNames = try decodeStrings(c.n_feature_names, c.feature_names, "feature_names", in: Self.protoName)
        let threshold = c.threshold
        let trainingWindow: ModelInfoResponse.TrainingWindow = try decodeMessage(
            c.training_window, default: ModelInfoResponse.TrainingWindow())
        let metrics: [ModelInfoResponse.Metric] = try decodeMessages(c.n_metrics, c.metrics)
        let loadedAtMicroseconds = c.loaded_at_unix_us
        let source = try decodeString(c.source, "source", in: Self.protoName)
        self.init(
            modelVersion: modelVersion, learner: learner, featureNames: featureNames, threshold: threshold,
            trainingWindow: trainingWindow, metrics: metrics, loadedAtMicroseconds: loadedAtMicroseconds, source: source
        )
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !modelVersion.isEmpty { c.model_version = arena.cString(modelVersion) }
        if !learner.isEmpty { c.learner = arena.cString(learner) }
        c.n_feature_names = featureNames.count
        c.feature_names = arena.cStrings(featureNames)
        c.threshold = threshold
        c.training_window = arena.message(trainingWindow)
        c.n_metrics = metrics.count
        c.metrics = arena.messages(metrics)
        c.loaded_at_unix_us = loadedAtMicroseconds
        if !source.isEmpty { c.source = arena.cString(source) }
    }
}
