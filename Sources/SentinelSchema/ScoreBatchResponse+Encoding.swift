extension ScoreBatchResponse.Item {
    /// One item of a response written by
    /// ``ScoreBatchResponse/encode(items:modelVersion:threshold:serverLatencyNanoseconds:into:)``: a score whose
    /// transaction id points into the request's bytes, or an error.
    public enum View {
        /// A scored transaction; the model version, threshold and latency are the batch's.
        case score(transactionId: UnsafeRawBufferPointer, fraudProbability: Double, decision: ScoreDecision)
        /// A transaction that was not scored.
        case error(ScoreBatchResponse.ItemError)
    }
}

extension ScoreBatchResponse {
    /// Appends a response's protobuf encoding to `buffer`, written directly (one size pass, one write pass, no
    /// per-item allocation).
    ///
    /// The bytes equal what ``serialize(into:)`` appends for the same response (protobuf-c's output: fields in
    /// number order, proto3 defaults omitted, strings up to their first NUL), where every score carries
    /// `modelVersion`, `threshold` and `serverLatencyNanoseconds`.
    /// - Parameters:
    ///   - items: One item per request transaction, in request order.
    ///   - modelVersion: The version of the model that scored the batch.
    ///   - threshold: The decision threshold applied.
    ///   - serverLatencyNanoseconds: Time spent on the batch, in nanoseconds.
    ///   - buffer: The buffer to append to.
    public static func encode(
        items: [Item.View], modelVersion: String, threshold: Double, serverLatencyNanoseconds: UInt64,
        into buffer: inout [UInt8]
    ) {
        var version = modelVersion
        version.withUTF8 { versionBytes in
            let version = untilNul(UnsafeRawBufferPointer(versionBytes))
            // Every score shares these fields: model_version, server_latency_ns and threshold.
            let sharedSize =
                stringFieldSize(version.count)
                + (serverLatencyNanoseconds != 0 ? 1 + varintSize(serverLatencyNanoseconds) : 0)
                + (threshold != 0 ? 9 : 0)
            var total = 0
            for item in items {
                let size = itemSize(item, sharedSize: sharedSize)
                total += 1 + varintSize(UInt64(size)) + size
            }
            total += stringFieldSize(version.count)
            if serverLatencyNanoseconds != 0 { total += 1 + varintSize(serverLatencyNanoseconds) }
            guard total > 0 else { return }
            let start = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: total))
            buffer.withUnsafeMutableBytes { output in
                var out = ProtobufWriter(output.baseAddress! + start)
                for item in items {
                    out.byte(FieldTag.items.rawValue)
                    out.varint(UInt64(itemSize(item, sharedSize: sharedSize)))
                    switch item {
                    case .score(let transactionId, let probability, let decision):
                        out.byte(Item.FieldTag.score.rawValue)
                        out.varint(UInt64(scoreSize(transactionId.count, probability, decision, sharedSize)))
                        out.lengthDelimited(transactionId, tag: Score.transactionId.rawValue)
                        if probability != 0 { out.double(probability, tag: Score.fraudProbability.rawValue) }
                        if decision.rawValue != 0 {
                            out.byte(Score.decision.rawValue)
                            out.varint(UInt64(bitPattern: Int64(decision.rawValue)))
                        }
                        out.lengthDelimited(version, tag: Score.modelVersion.rawValue)
                        if serverLatencyNanoseconds != 0 {
                            out.byte(Score.serverLatencyNanoseconds.rawValue)
                            out.varint(serverLatencyNanoseconds)
                        }
                        if threshold != 0 { out.double(threshold, tag: Score.threshold.rawValue) }
                    case .error(let error):
                        out.byte(Item.FieldTag.error.rawValue)
                        error.withUTF8Fields { message, field in
                            out.varint(UInt64(errorSize(error.statusCode, message.count, field.count)))
                            if error.statusCode != 0 {
                                out.byte(ItemError.FieldTag.statusCode.rawValue)
                                out.varint(UInt64(error.statusCode))
                            }
                            out.lengthDelimited(message, tag: ItemError.FieldTag.message.rawValue)
                            out.lengthDelimited(field, tag: ItemError.FieldTag.field.rawValue)
                        }
                    }
                }
                out.lengthDelimited(version, tag: FieldTag.modelVersion.rawValue)
                if serverLatencyNanoseconds != 0 {
                    out.byte(FieldTag.serverLatencyNanoseconds.rawValue)
                    out.varint(serverLatencyNanoseconds)
                }
                precondition(out.position == output.baseAddress! + start + total, "ScoreBatchResponse size mismatch")
            }
        }
    }

    /// The tags of the score items' fields.
    private typealias Score = ScoreResponse.FieldTag

    @inline(__always)
    private static func itemSize(_ item: Item.View, sharedSize: Int) -> Int {
        switch item {
        case .score(let transactionId, let probability, let decision):
            let size = scoreSize(transactionId.count, probability, decision, sharedSize)
            return 1 + varintSize(UInt64(size)) + size
        case .error(let error):
            let size = error.withUTF8Fields { errorSize(error.statusCode, $0.count, $1.count) }
            return 1 + varintSize(UInt64(size)) + size
        }
    }

    @inline(__always)
    private static func scoreSize(_ idCount: Int, _ probability: Double, _ decision: ScoreDecision, _ shared: Int)
        -> Int
    {
        stringFieldSize(idCount) + (probability != 0 ? 9 : 0)
            + (decision.rawValue != 0 ? 1 + varintSize(UInt64(bitPattern: Int64(decision.rawValue))) : 0) + shared
    }

    private static func errorSize(_ statusCode: UInt32, _ messageCount: Int, _ fieldCount: Int) -> Int {
        (statusCode != 0 ? 1 + varintSize(UInt64(statusCode)) : 0) + stringFieldSize(messageCount)
            + stringFieldSize(fieldCount)
    }

    @inline(__always)
    private static func stringFieldSize(_ count: Int) -> Int {
        ProtobufWriter.lengthDelimitedSize(count: count)
    }

    @inline(__always)
    private static func varintSize(_ value: UInt64) -> Int {
        ProtobufWriter.varintSize(value)
    }
}

extension ScoreBatchResponse.ItemError {
    /// Runs `body` with the message's and the field's UTF-8 bytes up to their first NUL (what protobuf-c sends).
    fileprivate func withUTF8Fields<R>(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R {
        var message = message
        var field = field
        return message.withUTF8 { messageBytes in
            field.withUTF8 { fieldBytes in
                body(untilNul(UnsafeRawBufferPointer(messageBytes)), untilNul(UnsafeRawBufferPointer(fieldBytes)))
            }
        }
    }
}

/// The bytes before the first NUL: protobuf-c stores strings NUL-terminated, so it sends no more.
private func untilNul(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    guard let end = bytes.firstIndex(of: 0) else { return bytes }
    return UnsafeRawBufferPointer(rebasing: bytes[..<end])
}
