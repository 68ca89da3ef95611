public import SentinelArguments
public import SentinelRPC

/// How a client reaches a Sentinel service — its `HOST:PORT`, the call timeout and the shared token — parsed one
/// way by every CLI verb and by `sentinel-api` for its monitor, with help lines from one table.
///
/// ```swift
/// let connection = try ConnectionOptions(parsing: &arguments, .api)    // --api, --timeout, --token-file
/// try await TCPClient.withClient(address: connection.address, configuration: connection.client) { … }
/// ```
public struct ConnectionOptions: Sendable, Equatable {
    /// The flags that name one peer: which address flag, which token flag, whether `--timeout` is offered.
    public struct Flags: Sendable {
        /// The address flag, e.g. `--api`.
        public var address: String
        /// Its environment variable.
        public var addressEnvironment: String
        /// What the address points at, for help and errors: `the scoring service`.
        public var peer: String
        /// The token flag, e.g. `--token-file`.
        public var token: String
        /// Its environment variable.
        public var tokenEnvironment: String
        /// Whether `--timeout SECONDS` is read.
        public var readsTimeout: Bool
        /// The timeout when `--timeout` is absent or not offered.
        public var defaultTimeout: Duration

        /// The scoring service, for the CLI: `--api`, `--timeout`, `--token-file`.
        public static let api = Flags(
            address: "--api", addressEnvironment: "SENTINEL_API", peer: "the scoring service", token: "--token-file",
            tokenEnvironment: "SENTINEL_TOKEN_FILE", readsTimeout: true, defaultTimeout: .seconds(5))
        /// The monitor, for the CLI: `--monitor`, `--timeout`, `--token-file`.
        public static let monitor = Flags(
            address: "--monitor", addressEnvironment: "SENTINEL_MONITOR", peer: "the monitor", token: "--token-file",
            tokenEnvironment: "SENTINEL_TOKEN_FILE", readsTimeout: true, defaultTimeout: .seconds(5))
        /// The monitor, for `sentinel-api`'s event reporter: `--monitor`, `--monitor-token-file`.
        public static let reporterMonitor = Flags(
            address: "--monitor", addressEnvironment: "SENTINEL_MONITOR", peer: "send scoring events to this monitor",
            token: "--monitor-token-file", tokenEnvironment: "SENTINEL_MONITOR_TOKEN_FILE", readsTimeout: false,
            defaultTimeout: .seconds(5))

        /// The same flags with another default timeout.
        /// - Parameter timeout: The default.
        /// - Returns: The flags.
        public func defaultTimeout(_ timeout: Duration) -> Flags {
            var flags = self
            flags.defaultTimeout = timeout
            return flags
        }

        /// The help lines for these flags (the one table every verb prints), options in a column of `width`.
        /// - Parameters:
        ///   - width: The width of the option column, indentation included.
        ///   - includingAddress: Whether to list the address flag (a verb with several describes its own).
        /// - Returns: One line per flag, joined by newlines.
        public func help(width: Int, includingAddress: Bool = true) -> String {
            var rows: [(String, String)] = []
            if includingAddress {
                rows.append(("\(address) HOST:PORT", "\(peer), [IPV6]:PORT for IPv6 (env \(addressEnvironment))"))
            }
            if readsTimeout {
                rows.append(("--timeout SECONDS", "give up after this long (default \(Self.seconds(defaultTimeout)))"))
            }
            rows.append(("\(token) FILE", "present the shared token in FILE (env \(tokenEnvironment))"))
            return rows.map { helpRow($0, $1, width: width) }.joined(separator: "\n")
        }

        private static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return attoseconds == 0 ? "\(seconds)" : "\(Double(seconds) + Double(attoseconds) / 1e18)"
        }
    }

    /// The service's address.
    public var address: SocketAddress
    /// The deadline of one call, and the connect timeout.
    public var timeout: Duration
    /// The token to present, if any.
    public var token: AuthToken?

    /// Creates options.
    public init(address: SocketAddress, timeout: Duration = .seconds(5), token: AuthToken? = nil) {
        self.address = address
        self.timeout = timeout
        self.token = token
    }

    /// Reads the address (required), the timeout and the token file.
    /// - Parameters:
    ///   - arguments: The command line and environment.
    ///   - flags: Which flags name the peer.
    /// - Throws: `UsageError` for a missing or malformed address, a bad timeout or an unusable token file.
    public init(parsing arguments: inout Arguments, _ flags: Flags) throws {
        guard let options = try Self.parse(&arguments, flags) else {
            throw UsageError("\(flags.address) HOST:PORT is required")
        }
        self = options
    }

    /// Reads the address, the timeout and the token file; `nil` when the address flag is absent.
    /// - Parameters:
    ///   - arguments: The command line and environment.
    ///   - flags: Which flags name the peer.
    /// - Throws: `UsageError` for a malformed address, a bad timeout or an unusable token file.
    public static func parse(_ arguments: inout Arguments, _ flags: Flags) throws -> ConnectionOptions? {
        let target = try arguments.option(flags.address, environment: flags.addressEnvironment)
        return try parse(&arguments, flags, target: target)
    }

    /// Reads the timeout and the token file for an address the caller has already read (a verb that takes one of
    /// several address flags); `nil` when `target` is `nil`.
    /// - Parameters:
    ///   - arguments: The command line and environment.
    ///   - flags: Which flags name the peer.
    ///   - target: The `HOST:PORT` text, if given.
    /// - Throws: `UsageError` for a malformed address, a bad timeout or an unusable token file.
    public static func parse(_ arguments: inout Arguments, _ flags: Flags, target: String?) throws
        -> ConnectionOptions?
    {
        var timeout = flags.defaultTimeout
        if flags.readsTimeout, let seconds = try arguments.option("--timeout", as: Double.self) {
            guard seconds.isFinite, seconds > 0, seconds <= 3600 else {
                throw UsageError("invalid value for --timeout: '\(seconds)' (seconds, more than 0 and at most 3600)")
            }
            timeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        let tokenPath = try arguments.option(flags.token, environment: flags.tokenEnvironment)
        guard let target else {
            if tokenPath != nil { throw UsageError("\(flags.token) needs \(flags.address) HOST:PORT") }
            return nil
        }
        guard let address = SocketAddress(parsing: target) else {
            throw UsageError("invalid address '\(target)' for \(flags.address): expected \(SocketAddress.syntax)")
        }
        let token = try tokenPath.map { path in try readToken(path, flag: flags.token) }
        return ConnectionOptions(address: address, timeout: timeout, token: token)
    }

    /// Reads a token file for `flag`; a server's `--token-file` uses it too.
    /// - Throws: `UsageError` naming the flag and the file.
    public static func readToken(_ path: String, flag: String) throws(UsageError) -> AuthToken {
        do {
            return try AuthToken(contentsOfFile: path)
        } catch {
            throw UsageError("\(flag): \(error)")
        }
    }

    /// Client settings: the token, and the timeout as the connect timeout.
    public var client: TCPClient.Configuration {
        var configuration = TCPClient.Configuration()
        configuration.token = token
        configuration.connectTimeout = timeout
        return configuration
    }
}
