/// The parts of an ONNX model (`ModelProto`) that an import reads: who wrote it, the graph's inputs, and its nodes
/// with their attributes. A plain value, so the operators' meaning (``ONNXModelReader``) is pure Swift and testable
/// without the protobuf decoder, which lives in the `SentinelONNX` module.
///
/// ```swift
/// let graph = try ONNXDecoder.decode(bytes)  // SentinelONNX
/// print(graph.producerName, graph.nodes.map(\.operatorType))
/// ```
public struct ONNXGraph: Sendable, Equatable {
    /// A graph input or output: a name and, for a tensor, its element type and shape.
    public struct Value: Sendable, Equatable {
        /// The value's name.
        public var name: String
        /// The tensor's element type (`TensorProto.DataType`: 1 float, 11 double), or nil when it is not a tensor.
        public var elementType: Int32?
        /// The tensor's dimensions; nil for a dimension without a fixed size (the batch).
        public var shape: [Int64?]

        /// Creates a value description.
        public init(name: String, elementType: Int32?, shape: [Int64?]) {
            self.name = name
            self.elementType = elementType
            self.shape = shape
        }
    }

    /// An attribute's value. Only the kinds the supported operators use are kept; the others are recorded by kind.
    public enum Attribute: Sendable, Equatable {
        case int(Int64)
        case float(Float)
        case string(String)
        case ints([Int64])
        case floats([Float])
        case strings([String])
        /// A tensor attribute (`*_as_tensor`) holding doubles or floats, widened to `Double`.
        case tensor([Double])
        /// Any other kind (`AttributeProto.AttributeType`), kept so a reader can name it.
        case other(kind: Int32)
    }

    /// One node: an operator applied to named values.
    public struct Node: Sendable, Equatable {
        /// The operator, such as `TreeEnsembleClassifier`.
        public var operatorType: String
        /// The operator's domain: `ai.onnx.ml`, or empty for the default `ai.onnx`.
        public var domain: String
        /// The node's name (may be empty).
        public var name: String
        /// Input value names, in order.
        public var inputs: [String]
        /// Output value names, in order.
        public var outputs: [String]
        /// Attributes by name.
        public var attributes: [String: Attribute]

        /// Creates a node.
        public init(
            operatorType: String, domain: String, name: String, inputs: [String], outputs: [String],
            attributes: [String: Attribute]
        ) {
            self.operatorType = operatorType
            self.domain = domain
            self.name = name
            self.inputs = inputs
            self.outputs = outputs
            self.attributes = attributes
        }
    }

    /// `ModelProto.producer_name`, such as `skl2onnx`.
    public var producerName: String
    /// `ModelProto.producer_version`.
    public var producerVersion: String
    /// Operator set versions by domain (empty domain: `ai.onnx`).
    public var operatorSets: [String: Int64]
    /// The graph's inputs that are not initializers.
    public var inputs: [Value]
    /// The graph's outputs.
    public var outputs: [Value]
    /// Names of the graph's initializers (constant tensors).
    public var initializers: [String]
    /// The nodes, in the file's (topological) order.
    public var nodes: [Node]

    /// Creates a graph description.
    public init(
        producerName: String, producerVersion: String, operatorSets: [String: Int64], inputs: [Value],
        outputs: [Value], initializers: [String], nodes: [Node]
    ) {
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.operatorSets = operatorSets
        self.inputs = inputs
        self.outputs = outputs
        self.initializers = initializers
        self.nodes = nodes
    }
}
