/// Who wrote a text a tool returns: one of the tenant's agents, a customer (a contact, from
/// outside the tenant), or Deskgate itself. Results carry it as `author_kind`, so a model can
/// tell a colleague's note from a customer's message that merely claims to be one.
public enum AuthorKind: String, Sendable {
    case agent, customer, system

    /// Text from outside the tenant's agents: sanitized (`UntrustedText`) and fenced in results.
    public var isUntrusted: Bool { self != .agent }

    /// `text`, written by this kind of author, as results and pages show it: sanitized unless
    /// one of the tenant's agents wrote it.
    public func shown(_ text: String) -> (text: String, removed: UntrustedText.Removed) {
        isUntrusted ? UntrustedText.sanitize(text) : (text, UntrustedText.Removed())
    }
}

extension TicketMessage.Author {
    public var kind: AuthorKind {
        switch type {
        case "agent": .agent
        case "contact": .customer
        default: .system
        }
    }
}

extension AuthorKind {
    /// The subject is the ticket creator's words: an agent's when an agent opened it, else the
    /// requesting customer's (mail, portal), else Deskgate's own.
    public static func ofSubject(creatorID: Int64?, requesterContactID: Int64?) -> AuthorKind {
        creatorID != nil ? .agent : requesterContactID != nil ? .customer : .system
    }
}

extension TicketMetadata {
    public var subjectAuthorKind: AuthorKind {
        AuthorKind.ofSubject(creatorID: creator?.id, requesterContactID: requester == nil ? nil : 0)
    }
}
