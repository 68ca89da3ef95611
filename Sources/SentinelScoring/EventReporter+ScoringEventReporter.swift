import SentinelModel
public import SentinelSchema

extension EventReporter: ScoringEventReporter {
    /// Registers the model's reference profile with the monitor before events of its version are sent.
    public func modelActivated(_ model: ModelHandle) {
        registerModel(version: model.version, artifact: model.file.artifact)
    }

    /// The reporter's counters as Stats reports them.
    public var delivery: StatsResponse.EventDelivery { statistics.eventDelivery }

    /// Whether the last call to the monitor succeeded.
    public var isMonitorReachable: Bool { statistics.monitorReachable }

    /// The configured durability.
    public var durability: EventDurability { configuration.durability }
}
