public import SentinelDrift

/// The monitor's statistical settings and memory bounds (the service's network settings live in
/// ``MonitorConfiguration``).
///
/// ```swift
/// var settings = MonitorSettings()
/// settings.windows.windowMilliseconds = 10_000
/// ```
public struct MonitorSettings: Sendable, Hashable, Codable {
    /// Window length, history, reservoir, thresholds and fraud-rate alarm, for every model version.
    public var windows: DriftWindows.Configuration
    /// Cap on out-of-order sequence ranges per producer (``SequenceTracker``).
    public var sequenceRangeCapacity: Int
    /// Scored transactions kept for delayed labels (``LabelBook``).
    public var labelCapacity: Int
    /// Labels kept waiting for their transaction.
    public var pendingLabelCapacity: Int
    /// Model versions tracked at once; registering one more is refused (RESOURCE_EXHAUSTED).
    public var modelCapacity: Int
    /// Producers tracked at once; a batch from one more is refused (RESOURCE_EXHAUSTED).
    public var producerCapacity: Int
    /// Closed windows in a row without an event after which a model version is idle and its alerts resolve
    /// (default 5; 0 never).
    public var idleWindows: Int

    /// Creates settings; every parameter has the documented default.
    public init(
        windows: DriftWindows.Configuration = DriftWindows.Configuration(),
        sequenceRangeCapacity: Int = SequenceTracker.defaultRangeCapacity,
        labelCapacity: Int = LabelBook.defaultCapacity,
        pendingLabelCapacity: Int = LabelBook.defaultPendingCapacity,
        modelCapacity: Int = 16,
        producerCapacity: Int = 1_024,
        idleWindows: Int = 5
    ) {
        self.windows = windows
        self.sequenceRangeCapacity = sequenceRangeCapacity
        self.labelCapacity = labelCapacity
        self.pendingLabelCapacity = pendingLabelCapacity
        self.modelCapacity = modelCapacity
        self.producerCapacity = producerCapacity
        self.idleWindows = idleWindows
    }

    private enum CodingKeys: String, CodingKey {
        case windows, sequenceRangeCapacity, labelCapacity, pendingLabelCapacity, modelCapacity, producerCapacity
        case idleWindows
    }

    /// Decodes settings; a state written before the idle limit existed gets the default.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for a missing or mistyped setting.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.windows = try container.decode(DriftWindows.Configuration.self, forKey: .windows)
        self.sequenceRangeCapacity = try container.decode(Int.self, forKey: .sequenceRangeCapacity)
        self.labelCapacity = try container.decode(Int.self, forKey: .labelCapacity)
        self.pendingLabelCapacity = try container.decode(Int.self, forKey: .pendingLabelCapacity)
        self.modelCapacity = try container.decode(Int.self, forKey: .modelCapacity)
        self.producerCapacity = try container.decode(Int.self, forKey: .producerCapacity)
        self.idleWindows = try container.decodeIfPresent(Int.self, forKey: .idleWindows) ?? 5
    }

    /// Checks every setting.
    /// - Throws: ``MonitorError`` `.invalidConfiguration` naming the bad one.
    public func validate() throws(MonitorError) {
        do {
            try windows.validate()
        } catch {
            throw MonitorError(.invalidConfiguration, error.message)
        }
        for (name, value, minimum) in [
            ("sequence range capacity", sequenceRangeCapacity, 1), ("label capacity", labelCapacity, 1),
            ("pending label capacity", pendingLabelCapacity, 0), ("model capacity", modelCapacity, 1),
            ("producer capacity", producerCapacity, 1), ("idle windows", idleWindows, 0),
        ] where value < minimum {
            throw MonitorError(.invalidConfiguration, "\(name) must be at least \(minimum), got \(value)")
        }
    }
}
