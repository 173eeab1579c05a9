public import DeskgateSQL
import DeskgateModel
/// The writer's open transaction, handed to one write job at a time.
///
/// Not Sendable: it wraps the writer thread's connection and must not escape the job.
/// Repositories take it for writes; `connection` serves reads inside the same transaction.
public final class WriteTransaction {
    public let connection: any SQLConnection

    init(connection: any SQLConnection) {
        self.connection = connection
    }
}
