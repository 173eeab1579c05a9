public import DeskgateConfig
public import DeskgateStore
import DeskgateModel

extension DeskgateConfiguration {
    /// The database tunables the servers take from their configuration.
    public var databaseSettings: DatabaseConfiguration {
        var settings = DatabaseConfiguration()
        settings.checkpointIntervalMilliseconds = checkpointIntervalMilliseconds
        return settings
    }
}
