import Foundation
import SentinelData
import SentinelSchema

/// The JSON transaction format of `sentinel score`, parsed strictly against the model's input names.
///
/// One transaction is an object:
///
/// ```json
/// {"id": "t1", "card_id": "c42", "terminal_id": "t7", "amount": 57.3, "time": "2018-07-01 10:15:00",
///  "features": {"TX_AMOUNT": 57.3, "CUSTOMER_ID_NB_TX_1DAY_WINDOW": 2, …}}
/// ```
///
/// `features` is an object with every model input by name (no others), or an array of numbers in model order;
/// the amount input (`TX_AMOUNT` or `Amount`) may be left out of it when `amount` is given, so the amount is
/// written once. Everything else is optional: `id` (default: the transaction's position, `1`, `2`, …), `card_id`
/// (the card: it groups transactions for CP@k and per-card views), `terminal_id`, `amount` (default: the amount
/// input, else 0), and the time as `time`
/// (`YYYY-MM-DD HH:MM:SS`, UTC) or `event_time_unix_us` (default 0). Input text may hold one object, an array of
/// objects, or objects one per line (JSON Lines). Unknown keys, missing or extra features, and values of the
/// wrong type are errors naming the transaction and the field; JSON has no NaN or infinity, so every value is
/// finite (the service checks ranges).
enum TransactionJSON {
    /// Parses input text into transactions with features in model order.
    /// - Parameters:
    ///   - bytes: The JSON text.
    ///   - featureNames: The model's inputs, in order.
    /// - Returns: At least one transaction.
    /// - Throws: ``ScoringClientError`` naming the transaction and field.
    static func parse(_ bytes: [UInt8], featureNames: [String]) throws -> [Transaction] {
        let objects = try topLevelObjects(bytes)
        guard !objects.isEmpty else { throw ScoringClientError(.invalidTransaction, "no transaction in the input") }
        return try objects.enumerated().map { position, object in
            try transaction(object, position: position + 1, featureNames: featureNames)
        }
    }

