public import DeskgateConfig
public import DeskgateIdentity

extension DeskgateConfiguration {
    /// The storage tunables the servers take from their configuration.
    public var storageSettings: StorageSettings {
        var settings = StorageSettings(checkpointIntervalMilliseconds: checkpointIntervalMilliseconds,
                                       readBudgetMilliseconds: readBudgetMilliseconds, readPoolSize: readPoolSize)
        settings.statisticsIntervalMilliseconds = statisticsIntervalMilliseconds
        return settings
    }
}
