import Glibc

/// A consuming parser over a command line's arguments, shared by the CLI and both services.
///
/// Options are read by name, in any order; each `option`/`flag` call consumes what it matched, and
/// ``finish()`` rejects whatever is left, so a misspelt flag is an error rather than silently ignored.
/// Both `--name value` and `--name=value` are accepted. An option may fall back to an environment
/// variable (12-factor configuration); the command line wins over the environment.
///
/// ```swift
/// var arguments = Arguments(["--port", "8000", "--json"], environment: [:])
/// let port = try arguments.option("--port", environment: "SENTINEL_PORT", as: UInt16.self) ?? 8000
/// let json = arguments.flag("--json")
/// try arguments.finish()
/// ```
public struct Arguments: Sendable {
    /// The arguments not consumed yet, in their original order.
    public private(set) var remaining: [String]
    /// The environment consulted by options that name a variable.
    public let environment: [String: String]
    /// Every option and flag name asked for so far: what ``finish()`` suggests a misspelt option from.
    public private(set) var consulted: [String] = []

    /// Creates a parser.
    /// - Parameters:
    ///   - arguments: The arguments after the program (and verb) name.
    ///   - environment: The process environment, or a fixed one in tests.
    public init(_ arguments: [String], environment: [String: String] = [:]) {
        self.remaining = arguments
        self.environment = environment
    }

    /// Consumes a boolean flag.
    /// - Returns: Whether the flag was present (or its environment variable is `1`, `true` or `yes`).
    public mutating func flag(_ name: String, environment variable: String? = nil) -> Bool {
        consulted.append(name)
        var found = false
        while let index = remaining.firstIndex(of: name) {
            remaining.remove(at: index)
            found = true
        }
        if found { return true }
        if let variable, let value = environment[variable] {
            return ["1", "true", "yes"].contains(value.lowercased())
        }
        return false
    }

    /// Consumes a string option.
    /// - Returns: The last value given on the command line, else the environment variable's value, else `nil`.
    /// - Throws: ``UsageError`` when the option is present without a value.
    public mutating func option(_ name: String, environment variable: String? = nil) throws -> String? {
        consulted.append(name)
        var value: String?
        var index = remaining.startIndex
        while index < remaining.endIndex {
            let argument = remaining[index]
            if argument == name {
                guard index + 1 < remaining.endIndex,
                    !remaining[index + 1].hasPrefix("--") || remaining[index + 1] == "-"
                else {
                    throw UsageError("\(name) needs a value")
                }
                value = remaining[index + 1]
                remaining.removeSubrange(index...index + 1)
            } else if argument.hasPrefix(name + "=") {
                value = String(argument.dropFirst(name.count + 1))
                remaining.remove(at: index)
            } else {
                index += 1
            }
        }
        if let value { return value }
        if let variable, let fromEnvironment = environment[variable], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return nil
    }

    /// Consumes an option and converts it with `LosslessStringConvertible`.
    /// - Throws: ``UsageError`` naming the option and the bad value when the conversion fails.
    public mutating func option<Value: LosslessStringConvertible>(
        _ name: String,
        environment variable: String? = nil,
        as type: Value.Type
    ) throws -> Value? {
        guard let text = try option(name, environment: variable) else { return nil }
        guard let value = Value(text) else {
            throw UsageError("invalid value for \(name): '\(text)'")
        }
        return value
    }

    /// Consumes an option that must be present.
    /// - Throws: ``UsageError`` when it is missing.
    public mutating func required(_ name: String, environment variable: String? = nil) throws -> String {
        guard let value = try option(name, environment: variable) else {
            throw UsageError("missing \(name)")
        }
        return value
    }

    /// Consumes the next argument that is not an option (does not start with `--`; `-` alone counts as positional).
    public mutating func positional() -> String? {
        guard let index = remaining.firstIndex(where: { !$0.hasPrefix("--") }) else { return nil }
        return remaining.remove(at: index)
    }

    /// Fails if anything is left unconsumed.
    /// - Throws: ``UsageError`` naming the first unknown argument, with the closest option asked for ("did you
    ///   mean …?") when one is close.
    public func finish() throws {
        if let first = remaining.first {
            guard first.hasPrefix("-") else { throw UsageError("unexpected argument '\(first)'") }
            throw Self.unknownOption(first, known: consulted)
        }
    }

