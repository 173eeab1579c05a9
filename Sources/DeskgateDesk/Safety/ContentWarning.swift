/// One sign that customer-written text tries to steer the model reading it. A warning, never an
/// edit: the text is returned unchanged and the model (and the person) decide what to make of it.
public struct ContentWarning: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Text addressed to an AI, assistant, model, LLM or bot rather than to a person.
        case addressedToAI = "addressed_to_ai"
        /// An attempt to replace the reader's task: "ignore previous instructions", "you are now",
        /// fake system messages, role play, encoded payloads to decode and follow.
        case taskChange = "task_change"
        /// Asks for tokens, API keys, passwords, credentials, environment variables or the system prompt.
        case secretRequest = "secret_request"
        /// Asks to list, export or send other tickets, customers, users or their addresses.
        case otherTicketsData = "other_tickets_data"
        /// Text a person would not see: tag characters, runs of zero-width characters, bidi
        /// overrides, HTML hidden elements and comments carrying words.
        case hiddenText = "hidden_text"
        /// A link whose visible text is a URL or domain other than where it leads.
        case mismatchedLink = "mismatched_link"
    }

    public let kind: Kind
    /// A short quote (at most 80 characters, visible characters only, single line) of what matched.
    public let excerpt: String

    public init(kind: Kind, excerpt: String) {
        self.kind = kind
        self.excerpt = excerpt
    }
}

extension ContentWarning.Kind {
    /// Position in `allCases`, the order warnings are reported in.
    var ordinal: Int {
        switch self {
        case .addressedToAI: 0
        case .taskChange: 1
        case .secretRequest: 2
        case .otherTicketsData: 3
        case .hiddenText: 4
        case .mismatchedLink: 5
        }
    }
}
