// The timed loops, kept out of main.swift: top-level code there is main-actor isolated, and closures written in
// it pay a dynamic isolation check on every call, which would be charged to whichever side uses more closures.

import SentinelProtoC
import SentinelSchema

#if canImport(Glibc)
    import Glibc
#endif

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Swift mapping: serialize into a reused buffer, decode into a new Transaction value.
func swiftRound(_ transaction: Transaction, _ count: Int) -> (nanoseconds: UInt64, checksum: Double) {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1024)
    var checksum = 0.0
    let start = now()
    for _ in 0..<count {
        buffer.removeAll(keepingCapacity: true)
        transaction.serialize(into: &buffer)
        let decoded = try! buffer.withUnsafeBytes { try Transaction(serializedBytes: $0) }
        checksum += decoded.features[decoded.features.count - 1] + Double(decoded.id.utf8.count)
    }
    return (now() - start, checksum)
}

/// Raw protobuf-c: a C struct pointing at existing C storage, packed into a reused buffer, unpacked with the
/// default allocator, one value read, freed. The floor any mapping pays for.
func rawRound(_ transaction: Transaction, _ count: Int) -> (nanoseconds: UInt64, checksum: Double) {
    let features = UnsafeMutablePointer<Double>.allocate(capacity: transaction.features.count)
    features.initialize(from: transaction.features, count: transaction.features.count)
    let id = strdup(transaction.id)!
    let card = strdup(transaction.cardId)!
    let terminal = strdup(transaction.terminalId)!
    defer {
        features.deallocate()
        free(id)
        free(card)
        free(terminal)
    }
    var message = Sentinel__V1__Transaction()
    sentinel__v1__transaction__init(&message)
    message.id = id
    message.event_time_unix_us = transaction.eventTimeMicroseconds
    message.card_id = card
    message.terminal_id = terminal
    message.amount = transaction.amount
    message.n_features = transaction.features.count
    message.features = features
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    defer { buffer.deallocate() }
    var checksum = 0.0
    let start = now()
    for _ in 0..<count {
        let size = sentinel__v1__transaction__get_packed_size(&message)
        _ = sentinel__v1__transaction__pack(&message, buffer)
        let decoded = sentinel__v1__transaction__unpack(nil, size, buffer)!
        checksum += decoded.pointee.features[decoded.pointee.n_features - 1] + Double(strlen(decoded.pointee.id))
        sentinel__v1__transaction__free_unpacked(decoded, nil)
    }
    return (now() - start, checksum)
}

/// Swift mapping of a whole batch: encode and decode `count` times; returns nanoseconds.
///
/// The decoded value is compared with the original once, before timing, so the comparison is not charged.
func batchRound<M: WireMessage>(_ message: M, _ count: Int) -> UInt64 {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(message.serializedSize)
    message.serialize(into: &buffer)
    precondition(try! M(serializedBytes: buffer) == message, "the batch did not round-trip")
    var sink = 0
    let start = now()
    for _ in 0..<count {
        buffer.removeAll(keepingCapacity: true)
        message.serialize(into: &buffer)
        let decoded = try! buffer.withUnsafeBytes { try M(serializedBytes: $0) }
        sink &+= consume(decoded)
    }
    let elapsed = now() - start
    precondition(sink == count)
    return elapsed
}

/// Keeps a decoded value alive and observable without measuring anything about it.
@inline(never)
func consume<T>(_ value: T) -> Int {
    withExtendedLifetime(value) { 1 }
}
