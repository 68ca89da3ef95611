import SentinelPosix
import SentinelRPC
import SentinelWire

/// How the reporter reaches the monitor: ``TCPClient`` in production; tests pass a transport that answers in
/// process, without sockets (see ``EventReporter/init(configuration:log:transport:)``).
protocol MonitorTransport: ClientTransport {
    /// Starts a call. The reporter calls it on its event loop, one call after another, and the requests must leave
    /// in that order.
    /// - Parameters:
    ///   - method: The method.
    ///   - payload: The request bytes.
    ///   - timeout: The relative deadline; `nil` for none.
    ///   - completion: Called exactly once, with the reply payload or the error.
    func startCall(
        _ method: MethodID, payload: [UInt8], timeout: Duration?, completion: @escaping ClientConnection.Completion)

    /// Closes the connection; calls still pending fail.
    func close()
}

extension TCPClient: MonitorTransport {}
