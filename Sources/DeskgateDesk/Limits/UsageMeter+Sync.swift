import DeskgateStore
public import DeskgateIdentity

/// The once-a-second exchange between a process's `UsageMeter` and `mcp_usage`.
extension UsageMeter {
    /// What one subject counted since the last sync (possibly nothing: a subject active in the
    /// last minute is still asked for its totals, so its view of the others stays fresh).
    struct Delta: Sendable {
        let subject: UsageSubject
        let hour: Int64
        let calls: Int, writes: Int, refused: Int

        var addition: UsageRepository.Addition {
            UsageRepository.Addition(tenantID: subject.tenantID, hour: hour, row: UsageRepository.Row(
                subject: subject.text, userID: subject.isTenant ? nil : subject.userID,
                tokenID: subject.tokenID == 0 ? nil : subject.tokenID,
                clientID: subject.clientID.isEmpty ? nil : subject.clientID,
                calls: calls, writes: writes, refused: refused))
        }
    }

    /// How long a subject stays in memory after its last call (its hour's counts must outlive it).
    static let idleMilliseconds: Int64 = 3_600_000
    static let freshMilliseconds: Int64 = 60_000

    /// Adds this process's counts to the shared totals and charges what the other processes
    /// counted meanwhile; returns how many subjects were synced. On failure nothing is lost:
    /// the counts wait for the next sync.
    @discardableResult
    public func sync(storage: Storage) throws -> Int {
        let deltas = drain()
        guard !deltas.isEmpty else { return 0 }
        let totals: [(calls: Int, writes: Int)]
        do {
            totals = try storage.database.write { tx in
                try deltas.map { try UsageRepository().add($0.addition, in: tx) }
            }
        } catch {
            restore(deltas)
            throw error
        }
        absorb(deltas, totals: totals)
        return deltas.count
    }

    /// The subjects with something to sync, in the order of `mcp_usage`'s key (tenant, subject;
    /// one hour): every process's sync then locks its rows in the same order. In the order of
    /// a dictionary, which each process seeds differently, two processes syncing at once could
    /// each hold the row the other waits for, and one of them waited out PostgreSQL's deadlock
    /// check (a second) to fail.
    func drain() -> [Delta] {
        let now = clock()
        let hour = HourlyQuota.hour(of: now)
        let deltas = state.withLock { state in
            var deltas: [Delta] = []
            for (subject, entry) in state.entries {
                let pending = entry.pendingCalls + entry.pendingWrites + entry.pendingRefused
                if pending == 0 {
                    if now - entry.lastActive > Self.idleMilliseconds { state.entries[subject] = nil }
                    if now - entry.lastActive > Self.freshMilliseconds { continue }
                }
                deltas.append(Delta(subject: subject, hour: hour, calls: entry.pendingCalls, writes: entry.pendingWrites,
                                    refused: entry.pendingRefused))
                if pending > 0 {
                    var drained = entry
                    drained.pendingCalls = 0; drained.pendingWrites = 0; drained.pendingRefused = 0
                    state.entries[subject] = drained
                }
            }
            return deltas
        }
        return deltas.sorted { ($0.subject.tenantID, $0.subject.text) < ($1.subject.tenantID, $1.subject.text) }
    }

    func restore(_ deltas: [Delta]) {
        state.withLock { state in
            for delta in deltas {
                var entry = state.entries[delta.subject] ?? Entry()
                entry.pendingCalls += delta.calls
                entry.pendingWrites += delta.writes
                entry.pendingRefused += delta.refused
                state.entries[delta.subject] = entry
            }
        }
    }

    /// Learns the others' counts from the totals: what is not ours is theirs.
    func absorb(_ deltas: [Delta], totals: [(calls: Int, writes: Int)]) {
        let nanos = clock() &* 1_000_000
        state.withLock { state in
            for (delta, total) in zip(deltas, totals) {
                var entry = state.entries[delta.subject] ?? Entry()
                if entry.syncedHour != delta.hour {
                    entry.syncedHour = delta.hour
                    entry.syncedCalls = 0; entry.syncedWrites = 0; entry.othersCalls = 0
                }
                entry.syncedCalls += delta.calls
                entry.syncedWrites += delta.writes
                let othersCalls = max(total.calls - entry.syncedCalls, 0)
                let limit = entry.callLimit
                if limit > 0 {
                    entry.rate.charge(othersCalls - entry.othersCalls, now: nanos, limit: limit, window: Self.minute)
                }
                entry.othersCalls = othersCalls
                entry.writes.learn(others: total.writes - entry.syncedWrites, hour: delta.hour)
                state.entries[delta.subject] = entry
            }
        }
    }
}
