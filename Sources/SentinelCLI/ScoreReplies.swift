import SentinelSchema
import SentinelWire

/// Decoding of Score and ScoreBatch replies, shared by `score`, `replay` and `bench`.
enum ScoreReplies {
    /// The status name for a batch item's error code (`INVALID_ARGUMENT`, …).
    static func statusName(_ code: UInt32) -> String {
        StatusCode(rawValue: UInt16(clamping: code)).name
    }

    /// Decodes a ScoreBatchResponse and checks it has one item per transaction sent.
    /// - Throws: ``ScoringClientError`` (`malformedReply`).
    static func batch(_ reply: [UInt8], expected: Int) throws -> ScoreBatchResponse {
        let response: ScoreBatchResponse
        do {
            response = try ScoreBatchResponse(serializedBytes: reply)
        } catch {
            throw ScoringClientError(.malformedReply, "malformed ScoreBatchResponse from the server: \(error)")
        }
        guard response.items.count == expected else {
            throw ScoringClientError(
                .malformedReply, "the server answered \(response.items.count) items for \(expected) transactions")
        }
        return response
    }

    /// Decodes a ScoreResponse.
    /// - Throws: ``ScoringClientError`` (`malformedReply`).
    static func single(_ reply: [UInt8]) throws -> ScoreResponse {
        do {
            return try ScoreResponse(serializedBytes: reply)
        } catch {
            throw ScoringClientError(.malformedReply, "malformed ScoreResponse from the server: \(error)")
        }
    }

    /// A load-generator check for Score replies: 1 scored, or one `malformed reply` error.
    static let checkSingle: LoadGenerator.ReplyCheck = { reply, errors in
        guard (try? single(reply)) != nil else {
            errors["MALFORMED_REPLY", default: 0] += 1
            return 0
        }
        return 1
    }

    /// A load-generator check for ScoreBatch replies of `expected` items; item errors count by status name.
    static func checkBatch(expected: Int) -> LoadGenerator.ReplyCheck {
        { reply, errors in
            guard let response = try? batch(reply, expected: expected) else {
                errors["MALFORMED_REPLY", default: 0] += expected
                return 0
            }
            var scored = 0
            for item in response.items {
                switch item.outcome {
                case .score: scored += 1
                case .error(let error): errors[statusName(error.statusCode), default: 0] += 1
                }
            }
            return scored
        }
    }
}
