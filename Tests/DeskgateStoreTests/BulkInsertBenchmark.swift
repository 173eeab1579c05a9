import DeskgateSQL
import Dispatch
import Foundation
import Testing
@testable import DeskgateStore
import DeskgateModel

/// Not a pass/fail test: measures the bulk path the demo generator will use. Run with
/// `DESKGATE_BENCH_TICKETS=200000 swift test -c release -Xswiftc -enable-testing --filter BulkInsert`.
@Suite struct BulkInsertBenchmark {
    static let tickets = Int(ProcessInfo.processInfo.environment["DESKGATE_BENCH_TICKETS"] ?? "") ?? 0

    @Test(.enabled(if: tickets > 0)) func ticketsWithMessages() throws {
        try withDatabase { db in
            let seed = try seedTenant("bench", word: "seed", in: db)
            let scope = seed.scope
            let perJob = 2_000, messagesPerTicket = 3
            let started = DispatchTime.now().uptimeNanoseconds
            var inserted = 0
            while inserted < Self.tickets {
                let count = min(perJob, Self.tickets - inserted)
                let base = inserted
                try db.write { tx in
                    let ids = try scope.tickets.createBatch((0..<count).map { i in
                        NewTicket(subject: "Ticket \(base + i) about printer model \(i % 97)", priority: .normal,
                                  departmentID: seed.department.id, assigneeID: seed.user.id,
                                  creatorID: seed.user.id, requesterContactID: seed.contact.id)
                    }, in: tx)
                    _ = try scope.messages.appendBatch(ids.flatMap { id in
                        (0..<messagesPerTicket).map { k in
                            NewMessage(ticketID: id, kind: k == 2 ? .note : .reply,
                                       author: k == 1 ? .agent(userID: seed.user.id) : .contact(contactID: seed.contact.id),
                                       body: "Message \(k) for ticket \(id): the toner cartridge \(id % 13) is empty again")
                        }
                    }, in: tx)
                }
                inserted += count
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let rows = inserted * (1 + messagesPerTicket)
            print("bulk insert: \(inserted) tickets + \(inserted * messagesPerTicket) messages in "
                  + "\(String(format: "%.2f", seconds)) s = \(Int(Double(inserted) / seconds)) tickets/s, "
                  + "\(Int(Double(rows) / seconds)) rows/s")
            #expect(try db.withReader { try scope.tickets.count(on: $0) } == inserted + 1)
        }
    }
}
