import SentinelArguments

/// Drift injected into replayed transactions: `--drift 'TX_AMOUNT*1.5,V3=0'`.
///
/// Syntax: one or more comma-separated terms `FEATURE OP NUMBER`, where FEATURE is one of the model's input names
/// (exact spelling, as ModelInfo lists them), OP is `*` (scale), `+` or `-` (shift) or `=` (set), and NUMBER is a
/// finite decimal (`1.5`, `-2`, `1e-3`). Spaces around terms are ignored. Terms apply left to right, so
/// `TX_AMOUNT*2,TX_AMOUNT+1` doubles then adds one. A missing input (NaN) stays missing under `*`, `+` and `-`;
/// `=` sets it. Anything else (an unknown feature, a missing operator or number, `inf`) is a usage error.
struct DriftSpec: Equatable, Sendable, CustomStringConvertible {
    /// What a term does to a value.
    enum Operation: Equatable, Sendable {
        case scale(Double)
        case shift(Double)
        case set(Double)

        func apply(_ value: Double) -> Double {
            switch self {
            case .scale(let factor): value * factor
            case .shift(let offset): value + offset
            case .set(let newValue): newValue
            }
        }
    }

    /// One term: a feature (by name and model position) and its operation.
    struct Term: Equatable, Sendable {
        var feature: String
        var index: Int
        var operation: Operation
    }

    /// The terms, in application order.
    var terms: [Term]

    /// Parses a specification against the model's input names.
    /// - Parameters:
    ///   - text: The `--drift` value.
    ///   - featureNames: The model's inputs, in model order.
    /// - Throws: ``UsageError`` naming the offending term.
    init(parsing text: String, featureNames: [String]) throws {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false)
        var terms: [Term] = []
        for piece in pieces {
            let term = piece.trimmingSpaces
            guard !term.isEmpty else {
                throw UsageError(
                    "invalid --drift '\(text)': empty term (terms are FEATURE*N, FEATURE+N, FEATURE-N, FEATURE=N)")
            }
            guard let operatorIndex = term.firstIndex(where: { "*+-=".contains($0) }) else {
                throw UsageError(
                    "invalid --drift term '\(term)': expected FEATURE*N, FEATURE+N, FEATURE-N or FEATURE=N")
            }
            let name = String(term[..<operatorIndex]).trimmingSpaces
            let numberText = String(term[term.index(after: operatorIndex)...]).trimmingSpaces
            guard !name.isEmpty else {
                throw UsageError("invalid --drift term '\(term)': no feature name before '\(term[operatorIndex])'")
            }
            guard let index = featureNames.firstIndex(of: name) else {
                throw UsageError(
                    "invalid --drift term '\(term)': the model has no feature '\(name)' "
                        + "(features: \(featureNames.joined(separator: ", ")))")
            }
            guard Self.isDecimal(numberText), let number = Double(numberText), number.isFinite else {
                throw UsageError("invalid --drift term '\(term)': '\(numberText)' is not a finite number")
            }
            let operation: Operation =
                switch term[operatorIndex] {
                case "*": .scale(number)
                case "+": .shift(number)
                case "-": .shift(-number)
                default: .set(number)
                }
            terms.append(Term(feature: name, index: index, operation: operation))
        }
        self.terms = terms
    }

    /// Applies every term to one transaction's inputs (model order).
    func apply(to features: inout [Double]) {
        for term in terms {
            features[term.index] = term.operation.apply(features[term.index])
        }
    }

    /// The canonical text, e.g. `TX_AMOUNT*1.5,V3=0`.
    var description: String {
        terms.map { term in
            switch term.operation {
            case .scale(let factor): "\(term.feature)*\(factor)"
            case .shift(let offset) where offset < 0: "\(term.feature)-\(-offset)"
            case .shift(let offset): "\(term.feature)+\(offset)"
            case .set(let value): "\(term.feature)=\(value)"
            }
        }.joined(separator: ",")
    }

    /// Plain decimal syntax only: `Double("inf")`, `Double("nan")` and hexadecimal floats are not numbers here.
    private static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
