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

extension ScoreBatchRequest {
    /// How many transactions the encoded request holds, counted on the wire bytes without unpacking them, or `nil`
    /// when the framing is broken (decoding then reports the error).
    ///
    /// A server checks its batch limit with this before protobuf-c unpacks anything: unpacking two million empty
    /// transactions (4 MiB on the wire) takes hundreds of MiB before a count could be checked.
    /// - Parameter bytes: The encoded request.
    public static func transactionCount(serializedBytes bytes: UnsafeRawBufferPointer) -> Int? {
        var count = 0
        var offset = 0
        while offset < bytes.count {
            guard let key = readVarint(bytes, &offset) else { return nil }
            switch key & 7 {
            case 0:
                guard readVarint(bytes, &offset) != nil else { return nil }
            case 1:
                offset += 8
            case 5:
                offset += 4
            case 2:
                guard let length = readVarint(bytes, &offset), length <= UInt64(bytes.count - offset) else {
                    return nil
                }
                offset += Int(length)
                if key >> 3 == UInt64(FieldTag.transactions.fieldNumber) { count += 1 }
            default:
                return nil
            }
        }
        return offset == bytes.count ? count : nil
    }

    /// Reads a base-128 varint at `offset`, advancing it; `nil` when the bytes end first or it runs past 10 bytes.
    private static func readVarint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count && shift < 70 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
