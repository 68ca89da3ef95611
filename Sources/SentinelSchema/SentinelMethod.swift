/// The RPC methods of the Sentinel protocol: the number carried in a request frame and the full name.
///
/// Numbers are stable wire identifiers (PROTOCOL.md lists the same table); never reuse a retired one.
///
/// ```swift
/// if method == SentinelMethod.healthCheck.number { … }
/// SentinelMethod(number: 10)?.name  // "sentinel.v1.Scoring/Score"
/// ```
public struct SentinelMethod: Sendable, Hashable, CustomStringConvertible {
    /// The method number carried on the wire.
    public let number: UInt16
    /// The full name, `sentinel.v1.<Service>/<Method>`.
    public let name: String

    private init(_ number: UInt16, _ name: String) {
        self.number = number
        self.name = name
    }

    /// `sentinel.v1.Health/Check` (1): ``HealthCheckRequest`` → ``HealthCheckResponse``.
    public static let healthCheck = SentinelMethod(1, "sentinel.v1.Health/Check")
    /// `sentinel.v1.Health/Watch` (2): ``HealthCheckRequest`` → stream of ``HealthCheckResponse``; reserved, not
    /// served in protocol version 1.
    public static let healthWatch = SentinelMethod(2, "sentinel.v1.Health/Watch")
    /// `sentinel.v1.Scoring/Score` (10): ``ScoreRequest`` → ``ScoreResponse``.
    public static let score = SentinelMethod(10, "sentinel.v1.Scoring/Score")
    /// `sentinel.v1.Scoring/ScoreBatch` (11): ``ScoreBatchRequest`` → ``ScoreBatchResponse``.
    public static let scoreBatch = SentinelMethod(11, "sentinel.v1.Scoring/ScoreBatch")
    /// `sentinel.v1.Scoring/ModelInfo` (12): ``ModelInfoRequest`` → ``ModelInfoResponse``.
    public static let modelInfo = SentinelMethod(12, "sentinel.v1.Scoring/ModelInfo")
    /// `sentinel.v1.Scoring/ReloadModel` (13): ``ReloadModelRequest`` → ``ReloadModelResponse``.
    public static let reloadModel = SentinelMethod(13, "sentinel.v1.Scoring/ReloadModel")
    /// `sentinel.v1.Scoring/Stats` (14): ``StatsRequest`` → ``StatsResponse``.
    public static let stats = SentinelMethod(14, "sentinel.v1.Scoring/Stats")
    /// `sentinel.v1.Monitor/IngestEvents` (20): ``EventBatch`` → ``IngestAck``.
    public static let ingestEvents = SentinelMethod(20, "sentinel.v1.Monitor/IngestEvents")
    /// `sentinel.v1.Monitor/Snapshot` (21): ``MonitorSnapshotRequest`` → ``MonitorSnapshotResponse``.
    public static let snapshot = SentinelMethod(21, "sentinel.v1.Monitor/Snapshot")
    /// `sentinel.v1.Monitor/ReportLabels` (22): ``ReportLabelsRequest`` → ``ReportLabelsResponse``.
    public static let reportLabels = SentinelMethod(22, "sentinel.v1.Monitor/ReportLabels")
    /// `sentinel.v1.Monitor/RegisterModel` (23): ``RegisterModelRequest`` → ``RegisterModelResponse``.
    public static let registerModel = SentinelMethod(23, "sentinel.v1.Monitor/RegisterModel")

    /// Every method, in number order.
    public static let all: [SentinelMethod] = [
        healthCheck, healthWatch, score, scoreBatch, modelInfo, reloadModel, stats,
        ingestEvents, snapshot, reportLabels, registerModel,
    ]

    /// Looks a method up by its wire number.
    /// - Parameter number: The number from a request frame.
    /// - Returns: The method, or nil when the number is not assigned (the server answers UNIMPLEMENTED).
    public init?(number: UInt16) {
        guard let method = Self.all.first(where: { $0.number == number }) else { return nil }
        self = method
    }

    /// Looks a method up by its full name.
    /// - Parameter name: A name such as `sentinel.v1.Scoring/Score`.
    /// - Returns: The method, or nil when the name is unknown.
    public init?(name: String) {
        guard let method = Self.all.first(where: { $0.name == name }) else { return nil }
        self = method
    }

    /// The full name and number, e.g. `sentinel.v1.Scoring/Score (10)`.
    public var description: String { "\(name) (\(number))" }
}
