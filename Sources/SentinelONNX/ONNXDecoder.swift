import CProtobufC
public import SentinelModel
import SentinelONNXC

/// Decodes an ONNX model file (a `ModelProto` in protobuf) into the ``ONNXGraph`` that `SentinelModel`'s import
/// reads: the producer, operator sets, graph inputs and outputs, initializer names, and every node with its
/// attributes. Only these parts are copied out of protobuf-c's messages; everything else in the file is ignored.
///
/// Files over ``maximumSize`` are refused before anything is unpacked, since protobuf-c allocates the whole
/// message at once.
///
/// ```swift
/// let model = try ModelImporter.read(bytes, format: nil, decodeONNX: ONNXDecoder.decode)
/// ```
public enum ONNXDecoder {
    /// The largest file decoded: 256 MiB, far above a forest of a thousand deep trees (a few tens of MiB).
    public static let maximumSize = 256 << 20

    /// Decodes a model of at most ``maximumSize`` bytes.
    /// - Parameter bytes: The file's contents.
    /// - Returns: The graph's description.
    /// - Throws: ``ModelError``, as ``decode(_:limit:)``.
    public static func decode(_ bytes: [UInt8]) throws(ModelError) -> ONNXGraph {
        try decode(bytes, limit: maximumSize)
    }

    /// Decodes a model.
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - limit: The largest size decoded.
    /// - Returns: The graph's description.
    /// - Throws: ``ModelError`` `.truncated` for an empty file, `.invalidData` for one over `limit`,
    ///   `.corrupted` when protobuf-c cannot unpack it (cut short or damaged), `.unsupportedFormat` for a message
    ///   that is not an ONNX model (no graph).
    public static func decode(_ bytes: [UInt8], limit: Int) throws(ModelError) -> ONNXGraph {
        guard !bytes.isEmpty else { throw ModelError(.truncated, "the file is empty") }
        guard bytes.count <= limit else {
            throw ModelError(
                .invalidData, "the ONNX model is \(bytes.count) bytes, more than the \(limit) bytes Sentinel decodes")
        }
        let unpacked = bytes.withUnsafeBufferPointer { buffer in
            onnx__model_proto__unpack(nil, buffer.count, buffer.baseAddress)
        }
        guard let model = unpacked else {
            throw ModelError(
                .corrupted, "cannot decode the ONNX model (\(bytes.count) bytes): it is cut short or damaged")
        }
        defer { onnx__model_proto__free_unpacked(model, nil) }
        guard model.pointee.has_ir_version != 0, let graph = model.pointee.graph else {
            throw ModelError(.unsupportedFormat, "not an ONNX model (no IR version or no graph)")
        }
        var operatorSets: [String: Int64] = [:]
        for set in array(model.pointee.opset_import, model.pointee.n_opset_import) {
            operatorSets[string(set.pointee.domain)] = set.pointee.version
        }
        return ONNXGraph(
            producerName: string(model.pointee.producer_name),
            producerVersion: string(model.pointee.producer_version),
            operatorSets: operatorSets,
            inputs: array(graph.pointee.input, graph.pointee.n_input).map(value),
            outputs: array(graph.pointee.output, graph.pointee.n_output).map(value),
            initializers: array(graph.pointee.initializer, graph.pointee.n_initializer).map {
                string($0.pointee.name)
            },
            nodes: try array(graph.pointee.node, graph.pointee.n_node).map { (node) throws(ModelError) in
                try self.node(node)
            })
    }

    private static func node(_ node: UnsafeMutablePointer<Onnx__NodeProto>) throws(ModelError) -> ONNXGraph.Node {
        var attributes: [String: ONNXGraph.Attribute] = [:]
        for attribute in array(node.pointee.attribute, node.pointee.n_attribute) {
            attributes[string(attribute.pointee.name)] = try self.attribute(attribute)
        }
        return ONNXGraph.Node(
            operatorType: string(node.pointee.op_type), domain: string(node.pointee.domain),
            name: string(node.pointee.name),
            inputs: array(node.pointee.input, node.pointee.n_input).map(string),
            outputs: array(node.pointee.output, node.pointee.n_output).map(string),
            attributes: attributes)
    }

