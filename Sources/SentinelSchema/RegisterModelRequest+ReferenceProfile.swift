import SentinelProtoC

extension RegisterModelRequest {
    /// A model version's reference: one profile per input in model order, one for the score, and base rates (mirrors
    /// SentinelDrift's ReferenceProfile).
    ///
    /// ```swift
    /// var message = RegisterModelRequest.ReferenceProfile()
    /// message.features = [RegisterModelRequest.FeatureProfile()]
    /// let decoded = try RegisterModelRequest.ReferenceProfile(serializedBytes: message.serializedBytes())
    /// ```
    public struct ReferenceProfile: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.RegisterModelRequest.ReferenceProfile"

        /// One profile per model input, in the model's feature order.
        public var features: [RegisterModelRequest.FeatureProfile]

        /// The profile of the model's predicted probability on the training data.
        public var score: RegisterModelRequest.FeatureProfile

        /// Fraction of training rows labelled fraud.
        public var baseFraudRate: Double

        /// Fraction of training rows the model flags at its threshold.
        public var baseFlagRate: Double

        /// Creates a message; every field defaults to its protobuf default.
        /// - Parameters:
        ///   - features: One profile per model input, in the model's feature order.
        ///   - score: The profile of the model's predicted probability on the training data.
        ///   - baseFraudRate: Fraction of training rows labelled fraud.
        ///   - baseFlagRate: Fraction of training rows the model flags at its threshold.
        public init(
            features: [RegisterModelRequest.FeatureProfile] = [],
            score: RegisterModelRequest.FeatureProfile = RegisterModelRequest.FeatureProfile(),
            baseFraudRate: Double = 0,
            baseFlagRate: Double = 0
        ) {
            self.features = features
            self.score = score
            self.baseFraudRate = baseFraudRate
            self.baseFlagRate = baseFlagRate
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
}

extension RegisterModelRequest.ReferenceProfile: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__RegisterModelRequest__ReferenceProfile

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__register_model_request__reference_profile__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        let features: [RegisterModelRequest.FeatureProfile] = try decodeMessages(c.n_features, c.features)
        let score: RegisterModelRequest.FeatureProfile = try decodeMessage(
            c.score, default: RegisterModelRequest.FeatureProfile())
        let baseFraudRate = c.base_fraud_rate
        let baseFlagRate = c.base_flag_rate
        self.init(features: features, score: score, baseFraudRate: baseFraudRate, baseFlagRate: baseFlagRate)
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        c.n_features = features.count
        c.features = arena.messages(features)
        c.score = arena.message(score)
        c.base_fraud_rate = baseFraudRate
        c.base_flag_rate = baseFlagRate
    }
}
