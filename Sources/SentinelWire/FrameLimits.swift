/// The size limits a peer enforces on the frames it receives.
///
/// ```swift
/// var limits = FrameLimits()
/// limits.maximumPayloadSize = 1 << 20
/// ```
public struct FrameLimits: Sendable, Hashable {
    /// The default largest payload: 4 MiB, as gRPC's default maximum message size.
    public static let defaultMaximumPayloadSize = 4 * 1024 * 1024

    /// The largest payload accepted; a header declaring more is rejected before anything is allocated.
    public var maximumPayloadSize: Int

    /// Creates limits.
    /// - Parameter maximumPayloadSize: The largest payload in bytes (default 4 MiB); must be ≥ 0 and fit a `UInt32`.
    public init(maximumPayloadSize: Int = FrameLimits.defaultMaximumPayloadSize) {
        precondition(maximumPayloadSize >= 0 && maximumPayloadSize <= Int(UInt32.max), "payload limit out of range")
        self.maximumPayloadSize = maximumPayloadSize
    }
}