    private static func attribute(
        _ attribute: UnsafeMutablePointer<Onnx__AttributeProto>
    ) throws(ModelError) -> ONNXGraph.Attribute {
        let a = attribute.pointee
        // Writers before IR version 2 may leave the type out; then the populated field tells it.
        let kind: Onnx__AttributeProto__AttributeType
        if a.has_type != 0 {
            kind = a.type
        } else if a.n_floats > 0 {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS
        } else if a.n_ints > 0 {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
        } else if a.n_strings > 0 {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS
        } else if a.t != nil {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
        } else if a.has_s != 0 {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
        } else if a.has_i != 0 {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
        } else {
            kind = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
        }
        switch kind {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return .float(a.f)
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return .int(a.i)
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: return .string(string(a.s))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS: return .floats(copy(a.floats, a.n_floats))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return .ints(copy(a.ints, a.n_ints))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
            return .strings(copy(a.strings, a.n_strings).map(string))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
            guard let tensor = a.t else { throw ModelError(.corrupted, "attribute \(string(a.name)) has no tensor") }
            return .tensor(try values(tensor, attribute: string(a.name)))
        default:
            return .other(kind: Int32(bitPattern: kind.rawValue))
        }
    }

    /// A float or double tensor's values, from its typed field or its little-endian raw bytes.
    private static func values(
        _ tensor: UnsafeMutablePointer<Onnx__TensorProto>, attribute: String
    ) throws(ModelError) -> [Double] {
        let t = tensor.pointee
        switch t.data_type {
        case 11:
            if t.n_double_data > 0 { return copy(t.double_data, t.n_double_data) }
            return try raw(t.raw_data, width: 8, attribute: attribute) { Double(bitPattern: $0) }
        case 1:
            if t.n_float_data > 0 { return copy(t.float_data, t.n_float_data).map(Double.init) }
            return try raw(t.raw_data, width: 4, attribute: attribute) { Double(Float(bitPattern: UInt32($0))) }
        default:
            throw ModelError(
                .unsupportedModel, "attribute \(attribute) is a tensor of type \(t.data_type), not float or double")
        }
    }

    private static func raw(
        _ data: ProtobufCBinaryData, width: Int, attribute: String, _ make: (UInt64) -> Double
    ) throws(ModelError) -> [Double] {
        guard data.len % width == 0 else {
            throw ModelError(.corrupted, "attribute \(attribute) has \(data.len) raw bytes, not a multiple of \(width)")
        }
        guard let base = data.data else { return [] }
        return (0..<(data.len / width)).map { index in
            var bits: UInt64 = 0
            for byte in 0..<width {
                bits |= UInt64(base[index * width + byte]) << (8 * byte)
            }
            return make(bits)
        }
    }

    private static func value(_ info: UnsafeMutablePointer<Onnx__ValueInfoProto>) -> ONNXGraph.Value {
        let name = string(info.pointee.name)
        guard let type = info.pointee.type, type.pointee.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
            let tensor = type.pointee.tensor_type
        else {
            return ONNXGraph.Value(name: name, elementType: nil, shape: [])
        }
        let shape: [Int64?] =
            tensor.pointee.shape.map { shape in
                array(shape.pointee.dim, shape.pointee.n_dim).map { dimension in
                    dimension.pointee.value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
                        ? dimension.pointee.dim_value : nil
                }
            } ?? []
        return ONNXGraph.Value(
            name: name, elementType: tensor.pointee.has_elem_type != 0 ? tensor.pointee.elem_type : nil, shape: shape)
    }

    // MARK: protobuf-c values

    private static func array<T>(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ count: Int)
        -> [UnsafeMutablePointer<T>]
    {
        guard let pointer else { return [] }
        return (0..<count).compactMap { pointer[$0] }
    }

    private static func copy<T>(_ pointer: UnsafeMutablePointer<T>?, _ count: Int) -> [T] {
        guard let pointer else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func string(_ data: ProtobufCBinaryData) -> String {
        guard let base = data.data else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base, count: data.len), as: UTF8.self)
    }
}
