import SentinelProtoC

extension ScoreBatchResponse {
    /// One transaction's outcome in a batch: its score, or why it was not scored.
    ///
    /// ```swift
    /// let item = ScoreBatchResponse.Item(.error(.init(statusCode: 3, message: "tx-9: features[2] is NaN")))
    /// if case .score(let score) = item.outcome { print(score.fraudProbability) }
    /// ```
    public struct Item: WireMessage {
        /// The fully qualified protobuf name.
        public static let protoName = "sentinel.v1.ScoreBatchResponse.Item"

        /// A score or an error (the protobuf `oneof outcome`).
        public enum Outcome: Sendable, Equatable {
            /// The transaction was valid and scored.
            case score(ScoreResponse)
            /// The transaction was not scored.
            case error(ItemError)
        }

        /// The transaction's outcome.
        public var outcome: Outcome

        /// Creates an item.
        /// - Parameter outcome: The score or the error.
        public init(_ outcome: Outcome) {
            self.outcome = outcome
        }

        /// Decodes an item from its protobuf encoding.
        /// - Parameter bytes: The encoded message.
        /// - Throws: ``SchemaError`` when the bytes are not a valid encoding or hold neither a score nor an error.
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

extension ScoreBatchResponse.Item: ProtobufCMapped {
    typealias CMessage = Sentinel__V1__ScoreBatchResponse__Item

    static func cInit(_ message: UnsafeMutablePointer<CMessage>) {
        sentinel__v1__score_batch_response__item__init(message)
    }

    init(c pointer: UnsafePointer<CMessage>) throws {
        let c = pointer.pointee
        switch c.outcome_case {
        case SENTINEL__V1__SCORE_BATCH_RESPONSE__ITEM__OUTCOME_SCORE:
            self.outcome = .score(try decodeMessage(c.score, default: ScoreResponse()))
        case SENTINEL__V1__SCORE_BATCH_RESPONSE__ITEM__OUTCOME_ERROR:
            self.outcome = .error(try decodeMessage(c.error, default: ScoreBatchResponse.ItemError()))
        default:
            // An item must say what happened to its transaction; an empty one would lose it silently.
            throw SchemaError(.invalidMessage, "\(Self.protoName): neither `score` nor `error` is set")
        }
    }

    func fill(_ c: inout CMessage, arena: inout CArena) {
        switch outcome {
        case .score(let score):
            c.outcome_case = SENTINEL__V1__SCORE_BATCH_RESPONSE__ITEM__OUTCOME_SCORE
            c.score = arena.message(score)
        case .error(let error):
            c.outcome_case = SENTINEL__V1__SCORE_BATCH_RESPONSE__ITEM__OUTCOME_ERROR
            c.error = arena.message(error)
        }
    }
}
