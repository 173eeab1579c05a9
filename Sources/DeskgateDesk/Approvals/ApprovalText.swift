public import DeskgateModel

/// How pages and the CLI say an approval policy.
public enum ApprovalText {
    public static func describe(_ policy: ApprovalPolicy) -> String {
        switch policy {
        case .never: "none (tools write without asking)"
        case .destructive: "destructive ones (tools that remove something ask first)"
        case .writes: "every write (a person approves each change on a page first)"
        }
    }
}
