import DeskgateDesk
/// The words the demo tenant is made of: departments, people, and the kinds of
/// requests a help desk really sees.
enum DemoCatalog {
    static let departments = ["Support", "Billing", "IT"]

    struct Agent {
        let email: String
        let name: String
        let role: String
        let departments: [String]
        var alias: String? = nil
        var lang: String? = nil
    }

    static let agents: [Agent] = [
        Agent(email: "admin", name: "Alex Morgan", role: "admin", departments: ["Support", "Billing", "IT"]),
        Agent(email: "dana", name: "Dana Whitfield", role: "agent", departments: ["Support"]),
        Agent(email: "sam", name: "Sam Okafor", role: "agent", departments: ["Support", "IT"], alias: "Sammy", lang: "en"),
        Agent(email: "priya", name: "Priya Raman", role: "agent", departments: ["Billing"], alias: "Finance Priya", lang: "en-GB"),
        Agent(email: "lee", name: "Lee Novak", role: "agent", departments: ["IT"], alias: "Netops Lee", lang: "cs"),
        Agent(email: "viewer", name: "Vic Torres", role: "viewer", departments: ["Support"]),
    ]

    static let firstNames = ["Maria", "James", "Aiko", "Omar", "Lena", "Carlos", "Fatima", "Noah", "Ingrid", "Tariq",
                             "Chloe", "Mateo", "Yuki", "Grace", "Ivan", "Amara", "Felix", "Hana", "Ben", "Sofia"]
    static let lastNames = ["Garcia", "Smith", "Tanaka", "Haddad", "Berg", "Silva", "Khan", "Miller", "Larsen", "Aziz",
                            "Dubois", "Rossi", "Sato", "Kim", "Petrov", "Okoye", "Weber", "Park", "Cohen", "Lopez"]
    static let companies = ["northwind.example", "contoso.example", "globex.example", "initech.example", "umbrella.example"]

    static let tags = ["vip", "refund", "bug", "login", "invoice", "outage", "feature-request", "mobile",
                       "api", "onboarding", "security", "escalated"]

    struct Topic {
        let department: String
        let subjects: [String]
        let openings: [String]
        let tags: [String]
    }

    static let topics: [Topic] = [
        Topic(department: "Support",
              subjects: ["Cannot log in after password reset", "App crashes when uploading an attachment",
                         "Export to CSV is missing columns", "Notifications arrive twice",
                         "How do I add a teammate to my workspace?", "Search does not find older tickets",
                         "Dark mode makes the editor unreadable", "Two-factor codes are rejected"],
              openings: ["Since this morning I get an error when I try this. Steps: open the app, sign in, and it spins for ever.",
                         "This worked fine last week. Nothing changed on our side as far as I know.",
                         "Could you tell me whether this is a known issue? It blocks our team.",
                         "I attached a screenshot of what I see. We are on the latest version."],
              tags: ["login", "bug", "mobile", "onboarding", "security"]),
        Topic(department: "Billing",
              subjects: ["Charged twice for the annual plan", "Need a VAT invoice for October",
                         "Refund request for unused seats", "Update the card on file",
                         "Invoice shows the wrong company address", "Question about the upgrade pricing"],
              openings: ["Our finance team noticed this on the last statement and asked me to follow up.",
                         "Please send the corrected document to the billing contact on our account.",
                         "We downgraded mid-cycle; I expected a prorated credit.",
                         "Could you confirm the amount before the next renewal date?"],
              tags: ["invoice", "refund", "vip"]),
        Topic(department: "IT",
              subjects: ["SSO login fails with SAML error", "API returns 500 on /v2/orders",
                         "Webhook deliveries are delayed", "Need an API key rotated",
                         "VPN access request for a contractor", "Outage: dashboard not loading"],
              openings: ["Our integration started failing at 09:40 UTC. Request ids are in the attached log.",
                         "We need this before Monday's launch. Happy to jump on a call.",
                         "The identity provider shows the assertion was sent; your side rejects it.",
                         "Several users in different regions report the same symptom."],
              tags: ["api", "outage", "security", "escalated"]),
    ]

    static let agentReplies = [
        "Thanks for the details. I can reproduce this and have raised it with the engineering team.",
        "Could you confirm the email address on the account and roughly when this started?",
        "I've applied a fix on our side. Could you try again and let me know?",
        "This is expected with the current settings; here is how to change it: Settings → Workspace → Members.",
        "I've issued the correction; you should see it within one business day.",
    ]

    static let customerFollowUps = [
        "Thanks, that worked!",
        "Still seeing the same thing, unfortunately.",
        "Here is the extra information you asked for.",
        "Any update on this? It is getting urgent for us.",
    ]

    static let notes = [
        "Customer is on the enterprise plan; prioritise.",
        "Linked to the incident from Tuesday. Waiting on the platform team.",
        "Checked the logs: the request never reached the API gateway.",
        "Offered a goodwill credit; approved by Priya.",
    ]
}
