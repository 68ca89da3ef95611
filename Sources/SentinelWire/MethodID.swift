/// A method's number on the wire (bytes 12–13 of a REQUEST header) and its full name.
///
/// The numbers are part of the protocol (PROTOCOL.md, "Methods") and never reused.
///
/// ```swift
/// router.register(.healthCheck) { (request: HealthCheckRequest, context) in HealthCheckResponse(status: .serving) }
/// print(MethodID.scoringScore.fullName)  // sentinel.v1.Scoring/Score
/// ```
public struct MethodID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number on the wire.
    public var rawValue: UInt16

    /// Creates a method id from its wire number.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1, `sentinel.v1.Health/Check`.
    public static let healthCheck = MethodID(rawValue: 1)
    /// 2, `sentinel.v1.Health/Watch`.
    public static let healthWatch = MethodID(rawValue: 2)
    /// 10, `sentinel.v1.Scoring/Score`.
    public static let scoringScore = MethodID(rawValue: 10)
    /// 11, `sentinel.v1.Scoring/ScoreBatch`.
    public static let scoringScoreBatch = MethodID(rawValue: 11)
    /// 12, `sentinel.v1.Scoring/ModelInfo`.
    public static let scoringModelInfo = MethodID(rawValue: 12)
    /// 13, `sentinel.v1.Scoring/ReloadModel`.
    public static let scoringReloadModel = MethodID(rawValue: 13)
    /// 14, `sentinel.v1.Scoring/Stats`.
    public static let scoringStats = MethodID(rawValue: 14)
    /// 20, `sentinel.v1.Monitor/IngestEvents`.
    public static let monitorIngestEvents = MethodID(rawValue: 20)
    /// 21, `sentinel.v1.Monitor/Snapshot`.
    public static let monitorSnapshot = MethodID(rawValue: 21)
    /// 22, `sentinel.v1.Monitor/ReportLabels`.
    public static let monitorReportLabels = MethodID(rawValue: 22)
    /// 23, `sentinel.v1.Monitor/RegisterModel`.
    public static let monitorRegisterModel = MethodID(rawValue: 23)

    /// Every method the protocol defines, with its full name, in number order.
    public static let known: [(id: MethodID, fullName: String)] = [
        (.healthCheck, "sentinel.v1.Health/Check"),
        (.healthWatch, "sentinel.v1.Health/Watch"),
        (.scoringScore, "sentinel.v1.Scoring/Score"),
        (.scoringScoreBatch, "sentinel.v1.Scoring/ScoreBatch"),
        (.scoringModelInfo, "sentinel.v1.Scoring/ModelInfo"),
        (.scoringReloadModel, "sentinel.v1.Scoring/ReloadModel"),
        (.scoringStats, "sentinel.v1.Scoring/Stats"),
        (.monitorIngestEvents, "sentinel.v1.Monitor/IngestEvents"),
        (.monitorSnapshot, "sentinel.v1.Monitor/Snapshot"),
        (.monitorReportLabels, "sentinel.v1.Monitor/ReportLabels"),
        (.monitorRegisterModel, "sentinel.v1.Monitor/RegisterModel"),
    ]

    /// Looks a method up by its full name, such as `sentinel.v1.Scoring/Score`.
    /// - Parameter fullName: The name as PROTOCOL.md spells it.
    public init?(fullName: String) {
        guard let entry = Self.known.first(where: { $0.fullName == fullName }) else { return nil }
        self = entry.id
    }

    /// The full name, or `method(n)` for a number the protocol does not define.
    public var fullName: String {
        Self.known.first(where: { $0.id == self })?.fullName ?? "method(\(rawValue))"
    }

    /// Same as ``fullName``.
    public var description: String { fullName }
}
