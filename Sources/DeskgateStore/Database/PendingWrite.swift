import DeskgateSQL
import DeskgateModel
/// A type-erased job waiting in the write queue.
struct PendingWrite: Sendable {
    /// What the writer does with a job's outcome once the batch's fate is known.
    struct Outcome: Sendable {
        let failed: Bool
        /// Called after COMMIT with nil, or with the error that lost the whole batch.
        let complete: @Sendable ((any Error)?) -> Void
    }

    /// Runs the job (inside its savepoint) and keeps the result for completion after COMMIT.
    let run: @Sendable (WriteTransaction) -> Outcome
    /// Fails a job that never ran (BEGIN failed, or the queue closed).
    let fail: @Sendable (any Error) -> Void

    init<T: Sendable>(_ job: @escaping @Sendable (WriteTransaction) throws -> T,
                      completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        run = { transaction in
            let result = Result { try job(transaction) }
            let failed = if case .failure = result { true } else { false }
            return Outcome(failed: failed) { batchError in
                if let batchError { completion(.failure(batchError)) } else { completion(result) }
            }
        }
        fail = { error in completion(.failure(error)) }
    }
}
