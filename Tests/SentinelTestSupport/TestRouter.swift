public import SentinelRPC
public import SentinelWire

/// The methods the RPC and socket tests serve, and a router answering them.
public enum TestRouter {
    /// Echoes the request on the loop (a synchronous handler).
    public static let echo = MethodID(rawValue: 100)
    /// Echoes the request from an async handler.
    public static let asyncEcho = MethodID(rawValue: 101)
    /// Fails with INVALID_ARGUMENT and a message meant for the client.
    public static let fail = MethodID(rawValue: 102)
    /// Throws an error that is not an `RPCError`, whose text must never reach the client.
    public static let crash = MethodID(rawValue: 103)
    /// Echoes once the gate opens.
    public static let gated = MethodID(rawValue: 104)
    /// Waits on the gate until cancelled; records the cancellation.
    public static let untilCancelled = MethodID(rawValue: 105)

    /// The error `crash` throws; its text stands for a secret that must not leak.
    public struct Secret: Error {
        /// What must not appear in any response.
        public var text = "database password is hunter2"
    }

    /// A router serving every method above.
    /// - Parameter gate: What `gated` and `untilCancelled` wait on.
    public static func make(gate: Gate = Gate()) -> Router {
        var router = Router()
        router.registerRaw(echo) { _, request, response in response.append(contentsOf: request) }
        router.registerRawAsync(asyncEcho) { _, request in
            await Task.yield()
            return request
        }
        router.registerRaw(fail) { _, _, _ in throw RPCError(.invalidArgument, "amount must be finite") }
        router.registerRaw(crash) { _, _, _ in throw Secret() }
        router.registerRawAsync(gated) { _, request in
            await gate.wait()
            return request
        }
        router.registerRawAsync(untilCancelled) { _, _ in
            await withTaskCancellationHandler {
                await gate.wait()
            } onCancel: {
                gate.recordCancellation()
                gate.open()
            }
            try Task.checkCancellation()
            return []
        }
        return router
    }
}
