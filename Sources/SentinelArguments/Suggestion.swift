/// "Did you mean …?" for a mistyped verb or option: the closest known spelling, when one is close enough.
///
/// Closeness is the optimal-string-alignment distance (insertions, deletions, substitutions and transpositions of
/// neighbours, each costing 1), so `trian` is one edit from `train`. A candidate is offered only when it is at most
/// 2 edits away and fewer than half the word's characters change, so unrelated words are not "corrected".
///
/// ```swift
/// Suggestion.closest(to: "--dta", among: ["--data", "--json"])  // "--data"
/// ```
public enum Suggestion {
    /// The candidate closest to `word`, if one is close enough; ties go to the earlier candidate.
    /// - Parameters:
    ///   - word: What was typed.
    ///   - candidates: The known spellings.
    /// - Returns: The suggestion, or `nil`.
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let typed = Array(word.lowercased())
        // Option dashes are not part of what was mistyped: "--dta" against "--data" counts the letters only.
        let core = typed.drop(while: { $0 == "-" }).count
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = self.distance(typed, Array(candidate.lowercased()))
            guard distance <= 2, distance * 2 < max(core, 1) else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The text to append to an error: ` (did you mean 'x'?)`, or empty.
    /// - Parameters:
    ///   - word: What was typed.
    ///   - candidates: The known spellings.
    /// - Returns: The suffix.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// The optimal-string-alignment distance between two strings.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
