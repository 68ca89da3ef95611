import SentinelSchema
import SentinelWire

/// Seed inputs built from real values, so each fuzzer starts from inputs that get deep into its decoder.
enum FuzzSeeds {
    static let transaction = Transaction(
        id: "tx-1", eventTimeMicroseconds: 1_700_000_000_000_000, cardId: "card-7", terminalId: "term-3",
        amount: 42.5, features: [0.5, -1.25, 3, 0, 1e-3])

    static let event = ScoringEvent(
        sequence: 7, transactionId: "tx-1", eventTimeMicroseconds: 1_700_000_000_000_000,
        scoredAtMicroseconds: 1_700_000_000_000_100, cardId: "card-7", terminalId: "term-3", amount: 42.5,
        features: [0.5, -1.25, 3], fraudProbability: 0.93, decision: .flag, modelVersion: "0123456789ab",
        serverLatencyNanoseconds: 12_000)

    /// One encoded message per top-level type, prefixed with the schema target's selector byte.
    static var messages: [[UInt8]] {
        let samples: [any WireMessage] = [
            HealthCheckRequest(service: "sentinel.v1.Scoring"),
            ScoreRequest(transaction: transaction, modelVersion: "0123456789ab"),
            ScoreBatchRequest(transactions: [transaction, Transaction(id: "tx-2", features: [1])]),
            ScoreBatchRequest(transactions: [transaction], modelVersion: "0123456789ab"),
            ReloadModelRequest(path: "/models/m.sentinel", expectedVersion: "0123456789ab", allowFeatureChange: true),
            EventBatch(producerId: "api-1", events: [event, event], sentAtMicroseconds: 5, droppedTotal: 2),
            ReportLabelsRequest(labels: [
                ReportLabelsRequest.Label(transactionId: "tx-1", label: .fraud, labelledAtMicroseconds: 9)
            ]),
            RegisterModelRequest(
                modelVersion: "0123456789ab",
                reference: RegisterModelRequest.ReferenceProfile(
                    features: [
                        RegisterModelRequest.FeatureProfile(
                            name: "V1", edges: [-1, 0, 1], proportions: [0.25, 0.5, 0.25], count: 100, mean: 0.1,
                            standardDeviation: 1, minimum: -3, maximum: 3, missingFraction: 0)
                    ],
                    baseFraudRate: 0.01, baseFlagRate: 0.02),
                threshold: 0.5, learner: "logistic", producerId: "cli"),
            transaction, event,
        ]
        return samples.map { message in
            let index = SchemaMessages.all.firstIndex { $0 == type(of: message) }!
            return [UInt8(index)] + message.serializedBytes()
        } + SchemaMessages.all.indices.map { [UInt8($0)] }
    }

    /// Streams of frames: a HELLO-less request and a response, a PING, a GOAWAY, with chunk sizes 1, 4 and 16.
    static var frames: [[UInt8]] {
        var stream: [UInt8] = []
        let payload = HealthCheckRequest(service: "sentinel.v1.Scoring").serializedBytes()
        FrameHeader(type: .request, requestID: 1, code: 1, timeoutMicroseconds: 1_000_000)
            .appendFrame(payload: payload, to: &stream)
        FrameHeader(type: .ping, requestID: 2).appendFrame(payload: [UInt8](), to: &stream)
        FrameHeader(type: .cancel, requestID: 1).appendFrame(payload: [UInt8](), to: &stream)
        var response: [UInt8] = []
        FrameHeader(type: .response, requestID: 1).appendFrame(payload: [8, 1], to: &response)
        FrameHeader(type: .goAway, requestID: 1, code: 8).appendFrame(payload: Array("draining".utf8), to: &response)
        return [
            [0x00] + stream, [0x03] + stream, [0x0F] + response, [0xFF] + stream,
            [0x00] + Array("GET / HTTP/1.1\r\n".utf8),
        ]
    }

    /// Requests as the dashboard, `/metrics` and probes send them, pipelined, with a body, in chunk sizes 1, 4, 16.
    static var httpRequests: [[UInt8]] {
        let get =
            "GET /metrics?window=5m HTTP/1.1\r\nHost: localhost:9091\r\nUser-Agent: curl/8.5\r\nAccept: */*\r\n\r\n"
        let post = "POST /api/labels HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
        let old = "\r\nHEAD / HTTP/1.0\r\n\r\n"
        return [
            [0x00] + Array((get + post).utf8), [0x03] + Array((get + get).utf8), [0x0F] + Array(old.utf8),
            [0x83] + Array(post.utf8),
        ]
    }
}
