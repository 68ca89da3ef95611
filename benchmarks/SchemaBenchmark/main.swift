// Pack+unpack of a 30-feature Transaction: through SentinelSchema's Swift mapping against raw protobuf-c calls on
// a C struct, in the same process, alternating rounds. Prints messages/s for each and the cost ratio.
//
//   swift run -c release schema-benchmark [--messages N] [--rounds R] [--features F]

import SentinelSchema

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var messages = 1_000_000
    var rounds = 7
    var features = 30

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else {
                fail("\(argument) needs a positive integer")
            }
            switch argument {
            case "--messages": messages = value
            case "--rounds": rounds = value
            case "--features": features = value
            default: fail("unknown option \(argument) (options: --messages N --rounds R --features F)")
            }
        }
    }
}

func fail(_ message: String) -> Never {
    var line = Array("schema-benchmark: \(message)\n".utf8)
    _ = write(2, &line, line.count)
    exit(64)
}

let options = Options(arguments: CommandLine.arguments)
let transaction = Transaction(
    id: "tx-0000000042", eventTimeMicroseconds: 1_533_081_600_123_456, cardId: "card-004711",
    terminalId: "terminal-0815", amount: 123.45,
    features: (0..<options.features).map { Double($0) * 0.37 - 2.1 })

let encodedSize = transaction.serializedSize
print("schema-benchmark: pack+unpack of a \(options.features)-feature Transaction (\(encodedSize) bytes encoded)")
print("  \(options.rounds) rounds of \(options.messages) messages each, Swift mapping and raw protobuf-c alternating")
_ = swiftRound(transaction, options.messages / 10)  // warm-up
_ = rawRound(transaction, options.messages / 10)
var swiftRates: [Double] = []
var rawRates: [Double] = []
var ratios: [Double] = []
var checksum = 0.0
for round in 1...options.rounds {
    let raw = rawRound(transaction, options.messages)
    let mapped = swiftRound(transaction, options.messages)
    checksum += raw.checksum + mapped.checksum
    let rawRate = Double(options.messages) / (Double(raw.nanoseconds) / 1e9)
    let swiftRate = Double(options.messages) / (Double(mapped.nanoseconds) / 1e9)
    rawRates.append(rawRate)
    swiftRates.append(swiftRate)
    ratios.append(rawRate / swiftRate)
    let line =
        "  round \(round): raw \(format(rawRate)) msg/s (\(format(1e9 / rawRate)) ns), "
        + "swift \(format(swiftRate)) msg/s (\(format(1e9 / swiftRate)) ns), cost ratio \(format(rawRate / swiftRate, 2))"
    print(line)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1
        ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double, _ decimals: Int = 0) -> String {
    if decimals == 0 { return String(Int(value.rounded())) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return String(rounded)
}

print(
    "median: raw protobuf-c \(format(median(rawRates))) msg/s, Swift mapping \(format(median(swiftRates))) msg/s, "
        + "cost ratio (Swift time / raw time) \(format(median(ratios), 2)) (target < 1.5)")

// Batches, Swift mapping only: what the scoring service's ScoreBatch (batch 100) and the event path pay per item.
let batchSize = 100
let batch = ScoreBatchRequest(
    transactions: (0..<batchSize).map { index in
        var item = transaction
        item.id = "tx-\(index)"
        return item
    })
let events = EventBatch(
    producerId: "api-1",
    events: (0..<batchSize).map { index in
        ScoringEvent(
            sequence: UInt64(index + 1), transactionId: "tx-\(index)", eventTimeMicroseconds: 1_533_081_600_123_456,
            scoredAtMicroseconds: 1_700_000_000_000_000, cardId: "card-004711", terminalId: "terminal-0815",
            amount: 123.45, features: transaction.features, fraudProbability: 0.25, decision: .pass,
            modelVersion: "gbdt-2018-08-07", serverLatencyNanoseconds: 15_000)
    })
let batchCount = max(options.messages / batchSize / 2, 1)
for (name, run) in [
    ("ScoreBatchRequest", { batchRound(batch, batchCount) }), ("EventBatch", { batchRound(events, batchCount) }),
] as [(String, () -> UInt64)] {
    _ = run()  // warm-up
    var rates: [Double] = []
    for _ in 0..<max(options.rounds / 2, 1) {
        let nanoseconds = run()
        rates.append(Double(batchCount * batchSize) / (Double(nanoseconds) / 1e9))
    }
    let size = name == "EventBatch" ? events.serializedSize : batch.serializedSize
    print(
        "\(name) of \(batchSize) (\(size) bytes): median \(format(median(rates))) items/s packed+unpacked "
            + "through the Swift mapping")
}
if checksum.isNaN { print("checksum \(checksum)") }  // keeps the work observable
