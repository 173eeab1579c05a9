import Foundation
import Testing
@testable import DeskgateDesk
@testable import DeskgateIdentity
import DeskgateStore
import DeskgateModel

struct TenantGateTests {
    enum Kind: Equatable { case open, unknown, suspended }

    static func kind(_ decision: TenantDecision) -> (Kind, String?) {
        switch decision {
        case .open(let tenant): (.open, tenant.slug)
        case .unknown: (.unknown, nil)
        case .suspended(let tenant): (.suspended, tenant.slug)
        }
    }

    /// acme is open, initech suspended; everything else is unknown (slugs match exactly).
    @Test(arguments: [
        ("acme", Kind.open, "acme" as String?),
        ("initech", .suspended, "initech"),
        ("nobody", .unknown, nil),
        ("ACME", .unknown, nil),
        ("acme/", .unknown, nil),
        ("", .unknown, nil),
    ])
    func decides(slug: String, expected: Kind, tenant: String?) throws {
        let directory = NSTemporaryDirectory() + "deskgate-gate-\(UUID().uuidString)"
        let database = try Database.open(path: directory + "/db.sqlite")
        defer {
            database.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let tenants = TenantService(database: database)
        _ = try tenants.create(slug: "acme", name: "Acme")
        _ = try tenants.create(slug: "initech", name: "Initech")
        _ = try tenants.setStatus(.suspended, slug: "initech")

        let decision = try database.withReader { try TenantGate().decide(slug, on: $0) }
        #expect(Self.kind(decision) == (expected, tenant))
        #expect(decision.tenant?.slug == tenant)
        // The rule alone gives the same answer for the row in hand.
        let row = try database.withReader { try TenantDirectory().bySlug(slug, on: $0) }
        #expect(TenantGate.decision(for: row) == decision)
    }

    /// Resuming opens the gate again: the status is read on every decision, never remembered.
    @Test func resumingReopens() throws {
        let directory = NSTemporaryDirectory() + "deskgate-gate-\(UUID().uuidString)"
        let database = try Database.open(path: directory + "/db.sqlite")
        defer {
            database.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let tenants = TenantService(database: database)
        _ = try tenants.create(slug: "acme", name: "Acme")
        func decide() throws -> Kind { Self.kind(try database.withReader { try TenantGate().decide("acme", on: $0) }).0 }
        _ = try tenants.setStatus(.suspended, slug: "acme")
        #expect(try decide() == .suspended)
        _ = try tenants.setStatus(.active, slug: "acme")
        #expect(try decide() == .open)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8001", "http://127.0.0.1:8002", "acme",
         "http://127.0.0.1:8001/t/acme", "http://127.0.0.1:8002/t/acme/mcp",
         "http://127.0.0.1:8002/.well-known/oauth-protected-resource/t/acme/mcp"),
        ("https://auth.example.com", "https://desk.example.com/mcp-gw", "initech",
         "https://auth.example.com/t/initech", "https://desk.example.com/mcp-gw/t/initech/mcp",
         "https://desk.example.com/mcp-gw/.well-known/oauth-protected-resource/t/initech/mcp"),
    ])
    func urlFormulas(auth: String, mcp: String, slug: String, issuer: String, resource: String, metadata: String) {
        let urls = TenantURLs(authBase: auth, mcpBase: mcp)
        #expect(urls.issuer(slug) == issuer)
        #expect(urls.resource(slug) == resource)
        #expect(urls.resourceMetadata(slug) == metadata)
    }
}
