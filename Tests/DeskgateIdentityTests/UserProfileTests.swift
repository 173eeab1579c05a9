import DeskgateTesting
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
@testable import DeskgateStore
import DeskgateModel

/// A user's profile (alias, label, lang, phone), who created them and when the record changed,
/// and `user_list`'s view of it (search on alias, creator).
@Suite("User profiles")
struct UserProfileTests {
    typealias Desk = AgentAdministrationTests.Desk

    static let editCases: [(UserProfileEdit, UserProfile?, String?)] = [
        (UserProfileEdit(alias: "  Danny "), UserProfile(alias: "Danny", lang: "en"), nil),           // trimmed; lang kept
        (UserProfileEdit(lang: ""), UserProfile(alias: "D"), nil),                                      // "" clears
        (UserProfileEdit(lang: "PT-BR"), UserProfile(alias: "D", lang: "pt-BR"), nil),                 // primary subtag lowered
        (UserProfileEdit(lang: "zh-Hant-TW"), UserProfile(alias: "D", lang: "zh-Hant-TW"), nil),
        (UserProfileEdit(lang: "english"), nil, "lang"),
        (UserProfileEdit(lang: "en_GB"), nil, "lang"),
        (UserProfileEdit(phone: "+1 (555) 010-0199"), UserProfile(alias: "D", lang: "en", phone: "+1 (555) 010-0199"), nil),
        (UserProfileEdit(phone: "12"), nil, "phone"),
        (UserProfileEdit(phone: "555+1234"), nil, "phone"),
        (UserProfileEdit(phone: "call me"), nil, "phone"),
        (UserProfileEdit(alias: String(repeating: "a", count: 101)), nil, "alias"),
        (UserProfileEdit(label: "tab\there"), nil, "label"),
        (UserProfileEdit(label: "VIP desk"), UserProfile(alias: "D", label: "VIP desk", lang: "en"), nil),
    ]

    @Test(arguments: editCases.indices)
    func editsAreCheckedPartByPart(_ index: Int) throws {
        let (edit, expected, failingField) = Self.editCases[index]
        let current = UserProfile(alias: "D", lang: "en")
        do {
            let result = try edit.applied(to: current)
            #expect(failingField == nil, "accepted \(edit)")
            if edit.alias != nil { #expect(result.alias == expected?.alias) }
            #expect(result == expected || edit.alias != nil)
        } catch let DeskError.invalid(field, _) {
            #expect(field == failingField)
        }
    }

    @Test func adminsEditTheProfileAndTheRecordIsStamped() throws {
        let d = try Desk()
        d.f.clock.advance(days: 1)
        let user = try d.admins.updateProfile(of: d.dana.id, UserProfileEdit(alias: "Danny", phone: "+44 20 7946 0000"),
                                              by: .agent(userID: d.admin.id))
        #expect(user.alias == "Danny" && user.phone == "+44 20 7946 0000" && user.lang == nil)
        #expect(user.updatedAt == d.f.clock.read() && user.updatedAt! > user.createdAt)
        // Nothing changed: no write, the stamp stays.
        d.f.clock.advance(days: 1)
        #expect(try d.admins.updateProfile(of: d.dana.id, UserProfileEdit(alias: "Danny"), by: .operator).updatedAt == user.updatedAt)
        // Agents may not edit profiles, not even their own.
        #expect(throws: DeskError.self) {
            _ = try d.admins.updateProfile(of: d.dana.id, UserProfileEdit(alias: "Me"), by: .agent(userID: d.dana.id))
        }
        #expect(try d.f.database.withReader { try d.scope.users.byID(d.dana.id, on: $0)! }.alias == "Danny")
    }

    @Test func theCreatorIsKeptAndUserListFindsTheAlias() throws {
        let d = try Desk()
        let directory = DirectoryService(database: d.f.database, scope: d.scope)
        let made = try directory.createAgent(AgentDraft(email: "kim@acme.test", name: "Kim Park", role: .agent,
                                                        profile: UserProfileEdit(alias: "KP", lang: "ko")),
                                             by: .agent(userID: d.admin.id))
        #expect(made.user.creatorID == d.admin.id && made.user.alias == "KP" && made.user.lang == "ko")
        #expect(made.user.updatedAt == made.user.createdAt)
        #expect(d.dana.creatorID == nil)                                    // made by the operator
        let actor = try d.f.database.withReader { try DeskActor.load(tenant: d.scope, userID: d.dana.id, via: .mcp, on: $0) }
        let page = try d.f.database.withReader {
            try UserListing().page(UserListing.Filter(search: "kp"), actor: actor, on: $0)
        }
        #expect(page.users.map(\.user.email) == ["kim@acme.test"])
        #expect(page.users[0].creator?.id == d.admin.id)
        // user_ids, positive: exactly the ones named, in directory order.
        let named = try d.f.database.withReader {
            try UserListing().page(UserListing.Filter(userIDs: [made.user.id, d.dana.id]), actor: actor, on: $0)
        }
        #expect(Set(named.users.map(\.user.id)) == [made.user.id, d.dana.id] && named.window.total == 2)
    }
}
