import DeskgateDesk
import DeskgateModel
import DeskgateIdentity
import DeskgateStore
import DeskgateSystem
import Synchronization
import Testing

/// The walk from a valid request to its answer, event by event, without I/O; and the pending
/// consent store's promises (expiry, binding to tenant and session, one answer).
struct AuthorizationProgressTests {
    typealias Rows = AuthorizationRequestTests

    @Test func rememberedConsentAnswersWithTheCode() {
        var progress = AuthorizationProgress(Rows.valid())
        #expect(progress.browserIdentified(role: .agent) == .issueCode(Rows.approved(Scopes.all), .remembered))
        #expect(progress.rememberedConsentChecked(code: "c1") == .redirect(Rows.back(), .code("c1")))
        #expect(progress.state == .finished)
    }

    @Test func withoutARememberedGrantThePersonIsAsked() {
        var progress = AuthorizationProgress(Rows.valid())
        _ = progress.browserIdentified(role: .agent)
        #expect(progress.rememberedConsentChecked(code: nil) == .needsConsent(Rows.approved(Scopes.all)))
        #expect(progress.state == .awaitingConsent(Rows.approved(Scopes.all), Rows.back()))
        #expect(progress.consentAnswered(approve: true) == .issueCode(Rows.approved(Scopes.all), .given))
        #expect(progress.codeIssued("c2") == .redirect(Rows.back(), .code("c2")))
        #expect(progress.state == .finished)
    }

    @Test func promptNoneNeverShowsThePage() {
        var progress = AuthorizationProgress(Rows.valid(["prompt": "none"]))
        _ = progress.browserIdentified(role: .agent)
        #expect(progress.rememberedConsentChecked(code: nil)
            == Rows.refused("consent_required", "the user has not approved this app"))
        #expect(progress.state == .finished)
    }

    @Test func promptConsentSkipsTheRememberedGrant() {
        var progress = AuthorizationProgress(Rows.valid(["prompt": "consent"]))
        #expect(progress.browserIdentified(role: .agent) == .needsConsent(Rows.approved(Scopes.all)))
        #expect(progress.state == .awaitingConsent(Rows.approved(Scopes.all), Rows.back()))
    }

    @Test func signInLeavesTheMachine() {
        var progress = AuthorizationProgress(Rows.valid())
        #expect(progress.browserIdentified(role: nil) == .needsLogin)
        #expect(progress.state == .finished)
    }

    @Test func aDenialGoesBackWithAccessDenied() {
        var progress = AuthorizationProgress(awaitingConsent: Rows.approved([.ticketsRead]), returnTo: Rows.back())
        #expect(progress.consentAnswered(approve: false) == Rows.refused("access_denied", "the user denied the request"))
        #expect(progress.state == .finished)
    }

    /// The consent screen's boxes only narrow what the app asked for; nothing left is a denial.
    @Test(arguments: [
        (Scopes.all, Scopes([.ticketsRead]), Scopes([.ticketsRead])),
        (Scopes([.ticketsRead]), Scopes.all, Scopes([.ticketsRead])),               // ticking more grants nothing more
        (Scopes([.ticketsRead, .ticketsWrite]), Scopes([.ticketsWrite, .directoryRead]), Scopes([.ticketsWrite])),
    ] as [(Scopes, Scopes, Scopes)])
    func theConsentBoxesNarrowTheRequest(asked: Scopes, ticked: Scopes, granted: Scopes) {
        var progress = AuthorizationProgress(awaitingConsent: Rows.approved(asked), returnTo: Rows.back())
        #expect(progress.consentAnswered(approve: true, allowing: ticked) == .issueCode(Rows.approved(granted), .given))
    }

    @Test func allowingNothingIsADenial() {
        var progress = AuthorizationProgress(awaitingConsent: Rows.approved([.ticketsRead]), returnTo: Rows.back())
        #expect(progress.consentAnswered(approve: true, allowing: [])
            == Rows.refused("access_denied", "the user allowed none of the requested access"))
        #expect(progress.state == .finished)
    }

    // MARK: pending consent

    final class Clock: Sendable {
        let now = Mutex<Int64>(1_000_000)
        var read: @Sendable () -> Int64 { { [self] in now.withLock { $0 } } }
    }
}
