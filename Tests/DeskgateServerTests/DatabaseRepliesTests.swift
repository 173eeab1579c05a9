import DeskgateHTTP
import DeskgateServer
import DeskgateStore
import DeskgateModel
import DeskgateTesting
import Foundation
import Testing

/// A request that writes goes loop → writer thread (group commit) → loop, and is answered only
/// after its row is durable; failures in the job become the right HTTP answer.
@Suite("Database replies")
struct DatabaseRepliesTests {
    @Test func writesAreAnsweredAfterCommitAndReadsSeeThem() throws {
        let path = NSTemporaryDirectory() + "deskgate-server-\(UUID().uuidString)/db.sqlite"
        let database = try Database.open(path: path)
        defer { database.close() }
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.loops = 2
        configuration.accessLog = false
        let server = try HTTPServer.start(configuration) { _ in
            let router = Router()
            router.post("/tenants/{slug}") { request, context in
                let slug = request.parameter("slug")
                return context.write(to: database, { tx in
                    if try TenantDirectory().bySlug(slug, on: tx.connection) != nil {
                        throw HTTPError(.conflict, "tenant exists")
                    }
                    return try TenantDirectory().create(slug: slug, name: slug.uppercased(), in: tx).id
                }, respond: { id in .json("{\"id\":\(id)}", status: .created) })
            }
            router.get("/tenants") { _, context in
                context.read(from: database) { db in
                    .json("[" + (try TenantDirectory().list(on: db).map { "\"\($0.slug)\"" }).joined(separator: ",") + "]")
                }
            }
            return router
        }
        defer { server.shutdown(graceSeconds: 1); server.waitUntilStopped() }

        let client = try LoopbackClient(port: server.port)
        defer { client.close() }
        let created = client.exchange("POST /tenants/acme HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        #expect(created.status == 201)
        #expect(created.body == "{\"id\":1}")
        // Durable before the answer: a fresh reader on another connection sees it.
        #expect(try database.withReader { try TenantDirectory().bySlug("acme", on: $0) }?.name == "ACME")

        let again = client.exchange("POST /tenants/acme HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        #expect(again.status == 409)
        let listed = client.exchange("GET /tenants HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(listed.status == 200)
        #expect(listed.body == "[\"acme\"]")
    }
}