    private static func topLevelObjects(_ bytes: [UInt8]) throws -> [Any] {
        let data = Data(bytes)
        do {
            let value = try JSONSerialization.jsonObject(with: data, options: [])
            if let array = value as? [Any] { return array }
            return [value]
        } catch {
            // Not one JSON value: try JSON Lines, so the error can name the line.
            let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            var objects: [Any] = []
            for (number, line) in lines.enumerated() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line), options: []) else {
                    throw ScoringClientError(
                        .invalidTransaction,
                        lines.count > 1
                            ? "line \(number + 1): not valid JSON" : "the input is not valid JSON")
                }
                objects.append(object)
            }
            return objects
        }
    }

    private static let knownKeys: Set<String> = [
        "id", "card_id", "terminal_id", "amount", "time", "event_time_unix_us", "features",
    ]

    private static func transaction(_ value: Any, position: Int, featureNames: [String]) throws -> Transaction {
        guard let object = value as? [String: Any] else {
            throw ScoringClientError(.invalidTransaction, "transaction \(position): expected a JSON object")
        }
        let name = (object["id"] as? String).map { "transaction '\($0)'" } ?? "transaction \(position)"
        if let unknown = object.keys.filter({ !knownKeys.contains($0) }).sorted().first {
            throw ScoringClientError(
                .invalidTransaction,
                "\(name): unknown field '\(unknown)' (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        var transaction = Transaction()
        transaction.id = try string(object, "id", name) ?? String(position)
        transaction.cardId = try string(object, "card_id", name) ?? ""
        transaction.terminalId = try string(object, "terminal_id", name) ?? ""
        guard let features = object["features"] else {
            throw ScoringClientError(.invalidTransaction, "\(name): missing field 'features'")
        }
        let amount = try number(object["amount"], "\(name): field 'amount'")
        let amountIndex = featureNames.firstIndex(where: { ["tx_amount", "amount"].contains($0.lowercased()) })
        transaction.features = try self.features(
            features, name, featureNames: featureNames,
            amount: amount.flatMap { value in amountIndex.map { ($0, value) } })
        if let amount {
            transaction.amount = amount
        } else if let amountIndex {
            transaction.amount = transaction.features[amountIndex]
        }
        if object["time"] != nil && object["event_time_unix_us"] != nil {
            throw ScoringClientError(.invalidTransaction, "\(name): give 'time' or 'event_time_unix_us', not both")
        }
        if let text = try string(object, "time", name) {
            guard let seconds = parseTime(text) else {
                throw ScoringClientError(
                    .invalidTransaction, "\(name): field 'time': '\(text)' is not YYYY-MM-DD HH:MM:SS")
            }
            transaction.eventTimeMicroseconds = seconds * 1_000_000
        } else if let micros = try number(object["event_time_unix_us"], "\(name): field 'event_time_unix_us'") {
            guard micros == micros.rounded(), abs(micros) < 9.2e18 else {
                throw ScoringClientError(
                    .invalidTransaction, "\(name): field 'event_time_unix_us': \(micros) is not a whole number")
            }
            transaction.eventTimeMicroseconds = Int64(micros)
        }
        return transaction
    }

    /// The inputs in model order. `amount` is the top-level amount and the index of the model's amount input: when
    /// given, `features` may leave that input out (an array one shorter, an object without the name), so the amount
    /// is written once.
    private static func features(
        _ value: Any, _ name: String, featureNames: [String], amount: (index: Int, value: Double)?
    ) throws -> [Double] {
        if var array = value as? [Any] {
            if let amount, array.count == featureNames.count - 1 {
                array.insert(amount.value, at: amount.index)
            }
            guard array.count == featureNames.count else {
                throw ScoringClientError(
                    .invalidTransaction,
                    "\(name): field 'features' has \(array.count) values; the model takes \(featureNames.count) "
                        + "(\(featureNames.joined(separator: ", ")))")
            }
            return try array.enumerated().map { index, element in
                guard let number = try number(element, "\(name): features[\(index)] (\(featureNames[index]))")
                else {
                    throw ScoringClientError(
                        .invalidTransaction, "\(name): features[\(index)] (\(featureNames[index])) is null")
                }
                return number
            }
        }
        guard let object = value as? [String: Any] else {
            throw ScoringClientError(
                .invalidTransaction,
                "\(name): field 'features' must be an object of NAME: number or an array of numbers")
        }
        if let unknown = object.keys.filter({ !featureNames.contains($0) }).sorted().first {
            throw ScoringClientError(
                .invalidTransaction,
                "\(name): features: the model has no input '\(unknown)' (inputs: \(featureNames.joined(separator: ", ")))"
            )
        }
        return try featureNames.enumerated().map { index, feature in
            if object[feature] == nil, let amount, amount.index == index { return amount.value }
            guard let element = object[feature] else {
                throw ScoringClientError(.invalidTransaction, "\(name): features: missing input '\(feature)'")
            }
            guard let number = try number(element, "\(name): features.\(feature)") else {
                throw ScoringClientError(.invalidTransaction, "\(name): features.\(feature) is null")
            }
            return number
        }
    }

    private static func string(_ object: [String: Any], _ key: String, _ name: String) throws -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value as? String else {
            throw ScoringClientError(.invalidTransaction, "\(name): field '\(key)' must be a string")
        }
        return text
    }

    /// A JSON number (not a boolean) as a `Double`; `nil` for absent or null.
    private static func number(_ value: Any?, _ what: String) throws -> Double? {
        guard let value, !(value is NSNull) else { return nil }
        // JSONSerialization turns true/false into NSNumber too; reject them by their Objective-C type code.
        guard let number = value as? NSNumber, !(value is String), String(cString: number.objCType) != "c" else {
            throw ScoringClientError(.invalidTransaction, "\(what) must be a number")
        }
        return number.doubleValue
    }

    /// `YYYY-MM-DD HH:MM:SS` (or with `T`), UTC, to epoch seconds.
    static func parseTime(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let day = Day(String(decoding: bytes[0..<10], as: UTF8.self))
        else { return nil }
        func field(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let hour = field(11..<13), let minute = field(14..<16), let second = field(17..<19),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}