    /// The first argument in `arguments` that looks like an option (`--name` or `--name=value`) but is not one of
    /// `known`, as a usage error with a suggestion; `nil` when every option is known.
    /// - Parameters:
    ///   - arguments: Arguments, typically those a failed parse left unconsumed.
    ///   - known: The options the command takes.
    /// - Returns: The error to report, or `nil`.
    public static func firstUnknownOption(in arguments: [String], known: Set<String>) -> UsageError? {
        for argument in arguments where argument.hasPrefix("--") && argument.count > 2 {
            let name = String(argument.prefix(while: { $0 != "=" }))
            if !known.contains(name) { return unknownOption(name, known: known.sorted()) }
        }
        return nil
    }

    private static func unknownOption(_ argument: String, known: [String]) -> UsageError {
        let name = String(argument.prefix(while: { $0 != "=" }))
        return UsageError("unknown option '\(name)'" + Suggestion.didYouMean(name, among: known))
    }
}

/// A command line that cannot be carried out as written. Commands print it with their usage line and exit 64
/// (`EX_USAGE`).
public struct UsageError: Error, CustomStringConvertible, Sendable {
    /// What is wrong, in one line.
    public var message: String

    /// Creates a usage error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Exit codes shared by every Sentinel executable.
public enum ExitCode {
    /// Success.
    public static let success: Int32 = 0
    /// Any failure other than a usage error.
    public static let failure: Int32 = 1
    /// The command line was wrong (`EX_USAGE` from sysexits.h).
    public static let usage: Int32 = 64
    /// Stopped by Ctrl-C (SIGINT) or SIGTERM: 128 + 2, as a shell reports a command killed by SIGINT.
    public static let interrupted: Int32 = 130
}

/// The version every executable prints for `--version`.
public enum SentinelVersion {
    /// Semantic version of this build.
    public static let string = "0.1.0"

    /// The source revision of this build, from `SENTINEL_REVISION` (the images set it from their build argument),
    /// else `unknown`.
    public static var revision: String {
        guard let value = getenv("SENTINEL_REVISION"), value.pointee != 0 else { return "unknown" }
        return String(cString: value)
    }
}

/// One row of an option table in `--help` text: `  OPTION` padded to `width` columns, then the text; a second
/// line, when given, is indented to the text's column. Every verb and service prints its options this way.
/// - Parameters:
///   - option: The option and its value name, e.g. `--api HOST:PORT`.
///   - text: What it does.
///   - continuation: A second line (the environment variable and default), if any.
///   - width: The width of the option column, indentation included.
/// - Returns: The row.
public func helpRow(_ option: String, _ text: String, continuation: String? = nil, width: Int) -> String {
    let column = "  " + option
    var row = column + String(repeating: " ", count: max(1, width - column.count)) + text
    if let continuation { row += "\n" + String(repeating: " ", count: width) + continuation }
    return row
}

extension Arguments {
    /// Consumes a duration option such as `500ms`, `60s`, `5m`, `24h` or `2d` (a bare number is seconds).
    /// - Returns: The duration, or `nil` when the option is absent.
    /// - Throws: ``UsageError`` naming the option for anything but a positive duration.
    public mutating func duration(_ name: String, environment variable: String? = nil) throws -> Duration? {
        guard let text = try option(name, environment: variable) else { return nil }
        return .milliseconds(try Self.milliseconds(text, option: name))
    }

    /// Parses a duration such as `500ms`, `60s`, `5m`, `24h` or `2d` (a bare number is seconds).
    /// - Parameters:
    ///   - text: The duration.
    ///   - option: The option's name, for the error.
    /// - Returns: Milliseconds (positive).
    /// - Throws: ``UsageError`` for anything else.
    public static func milliseconds(_ text: String, option: String) throws -> Int64 {
        let units: [(String, Double)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "ms" also ends with "s": only accept a number before the suffix.
            if let value = Double(number), value.isFinite, value > 0 {
                let result = (value * scale).rounded()
                guard result >= 1, result < 9e15 else { break }
                return Int64(result)
            }
        }
        if let seconds = Double(text), seconds.isFinite, seconds > 0, seconds * 1_000 >= 1, seconds < 9e12 {
            return Int64((seconds * 1_000).rounded())
        }
        throw UsageError("invalid duration for \(option): '\(text)' (e.g. 500ms, 60s, 5m, 24h)")
    }
}
