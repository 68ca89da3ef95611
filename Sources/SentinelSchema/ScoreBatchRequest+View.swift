import CProtobufC
import SentinelProtoC

extension ScoreBatchRequest {
    /// A decoded ScoreBatchRequest read in place, for the scoring hot path: the transactions are
    /// ``Transaction/View``s over protobuf-c's unpacked structures, so nothing is copied into Swift values.
    ///
    /// Valid only inside the closure of ``ScoreBatchRequest/withView(serializedBytes:_:)``.
    public struct View {
        /// The transactions, in request order.
        public let transactions: UnsafeBufferPointer<Transaction.View>
        /// Score with this model version only; absent means the live model.
        public let modelVersion: String?
    }

    /// Decodes a request and runs `body` with a view of it; the view's memory is released when `body` returns.
    ///
    /// Accepts and refuses exactly the bytes ``init(serializedBytes:)`` does, with the same errors: protobuf-c
    /// unpacks into arena memory (untrusted bytes are parsed by protobuf-c only) and the view reads its structures.
    /// - Parameters:
    ///   - bytes: The encoded request.
    ///   - body: Reads the request; must not let the view or its buffers escape.
    /// - Returns: What `body` returns.
    /// - Throws: ``SchemaError`` when the bytes are not a valid encoding (malformed protobuf, a string that is not
    ///   UTF-8), or what `body` throws.
    public static func withView<R>(serializedBytes bytes: UnsafeRawBufferPointer, _ body: (View) throws -> R) throws
        -> R
    {
        try withUnpacked(bytes) { message, arenaPointer in
            let c = message.pointee
            let count = c.transactions == nil ? 0 : c.n_transactions
            let views = arenaPointer.pointee.allocate(Transaction.View.self, count: count)
            for index in 0..<count {
                // The same checks, in the same order, as the copying decoder; on failure it throws the error.
                guard let element = c.transactions[index], let view = Transaction.View.read(element) else {
                    _ = try ScoreBatchRequest(c: message)
                    throw SchemaError(.invalidMessage, "\(protoName): transaction \(index) is unreadable")
                }
                (views + index).initialize(to: view)
            }
            let modelVersion: String? =
                c.pinned_model_case == SENTINEL__V1__SCORE_BATCH_REQUEST__PINNED_MODEL_MODEL_VERSION
                ? try decodeString(c.model_version, "model_version", in: protoName) : nil
            return try body(
                View(transactions: UnsafeBufferPointer(start: views, count: count), modelVersion: modelVersion))
        }
    }
}
