import DeskgateDesk
import DeskgateModel

/// What a tenant's MCP settings let callers reach: the tool families, write tools or not, and
/// whether a tool call may carry its own token, and the data limit the domain applies to every
/// ticket a tool touches (read with the rest, once per call).
struct ToolExposure: Sendable {
    let families: Set<ToolFamily>
    /// `families` one bit each, for `includes(_:)`: the `Set` lookup ran twice per tools/call.
    private let familyBits: UInt8
    let allowsWrites: Bool
    /// Tools take `access_token` as an argument, and token-less requests may open sessions and
    /// list tools (off by default: the token then passes through the model).
    let acceptsTokenArgument: Bool
    /// Nil: no limit (the common case costs nothing).
    let dataLimit: MCPDataLimit?
    /// Tools a tenant admin turned off by name (`MCPSettings.deniedTools`).
    let deniedTools: Set<String>
    /// Which writes wait for a person (a token or an app may tighten it; `ApprovalGate`).
    let approval: ApprovalPolicy

    static let everything = ToolExposure(families: [.helpDesk, .workflow], allowsWrites: true)

    init(families: Set<ToolFamily>, allowsWrites: Bool, acceptsTokenArgument: Bool = false, dataLimit: MCPDataLimit? = nil,
         deniedTools: Set<String> = [], approval: ApprovalPolicy = .never) {
        self.deniedTools = deniedTools
        self.approval = approval
        self.families = families
        familyBits = families.reduce(0) { $0 | Self.bit($1) }
        self.allowsWrites = allowsWrites
        self.acceptsTokenArgument = acceptsTokenArgument
        self.dataLimit = dataLimit
    }

    init(_ settings: MCPSettings) {
        self.init(families: Set(settings.toolFamilies.compactMap(ToolFamily.init(rawValue:))), allowsWrites: !settings.readOnly,
                  acceptsTokenArgument: settings.accessTokenArgument,
                  dataLimit: settings.dataLimit.isUnlimited ? nil : settings.dataLimit, deniedTools: settings.deniedTools,
                  approval: settings.approval)
    }

    func exposes(_ tool: ToolDefinition) -> Bool {
        includes(tool.family) && (allowsWrites || tool.readOnly) && !denies(tool)
    }

    /// Turned off by name (the empty set, the common case, costs no lookup).
    func denies(_ tool: ToolDefinition) -> Bool { !deniedTools.isEmpty && deniedTools.contains(tool.name) }

    /// `families.contains(family)`, by a bit test.
    func includes(_ family: ToolFamily) -> Bool { familyBits & Self.bit(family) != 0 }

    private static func bit(_ family: ToolFamily) -> UInt8 {
        switch family {
        case .helpDesk: return 1
        case .workflow: return 2
        }
    }
}
