import DeskgateIdentity
import DeskgateDesk
import DeskgateHTTP
import DeskgateServer
import DeskgateModel

/// How signed-in pages register their routes:
///
///     let routes = PageRoutes(service: service, router: router)
///     routes.get("/t/{tenant}/admin") { request, page, db in page.html(title: "Admin", content: …) }
///     routes.post("/t/{tenant}/admin/agents", .admin) { request, page, form in
///         … validate `form`, call the domain service with page.user.email as the actor …
///         return page.redirect(to: "\(page.base)/admin", flash: .success("Agent created"))
///     }
///
/// Both run `PageGuard` first (login redirect, admin 403). POST handlers run off the event
/// loop, get the decoded form only after its CSRF field matched the session's (else a 403
/// page and nothing happens), and may throw `DeskError`: an uncaught one becomes an error page
/// of the right status rather than a 500. GET handlers read on the given connection.
struct PageRoutes {
    let service: AuthService
    let router: Router

    typealias GetHandler = @Sendable (Request, SignedInPage, ReadHandle) throws -> Response
    typealias PostHandler = @Sendable (Request, SignedInPage, FormFields) throws -> Response

    func get(_ pattern: String, _ requirement: PageGuard.Requirement = .signedIn, _ handler: @escaping GetHandler) {
        let service = self.service
        router.get(pattern) { request, context in
            context.read(from: service.storage) { db in
                switch try PageGuard.resolve(request, service: service, requirement: requirement, on: db) {
                case .failure(let refusal): return refusal.response
                case .success(let page): return try Self.answering(page) { try handler(request, page, db) }
                }
            }
        }
    }

    func post(_ pattern: String, _ requirement: PageGuard.Requirement = .signedIn, _ handler: @escaping PostHandler) {
        let service = self.service
        router.post(pattern) { request, context in
            context.offload {
                let resolved = try service.storage.withReader {
                    try PageGuard.resolve(request, service: service, requirement: requirement, on: $0)
                }
                switch resolved {
                case .failure(let refusal): return refusal.response
                case .success(let page):
                    let form = FormFields.body(of: request) ?? FormFields([])
                    guard PageGuard.csrfMatches(form["csrf"], page.csrf) else { return Self.formExpired(page) }
                    return try Self.answering(page) { try handler(request, page, form) }
                }
            }
        }
    }

    static func formExpired(_ page: SignedInPage) -> Response {
        let content = """
            <h1>Form expired</h1>
            <p class="error" role="alert">This form is no longer valid (it was opened in another session, or is missing its security token). Nothing was changed.</p>
            <p><a href="\(HTML.escape(page.base))/profile/mcp">Back to MCP Integration</a></p>
            """
        return page.html(title: "Form expired", content: content, status: .forbidden)
    }

    /// A `DeskError` that escaped the handler, as a page (never the error's internals for others).
    private static func answering(_ page: SignedInPage, _ body: () throws -> Response) throws -> Response {
        do {
            return try body()
        } catch let error as DeskError {
            let (title, status): (String, HTTPStatus) = switch error {
            case .notFound: ("Not found", .notFound)
            case .forbidden: ("Not allowed", .forbidden)
            case .conflict: ("Could not do that", .conflict)
            case .invalid: ("Invalid request", .badRequest)
            }
            let content = """
                <h1>\(HTML.escape(title))</h1>
                <p class="error" role="alert">\(HTML.escape(error.description))</p>
                """
            return page.html(title: title, content: content, status: status)
        }
    }
}
