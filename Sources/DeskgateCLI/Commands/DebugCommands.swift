import DeskgateDesk
import DeskgateIdentity
import DeskgateModel
import DeskgateSystem
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

enum DebugCommands {
    static func run(_ arguments: [String], _ context: CommandContext) throws {
        if arguments.first == "fetch-client-metadata" {
            return try FetchClientMetadataCommand.run(Array(arguments.dropFirst()), context)
        }
        guard arguments.first == "write-probe" else { throw UsageError("debug needs write-probe or fetch-client-metadata") }
        let parsed = try Arguments(Array(arguments.dropFirst()), valueOptions: ["count", "in-flight"])
        _ = try parsed.positionals()
        try writeProbe(count: parsed.integer("count", default: 10_000, range: 1...10_000_000),
                       inFlight: parsed.integer("in-flight", default: 64, range: 1...4096), context)
    }

    /// Creates tenants `probe-1`, `probe-2`, … through the group-commit writer with many writes
    /// in flight, printing `ack probe-N` the moment each commit is acknowledged. The durability
    /// test kills this process with SIGKILL and checks that every acknowledged tenant exists.
    static func writeProbe(count: Int, inFlight: Int, _ context: CommandContext) throws {
        let storage = try context.openStorage(create: true)
        let tenants = TenantService(storage: storage)
        let slots = DispatchSemaphore(value: inFlight)
        let finished = DispatchSemaphore(value: 0)
        let failures = Atomic<Int>(0)
        let terminal = context.terminal
        for n in 1...count {
            slots.wait()
            let slug = "probe-\(n)"
            tenants.create(slug: slug, name: "Durability probe \(n)") { result in
                switch result {
                case .success: terminal.print("ack \(slug)")
                case .failure(let error):
                    failures.add(1, ordering: .relaxed)
                    terminal.error("failed \(slug): \(error)")
                }
                slots.signal()
                if n == count { finished.signal() }
            }
        }
        finished.wait()
        for _ in 0..<inFlight { slots.wait() }
        storage.close()
        if failures.load(ordering: .relaxed) > 0 { throw DebugFailure(count: failures.load(ordering: .relaxed)) }
    }

    struct DebugFailure: Error, CustomStringConvertible {
        let count: Int
        var description: String { "\(count) probe writes failed" }
    }
}
