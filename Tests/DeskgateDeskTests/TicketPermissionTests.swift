import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

@Suite("Ticket permissions")
struct TicketPermissionTests {
    enum Outcome: Equatable {
        case allowed, notFound, forbidden, other
    }

    static func outcome(_ body: () throws -> Void) -> Outcome {
        switch deskError(body) {
        case nil: .allowed
        case .notFound?: .notFound
        case .forbidden?: .forbidden
        case .some: .other
        }
    }

    /// (who, which ticket, read outcome, write outcome): the role rules of `TicketPermissions`.
    @Test(arguments: [
        ("admin", 3, Outcome.allowed, Outcome.allowed),
        ("agent in the ticket's department", 1, .allowed, .allowed),
        ("agent of another department but assignee", 2, .allowed, .allowed),
        ("agent of another department", 3, .notFound, .notFound),
        ("viewer in the ticket's department", 1, .allowed, .forbidden),
        ("viewer of another department", 2, .notFound, .notFound),
        ("inactive agent in the ticket's department", 1, .forbidden, .forbidden),
    ])
    func matrix(_ who: String, _ number: Int64, _ read: Outcome, _ write: Outcome) throws {
        let f = try HelpDeskFixture()
        let user = switch who.split(separator: " ").first! {
        case "admin": f.admin
        case "viewer": f.vera
        case "inactive": f.idle
        default: f.sam
        }
        let actor = try f.actor(user)
        let ref = TicketRef.number(number)
        #expect(Self.outcome { _ = try f.read { try f.service.metadata(ref, actor: actor, on: $0) } } == read, "\(who) reading #\(number)")
        #expect(Self.outcome { _ = try f.read { try f.service.messages(ref, actor: actor, on: $0) } } == read)
        #expect(Self.outcome { _ = try f.read { try f.service.tags(ref, actor: actor, on: $0) } } == read)
        #expect(Self.outcome { _ = try f.service.addNote(ref, body: "checked", actor: actor, dryRun: true) } == write,
                "\(who) changing #\(number)")
        #expect(Self.outcome { _ = try f.service.addTags(ref, ["x"], actor: actor) } == write)
    }

    @Test func invisibleForeignAndMissingTicketsFailWithTheSameText() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        // #3 exists but is invisible to Sam; globex has a ticket #1 too; #99 exists nowhere.
        #expect(f.foreignTicket.number == 1)
        let invisible = deskError { _ = try f.read { try f.service.metadata(.number(3), actor: sam, on: $0) } }
        let missing = deskError { _ = try f.read { try f.service.metadata(.number(99), actor: sam, on: $0) } }
        #expect(invisible == .notFound("ticket #3"))
        #expect(missing == .notFound("ticket #99"))
        #expect(invisible?.description == "ticket #3 not found")
        // Internal ids: another tenant's, an invisible one and a missing one read alike.
        let foreign = deskError { _ = try f.read { try f.service.metadata(.id(f.foreignTicket.id), actor: sam, on: $0) } }
        let hidden = deskError { _ = try f.read { try f.service.metadata(.id(f.t3.id), actor: sam, on: $0) } }
        #expect(foreign == .notFound("ticket id:\(f.foreignTicket.id)"))
        #expect(hidden == .notFound("ticket id:\(f.t3.id)"))
        // Even an admin cannot reach another tenant's ticket, and writes answer the same way.
        let admin = try f.actor(f.admin)
        #expect(deskError { _ = try f.read { try f.service.metadata(.id(f.foreignTicket.id), actor: admin, on: $0) } }
                == .notFound("ticket id:\(f.foreignTicket.id)"))
        #expect(deskError { _ = try f.service.resolve(.id(f.foreignTicket.id), actor: admin) }
                == .notFound("ticket id:\(f.foreignTicket.id)"))
        #expect(deskError { _ = try f.service.resolve(.number(3), actor: sam) } == .notFound("ticket #3"))
    }

    @Test func refusalsNameTheMissingPermission() throws {
        let f = try HelpDeskFixture()
        let vera = try f.actor(f.vera)
        #expect(deskError { _ = try f.service.resolve(.number(1), actor: vera) }
                == .forbidden("your role 'viewer' can read tickets but not change them (resolve needs role agent or admin)"))
        #expect(deskError { _ = try f.service.createTicket(TicketDraft(subject: "s", body: "b"), actor: vera) }
                == .forbidden("your role 'viewer' can read tickets but not create them (create needs role agent or admin)"))
        let idle = try f.actor(f.idle)
        #expect(deskError { _ = try f.read { try f.service.agents(actor: idle, on: $0) } }
                == .forbidden("your account (idle@acme.test) is deactivated; ask a tenant admin to reactivate it"))
        #expect(deskError { _ = try f.read { try f.service.search(TicketSearch(), actor: idle, on: $0) } } != nil)
    }

    @Test func allowedActionsFollowRoleAndState() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        let vera = try f.actor(f.vera)
        #expect(try f.read { try f.service.metadata(.number(1), actor: sam, on: $0) }.allowedActions
                == ["add_tags", "remove_tags", "resolve", "assign", "transfer", "add_note"])
        // #2 has no tags; #3 is resolved.
        #expect(try f.read { try f.service.metadata(.number(2), actor: sam, on: $0) }.allowedActions
                == ["add_tags", "resolve", "assign", "transfer", "add_note"])
        #expect(try f.read { try f.service.metadata(.number(3), actor: f.actor(f.admin), on: $0) }.allowedActions
                == ["add_tags", "reopen", "assign", "transfer", "add_note"])
        #expect(try f.read { try f.service.metadata(.number(1), actor: vera, on: $0) }.allowedActions.isEmpty)
    }

    @Test func aDeactivationCommittedAfterLoadingTheActorStopsWrites() throws {
        let f = try HelpDeskFixture()
        let sam = try f.actor(f.sam)
        #expect(sam.user.isActive)
        try f.database.write { tx in _ = try f.scope.users.setActive(false, userID: f.sam.id, in: tx) }
        #expect(deskError { _ = try f.service.addNote(.number(1), body: "ok", actor: sam) }
                == .forbidden("your account (sam@acme.test) is deactivated; ask a tenant admin to reactivate it"))
        #expect(try f.activity(of: f.t1).isEmpty)
    }
}
