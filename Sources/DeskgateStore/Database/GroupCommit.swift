import DeskgateSQL
import DeskgateModel
/// Runs one batch of write jobs as a single write transaction (`BEGIN IMMEDIATE … COMMIT` on SQLite) on the writer connection.
///
/// Each job gets its own SAVEPOINT, so a job that throws rolls back only its own rows. No
/// completion runs before COMMIT has returned: "told it succeeded" means it is durable.
struct GroupCommit {
    let connection: any SQLConnection
    let transaction: WriteTransaction

    init(connection: any SQLConnection) {
        self.connection = connection
        self.transaction = WriteTransaction(connection: connection)
    }

    /// Runs `jobs`; `account(committed, failed)` is told the outcome before any completion
    /// runs, so statistics never lag behind what callers have been told.
    func run(_ jobs: ArraySlice<PendingWrite>, account: (_ committed: Int, _ failed: Int) -> Void) {
        do {
            try connection.execute(script: connection.dialect.beginWrite)
        } catch {
            account(0, jobs.count)
            for job in jobs { job.fail(error) }
            return
        }

        // A lone job needs no savepoint: if it fails, the whole transaction is its own to roll
        // back. Savepoints cost every statement inside them extra pager work, which grew with
        // the database (bulk demo data slowed from 3.6k to 0.6k tickets/s by 100k tickets).
        if jobs.count == 1, let job = jobs.first {
            let outcome = job.run(transaction)
            if outcome.failed || connection.isAutocommit {
                if !connection.isAutocommit { try? connection.execute(script: "ROLLBACK") }
                account(0, 1)
                outcome.complete(outcome.failed ? nil : StoreError.engine(code: 0, message: "transaction rolled back by SQLite during a write job"))
                return
            }
            do {
                try connection.execute(script: "COMMIT")
            } catch {
                return abandon([outcome], error: error, remaining: [], account: account)
            }
            account(1, 0)
            outcome.complete(nil)
            return
        }

        var outcomes: [PendingWrite.Outcome] = []
        outcomes.reserveCapacity(jobs.count)
        for index in jobs.indices {
            let outcome: PendingWrite.Outcome
            do {
                try connection.execute(script: "SAVEPOINT job")
                outcome = jobs[index].run(transaction)
                if outcome.failed { try connection.execute(script: "ROLLBACK TO job") }
                try connection.execute(script: "RELEASE job")
            } catch {
                // Savepoint control itself failed: the transaction is in an unknown state.
                return abandon(outcomes, error: error, remaining: jobs[index...], account: account)
            }
            if connection.isAutocommit {
                // SQLite rolled the whole transaction back on its own (I/O error, disk full):
                // earlier jobs' rows are gone too. Fail them; retry the rest in a new batch.
                let lost = StoreError.engine(code: 0, message: "transaction rolled back by SQLite during a write job")
                outcomes.append(outcome)
                account(0, outcomes.count)
                for done in outcomes { done.complete(lost) }
                return run(jobs[(index + 1)...], account: account)
            }
            outcomes.append(outcome)
        }

        do {
            try connection.execute(script: "COMMIT")
        } catch {
            return abandon(outcomes, error: error, remaining: [], account: account)
        }
        let failed = outcomes.count(where: \.failed)
        account(outcomes.count - failed, failed)
        for outcome in outcomes { outcome.complete(nil) }
    }

    private func abandon(_ outcomes: [PendingWrite.Outcome], error: any Error,
                         remaining: ArraySlice<PendingWrite>, account: (Int, Int) -> Void) {
        if !connection.isAutocommit { try? connection.execute(script: "ROLLBACK") }
        account(0, outcomes.count + remaining.count)
        for outcome in outcomes { outcome.complete(error) }
        for job in remaining { job.fail(error) }
    }
}
