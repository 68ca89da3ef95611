/// How card ids are ordered when two cards have the same risk in CP@k.
///
/// When every card id in the data is an integer (as the Handbook's `CUSTOMER_ID` is), ids compare numerically;
/// otherwise all ids compare as strings (by Unicode scalar values). Deciding once per data set, rather than per
/// pair, keeps the order total: mixing numeric and string comparison pair by pair can form cycles.
public enum CardOrder: String, Sendable, Codable, Equatable {
    /// Card ids compared as integers.
    case numeric
    /// Card ids compared as strings.
    case lexicographic

    /// Picks the order for a set of card ids.
    /// - Parameter ids: The card ids that will be compared.
    /// - Returns: `.numeric` when every id parses as a 64-bit integer, else `.lexicographic`.
    public static func choose(for ids: some Sequence<String>) -> CardOrder {
        for id in ids where Int64(id) == nil {
            return .lexicographic
        }
        return .numeric
    }

    /// A sentence for reports, such as "ties broken by ascending card id (compared as integers)".
    public var tieRule: String {
        switch self {
        case .numeric: return "ties broken by ascending card id (compared as integers)"
        case .lexicographic: return "ties broken by ascending card id (compared as strings)"
        }
    }

    /// Whether `lhs` comes strictly before `rhs`.
    func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
        switch self {
        case .numeric:
            // Both parse (checked by `choose`); equal numbers with different spellings ("07", "7") fall back to text.
            let left = Int64(lhs) ?? 0
            let right = Int64(rhs) ?? 0
            return left != right ? left < right : lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
        case .lexicographic:
            return lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
        }
    }
}
