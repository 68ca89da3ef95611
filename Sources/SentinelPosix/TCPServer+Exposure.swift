import SentinelRPC

extension TCPServer {
    /// A warning for a server anyone on the network may call: bound to an address that is not loopback with no
    /// token required (`--token-file`); `nil` on a loopback address or with a token.
    ///
    /// Services log it once when they start, so an open port is never silent.
    public var openToNetworkWarning: String? {
        guard configuration.authToken == nil, !address.isLoopback else { return nil }
        return "listening on \(address), which is not a loopback address, with no --token-file: anyone who can "
            + "reach this port can call every method"
    }
}
