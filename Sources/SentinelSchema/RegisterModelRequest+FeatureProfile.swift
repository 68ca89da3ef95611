import CProtobufC
import SentinelProtoC

extension RegisterModelRequest {
    /// The training distribution of one input or of the score, summarised for drift detection (mirrors SentinelDrift's
    /// FeatureProfile).
    ///
    /// ```swift
    /// var message = RegisterModelRequest.FeatureProfile()
    /// message.name = "example"
    /// let decoded = try RegisterModelRequest.FeatureProfile(serializedBytes: message.serializedBytes())
    /// ```
    public struct FeatureProfile: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.RegisterModelRequest.FeatureProfile"

        /// The input's name as the model declares it (`score` for the model's score).
        public var name: String

        /// Interior bin edges, strictly increasing: edges.count + 1 bins, the first and last open-ended; a value equal
        /// to an edge belongs to the bin above.
        public var edges: [Double]

        /// The training proportion in each bin (edges.count + 1 values, summing to 1 when count > 0).
        public var proportions: [Double]

        /// Number of non-missing training values.
        public var count: UInt64

        /// Mean of the non-missing training values.
        public var mean: Double

        /// Population standard deviation of the non-missing training values.
        public var standardDeviation: Double

        /// Smallest non-missing training value.
        public var minimum: Double

        /// Largest non-missing training value.
        public var maximum: Double

        /// Fraction of training rows where the value was missing (NaN).
        public var missingFraction: Double

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - name: The input's name as the model declares it (`score` for the model's score).
        ///   - edges: Interior bin edges, strictly increasing.
        ///   - proportions: The training proportion in each bin (edges.count + 1 values, summing to 1 when count > 0).
        ///   - count: Number of non-missing training values.
        ///   - mean: Mean of the non-missing training values.
        ///   - standardDeviation: Population standard deviation of the non-missing training values.
        ///   - minimum: Smallest non-missing training value.
        ///   - maximum: Largest non-missing training value.
        ///   - missingFraction: Fraction of training rows where the value was missing (NaN).
        public init(
            name: String = "",
            edges: [Double] = [],
            proportions: [Double] = [],
            count: UInt64 = 0,
            mean: Double = 0,
            standardDeviation: Double = 0,
            minimum: Double = 0,
            maximum: Double = 0,
            missingFraction: Double = 0
        ) {
            self.name = name
            self.edges = edges
            self.proportions = proportions
            self.count = count
            self.mean = mean
            self.standardDeviation = standardDeviation
            self.minimum = minimum
            self.maximum = maximum
            self.missingFraction = missingFraction
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
            withBorrowedCMessage { appendPacked($0, to: &buffer) }
        }

        /// The size in bytes of the protobuf encoding.
        public var serializedSize: Int { withBorrowedCMessage { protobuf_c_message_get_packed_size($0) } }
    }
}

extension RegisterModelRequest.FeatureProfile: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__RegisterModelRequest__FeatureProfile

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__register_model_request__feature_profile__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let name = try decodeString(c.name, "name", in: Self.protoName)
        let edges = decodeArray(c.n_edges, c.edges)
        let proportions = decodeArray(c.n_proportions, c.proportions)
        let count = c.count
        let mean = c.mean
        let standardDeviation = c.standard_deviation
        let minimum = c.minimum
        let maximum = c.maximum
        let missingFraction = c.missing_fraction
        self.init(
            name: name, edges: edges, proportions: proportions, count: count, mean: mean,
            standardDeviation: standardDeviation, minimum: minimum, maximum: maximum, missingFraction: missingFraction)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        if !name.isEmpty { c.name = arena.cString(name) }
        c.n_edges = edges.count
        c.edges = arena.copy(edges)
        c.n_proportions = proportions.count
        c.proportions = arena.copy(proportions)
        c.count = count
        c.mean = mean
        c.standard_deviation = standardDeviation
        c.minimum = minimum
        c.maximum = maximum
        c.missing_fraction = missingFraction
    }

    /// Runs `body` with a C struct that borrows this value's strings and arrays for the duration of the call.
    ///
    /// A flat message (no sub-messages) packs faster this way than through a ``CArena``: nothing is copied
    /// before protobuf-c reads it.
    @inline(__always)
    func withBorrowedCMessage<R>(_ body: (UnsafePointer<ProtobufCMessage>) -> R) -> R {
        name.withCString { namePointer in
            edges.withUnsafeBufferPointer { edgesBuffer in
                proportions.withUnsafeBufferPointer { proportionsBuffer in
                    var c = CMessage()
                    Self.cInit(&c)
                    c.name = UnsafeMutablePointer(mutating: namePointer)
                    c.n_edges = edgesBuffer.count
                    c.edges = UnsafeMutablePointer(mutating: edgesBuffer.baseAddress)
                    c.n_proportions = proportionsBuffer.count
                    c.proportions = UnsafeMutablePointer(mutating: proportionsBuffer.baseAddress)
                    c.count = count
                    c.mean = mean
                    c.standard_deviation = standardDeviation
                    c.minimum = minimum
                    c.maximum = maximum
                    c.missing_fraction = missingFraction
                    return withUnsafePointer(to: &c) {
                        body(UnsafeRawPointer($0).assumingMemoryBound(to: ProtobufCMessage.self))
                    }
                }
            }
        }
    }
}
