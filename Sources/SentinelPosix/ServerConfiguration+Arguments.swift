public import SentinelArguments
public import SentinelRPC

extension ServerConfiguration {
    /// Reads the options every Sentinel RPC server takes, as flags or `<prefix>_…` environment variables: the token
    /// clients must present (`--token-file FILE`, read now) and the connection limits (`--max-connections N`,
    /// `--max-connections-per-peer N`, `--handshake-timeout SECONDS`, `--idle-timeout SECONDS`).
    /// - Parameters:
    ///   - arguments: The command line and environment.
    ///   - environmentPrefix: The service's variable prefix, e.g. `SENTINEL_API`.
    /// - Throws: `UsageError` naming the flag for a value out of range or an unusable token file.
    public mutating func parseServerOptions(_ arguments: inout Arguments, environmentPrefix: String) throws {
        if let path = try arguments.option("--token-file", environment: "\(environmentPrefix)_TOKEN_FILE") {
            authToken = try ConnectionOptions.readToken(path, flag: "--token-file")
        }
        if let count = try arguments.option(
            "--max-connections", environment: "\(environmentPrefix)_MAX_CONNECTIONS", as: Int.self)
        {
            guard (1...1_000_000).contains(count) else {
                throw UsageError("--max-connections must be between 1 and 1000000, got \(count)")
            }
            maximumConnections = count
        }
        if let count = try arguments.option(
            "--max-connections-per-peer", environment: "\(environmentPrefix)_MAX_CONNECTIONS_PER_PEER", as: Int.self)
        {
            guard (1...1_000_000).contains(count) else {
                throw UsageError("--max-connections-per-peer must be between 1 and 1000000, got \(count)")
            }
            maximumConnectionsPerPeer = count
        }
        handshakeTimeout = try Self.seconds(
            &arguments, "--handshake-timeout", "\(environmentPrefix)_HANDSHAKE_TIMEOUT", default: handshakeTimeout)
        idleTimeout = try Self.seconds(
            &arguments, "--idle-timeout", "\(environmentPrefix)_IDLE_TIMEOUT", default: idleTimeout)
    }

    /// The help lines for ``parseServerOptions(_:environmentPrefix:)``'s flags, options in a column of `width`.
    /// - Parameters:
    ///   - environmentPrefix: The service's variable prefix.
    ///   - width: The width of the option column, indentation included.
    /// - Returns: One line per flag.
    public static func serverOptionsHelp(environmentPrefix: String, width: Int) -> String {
        let defaults = ServerConfiguration()
        let rows = [
            ("--token-file FILE", "require clients to present the token in FILE", "TOKEN_FILE", "none"),
            (
                "--max-connections N", "open RPC connections; one more gets GOAWAY RESOURCE_EXHAUSTED",
                "MAX_CONNECTIONS", "\(defaults.maximumConnections)"
            ),
            (
                "--max-connections-per-peer N", "open RPC connections from one IP address", "MAX_CONNECTIONS_PER_PEER",
                "no limit"
            ),
            (
                "--handshake-timeout S", "seconds a new connection has to send its first frame", "HANDSHAKE_TIMEOUT",
                "\(defaults.handshakeTimeout.components.seconds)"
            ),
            (
                "--idle-timeout S", "seconds an idle connection is kept", "IDLE_TIMEOUT",
                "\(defaults.idleTimeout.components.seconds)"
            ),
        ]
        return rows.map { option, text, variable, value in
            helpRow(
                option, text, continuation: "(env \(environmentPrefix)_\(variable), default \(value))", width: width)
        }.joined(separator: "\n")
    }

    private static func seconds(
        _ arguments: inout Arguments, _ flag: String, _ variable: String, default value: Duration
    ) throws -> Duration {
        guard let seconds = try arguments.option(flag, environment: variable, as: Double.self) else { return value }
        guard seconds.isFinite, seconds > 0, seconds <= 86_400 else {
            throw UsageError("\(flag) must be a number of seconds above 0 and at most 86400, got \(seconds)")
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }
}
