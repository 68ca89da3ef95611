/// One fuzz target: a function over arbitrary bytes that feeds them to a decoder or parser and checks the properties
/// that must hold for every input, throwing a ``FuzzFinding`` when one does not.
///
/// The same functions serve the libFuzzer driver (`fuzz/`, built with `-sanitize=fuzzer,address`, where a finding
/// is a crash and the input is saved) and the corpus replay in `swift test` (an ordinary debug build, where every
/// committed corpus and crash file must pass). A crash inside the code under test (a trap, an overflow, an
/// out-of-bounds access) is a finding too; only the fuzzer's sanitizers can report the ones that do not trap.
///
/// ```swift
/// let target = FuzzTarget.named("frame-decoder")!
/// try target.run(Array("SN".utf8))
/// ```
public struct FuzzTarget: Sendable {
    /// The name used on the command line and for the corpus directory, e.g. `frame-decoder`.
    public let name: String
    /// What the target feeds its input to and what it checks.
    public let summary: String
    private let makeSeeds: @Sendable () -> [[UInt8]]
    private let body: @Sendable (UnsafeRawBufferPointer) throws(FuzzFinding) -> Void

    init(
        name: String, summary: String, seeds: @escaping @Sendable @autoclosure () -> [[UInt8]] = [],
        body: @escaping @Sendable (UnsafeRawBufferPointer) throws(FuzzFinding) -> Void
    ) {
        self.name = name
        self.summary = summary
        self.makeSeeds = seeds
        self.body = body
    }

    /// Inputs built in code from real values (encoded messages and frames, well-formed requests) that start a
    /// corpus; empty for targets whose seeds are committed files (`fuzz/corpus/<name>/`).
    public var seeds: [[UInt8]] { makeSeeds() }

    /// Runs the target on one input.
    /// - Parameter input: Any bytes.
    /// - Throws: ``FuzzFinding`` when a property the target checks does not hold for `input`.
    public func run(_ input: UnsafeRawBufferPointer) throws(FuzzFinding) {
        try body(input)
    }

    /// Runs the target on one input.
    /// - Parameter input: Any bytes.
    /// - Throws: ``FuzzFinding`` when a property the target checks does not hold for `input`.
    public func run(_ input: [UInt8]) throws(FuzzFinding) {
        let result = input.withUnsafeBytes { bytes in Result { () throws(FuzzFinding) in try body(bytes) } }
        try result.get()
    }

    /// Every target, in the order `scripts/fuzz` runs them.
    public static let all: [FuzzTarget] = [frameDecoder, schema, httpRequest, csv, gzip, modelFile]

    /// The target called `name`, or nil.
    /// - Parameter name: A target's ``name``.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}

/// A property that did not hold for an input: what was expected and what happened.
public struct FuzzFinding: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the property.
    public var message: String

    /// Creates a finding.
    /// - Parameter message: What went wrong.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension UnsafeRawBufferPointer {
    /// The input without its first byte (which targets use to choose a variant), or empty.
    var afterControlByte: UnsafeRawBufferPointer {
        count > 1 ? UnsafeRawBufferPointer(rebasing: self[1...]) : UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
