import DeskgateDesk
import DeskgateIdentity
import DeskgateHTTP
import DeskgateModel

/// The browser pages' one answer for a tenant they cannot serve (sign-in, consent, authorize,
/// profile, admin): a person reads it, so it is an HTML page. Never a redirect back to the app:
/// the tenant is checked before the client and its redirect URI, so nothing is verified to send to.
enum TenantPages {
    /// The open tenant, or the page that replaces the one asked for.
    static func open(_ decision: TenantDecision) -> Result<Tenant, Refusal> {
        switch decision {
        case .open(let tenant): .success(tenant)
        case .unknown: .failure(notFound)
        case .suspended(let tenant): .failure(suspended(tenant))
        }
    }

    static var notFound: Refusal {
        Refusal(SecurityHeaders.html(ErrorPage(title: "Not found", message: "There is no help desk here.").render(),
                                     status: .notFound))
    }

    static func suspended(_ tenant: Tenant) -> Refusal {
        let page = ErrorPage(title: "Help desk suspended",
                             message: "\(tenant.name) is suspended: signing in and connecting apps are turned off until its operator resumes it.",
                             tenantName: tenant.name)
        return Refusal(SecurityHeaders.html(page.render(), status: .forbidden))
    }
}
