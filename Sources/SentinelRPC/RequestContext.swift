public import SentinelWire

/// What a handler knows about the call it serves.
///
/// ```swift
/// router.register(.healthCheck) { (request: HealthCheckRequest, context) -> HealthCheckResponse in
///     if let deadline = context.deadline { ... }
/// }
/// ```
public struct RequestContext: Sendable {
    /// The id the client chose; echoed in the response.
    public var requestID: UInt32
    /// The method called.
    public var method: MethodID
    /// When the server stops waiting for this call (from the request's timeout), or `nil` for none.
    /// Async handlers are cancelled at this instant; long loops should call `try Task.checkCancellation()`.
    public var deadline: ContinuousClock.Instant?
    /// When the server read the request's frame (the start of its measured duration).
    public var receivedAt: ContinuousClock.Instant

    /// Whether the deadline has passed (by the continuous clock); long synchronous work checks it between items.
    public var isPastDeadline: Bool {
        deadline.map { ContinuousClock.now >= $0 } ?? false
    }

    /// Creates a context.
    /// - Parameters:
    ///   - requestID: The client's request id.
    ///   - method: The method called.
    ///   - deadline: When the server stops waiting, or `nil`.
    ///   - receivedAt: When the request frame was read (default: now).
    public init(
        requestID: UInt32, method: MethodID, deadline: ContinuousClock.Instant?,
        receivedAt: ContinuousClock.Instant = .now
    ) {
        self.requestID = requestID
        self.method = method
        self.deadline = deadline
        self.receivedAt = receivedAt
    }
}
