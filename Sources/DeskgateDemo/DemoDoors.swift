public import DeskgateIdentity

extension DemoDataGenerator {
    /// The generator on the storage the CLI holds.
    public init(storage: Storage) { self.init(database: storage.database) }
}
