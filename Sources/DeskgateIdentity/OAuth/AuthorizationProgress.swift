public import DeskgateModel

/// The way from a valid authorization request to its answer: who is at the browser, whether
/// an earlier approval covers it, the consent page, the code. One method per event, each
/// returning what to do next; the caller performs it (I/O) and reports back with the next event.
///
/// Sign-in leaves the machine: the browser comes back from the login page with the same
/// parameters, and a new request starts a new progress. The consent page is two HTTP requests;
/// its pending state lives in a `PendingAuthorizationStore` and the progress resumes from it.
public struct AuthorizationProgress: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case validated(AuthorizationRequest)
        case checkingRememberedConsent(AuthorizationRequest, ApprovedRequest)
        case awaitingConsent(ApprovedRequest, AuthorizationReturn)
        case issuingCode(AuthorizationReturn)
        case finished
    }

    public private(set) var state: State

    public init(_ request: AuthorizationRequest) {
        state = .validated(request)
    }

    /// Resumes at the consent page's answer, from what the pending store kept.
    public init(awaitingConsent approved: ApprovedRequest, returnTo back: AuthorizationReturn) {
        state = .awaitingConsent(approved, back)
    }

    /// The browser's session was looked up (`role` nil: nobody is signed in).
    public mutating func browserIdentified(role: UserRole?) -> AuthorizationDecision {
        guard case .validated(let request) = state else { preconditionFailure("browserIdentified in \(state)") }
        let decision = request.decide(signedIn: role)
        switch decision {
        case .issueCode(let approved, _): state = .checkingRememberedConsent(request, approved)
        case .needsConsent(let approved): state = .awaitingConsent(approved, request.returnAddress)
        case .errorPage, .redirect, .needsLogin: state = .finished
        }
        return decision
    }

    /// The issuer looked for a live grant covering the request: its code, or nil if there was none.
    public mutating func rememberedConsentChecked(code: String?) -> AuthorizationDecision {
        guard case .checkingRememberedConsent(let request, let approved) = state else {
            preconditionFailure("rememberedConsentChecked in \(state)")
        }
        if let code {
            state = .finished
            return .redirect(request.returnAddress, .code(code))
        }
        let decision = request.withoutRememberedConsent(approved)
        if case .needsConsent = decision {
            state = .awaitingConsent(approved, request.returnAddress)
        } else {
            state = .finished
        }
        return decision
    }

    /// The person approved or denied on the consent page.
    /// `allowing`: the scopes the person left ticked on the consent screen (nil: all asked for).
    /// They can only narrow the request; allowing nothing is a denial.
    public mutating func consentAnswered(approve: Bool, allowing chosen: Scopes? = nil) -> AuthorizationDecision {
        guard case .awaitingConsent(var approved, let back) = state else { preconditionFailure("consentAnswered in \(state)") }
        guard approve else {
            state = .finished
            return .redirect(back, .error(.accessDenied("the user denied the request")))
        }
        if let chosen { approved.scopes = approved.scopes.intersection(chosen) }
        guard !approved.scopes.isEmpty else {
            state = .finished
            return .redirect(back, .error(.accessDenied("the user allowed none of the requested access")))
        }
        state = .issuingCode(back)
        return .issueCode(approved, .given)
    }

    /// The grant was recorded and the code minted.
    public mutating func codeIssued(_ code: String) -> AuthorizationDecision {
        guard case .issuingCode(let back) = state else { preconditionFailure("codeIssued in \(state)") }
        state = .finished
        return .redirect(back, .code(code))
    }
}
