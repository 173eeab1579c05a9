/// The changes the service offers; raw values are the names tools and activity rows use.
public enum TicketAction: String, Sendable, CaseIterable {
    case addTags = "add_tags"
    case removeTags = "remove_tags"
    case resolve
    case reopen
    case assign
    case transfer
    case addNote = "add_note"
    case create
}
