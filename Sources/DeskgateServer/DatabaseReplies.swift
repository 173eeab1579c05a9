package import DeskgateSQL
public import DeskgateHTTP
public import DeskgateIdentity
package import DeskgateStore

extension RequestContext {
    /// Runs `job` through the database's single writer and answers once it is durable.
    ///
    /// The job joins the writer's next group commit; its completion (on the writer thread)
    /// reaches this request's event loop through the loop's inbox and eventfd.
    package func write<T: Sendable>(to database: Database,
                                   _ job: @escaping @Sendable (WriteTransaction) throws -> T,
                                   respond: @escaping @Sendable (T) throws -> Response) -> Reply {
        later { responder in
            database.enqueue(job) { result in
                do {
                    responder.respond(try respond(result.get()))
                } catch {
                    responder.fail(error)
                }
            }
        }
    }

    /// Runs a read on the worker pool with a pooled read-only connection (for queries that
    /// may take longer than a point lookup: lists, search).
    public func read(from storage: Storage, _ body: @escaping @Sendable (ReadHandle) throws -> Response) -> Reply {
        offload { try storage.withReader(body) }
    }

    package func read(from database: Database, _ body: @escaping @Sendable (any SQLConnection) throws -> Response) -> Reply {
        offload { try database.withReader(body) }
    }
}
