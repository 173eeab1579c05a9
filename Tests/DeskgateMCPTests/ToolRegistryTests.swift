import DeskgateDesk
import DeskgateJSON
import DeskgateSystem
import Foundation
import Testing
@testable import DeskgateMCP

@Suite("Tool registry")
struct ToolRegistryTests {
    let registry = HelpDeskTools.registry

    @Test func bothFamiliesAreComplete() {
        #expect(registry.tools.filter { $0.family == .helpDesk }.map(\.name) == [
            "get_ticket_context", "get_ticket_messages", "get_ticket_metadata", "get_ticket_tags", "get_ticket_activity",
            "list_agents", "list_departments", "search_tickets",
            "add_ticket_tags", "remove_ticket_tags", "resolve_ticket", "reopen_ticket", "assign_ticket",
            "transfer_ticket", "add_ticket_note", "create_ticket",
        ])
        #expect(registry.tools.filter { $0.family == .workflow }.map(\.name) == [
            "ticket_list", "ticket_detail", "ticket_prepare_handle", "ticket_handle", "user_list",
        ])
    }

    @Test func tenantSettingsChooseTheFamilies() {
        #expect(MCPSettings(settingsJSON: #"{"mcp": {"tool_families": ["workflow"]}}"#).toolFamilies == ["workflow"])
        #expect(MCPSettings(settingsJSON: #"{"mcp": {"tool_families": ["helpdesk"]}}"#).toolFamilies == ["helpdesk"])
        #expect(MCPSettings(settingsJSON: #"{"mcp": {}}"#).toolFamilies == ["helpdesk", "workflow"])
        #expect(MCPSettings(settingsJSON: "not json").toolFamilies == ["helpdesk", "workflow"])
        let written = MCPSettings(toolFamilies: ["workflow"], readOnly: true).merged(into: #"{"theme": "dark"}"#)
        #expect(MCPSettings(settingsJSON: written) == MCPSettings(toolFamilies: ["workflow"], readOnly: true))
        #expect(written.contains("theme"))
        let workflowOnly = registry.visible(to: .all, exposure: ToolExposure(families: [.workflow], allowsWrites: true))
        #expect(workflowOnly.map { registry.tools[$0].name } == ["ticket_list", "ticket_detail", "ticket_prepare_handle",
                                                                 "ticket_handle", "user_list"])
    }

    /// Tools turned off by name: kept through the settings document (junk names dropped on
    /// reading), left out of the visible tools, whatever the scopes.
    @Test func tenantSettingsTurnToolsOffByName() {
        var settings = MCPSettings()
        settings.deniedTools = ["create_ticket", "ticket_list"]
        let written = settings.merged(into: "{}")
        #expect(MCPSettings(settingsJSON: written) == settings)
        #expect(MCPSettings(settingsJSON: #"{"mcp": {"denied_tools": ["resolve_ticket", "Bad Name", 7, ""]}}"#).deniedTools
                == ["resolve_ticket"])
        let exposure = ToolExposure(settings)
        let visible = Set(registry.visible(to: .all, exposure: exposure).map { registry.tools[$0].name })
        #expect(visible == Set(registry.tools.map(\.name)).subtracting(["create_ticket", "ticket_list"]))
        #expect(registry.tools.filter(exposure.denies).map(\.name).sorted() == ["create_ticket", "ticket_list"])
    }

    /// Which apps may start an authorization: everyone when the list is empty; else a listed
    /// client id, or a metadata document URL on a listed host (https only, port and user ignored).
    @Test(arguments: [
        ([], "anything", true),
        (["dgc_abc"], "dgc_abc", true),
        (["dgc_abc"], "dgc_abd", false),
        (["claude.ai"], "https://claude.ai/oauth/client.json", true),
        (["claude.ai"], "https://CLAUDE.AI/x", true),
        (["claude.ai"], "https://claude.ai:8443/x", true),
        (["claude.ai"], "https://evil.example@claude.ai/x", true),
        (["claude.ai"], "https://claude.ai.evil.example/x", false),
        (["claude.ai"], "https://evil.example/claude.ai", false),
        (["claude.ai"], "http://claude.ai/x", false),
        (["claude.ai"], "claude.ai", true),   // listed as an id too
        (["claude.ai"], "claude.aix", false),
    ] as [([String], String, Bool)])
    func allowedAppsDecideWhoMayAsk(apps: [String], clientID: String, allowed: Bool) {
        var settings = MCPSettings()
        settings.allowedApps = Set(apps)
        #expect(settings.allowsApp(clientID: clientID) == allowed)
        #expect(MCPSettings(settingsJSON: settings.merged(into: "{}")).allowedApps == Set(apps))
    }

    /// The names the settings validate against are exactly the registry's tools.
    @Test func theSettingsKnowEveryToolByName() {
        #expect(MCPSettings.toolNames == registry.tools.map(\.name))
    }

    @Test func everyToolIsDescribedForAModel() {
        for tool in registry.tools {
            #expect(tool.name.allSatisfy { $0.isLetter || $0 == "_" }, "\(tool.name)")
            #expect(tool.description.count >= 20, "\(tool.name) needs a real description")
            #expect(tool.inputSchema["type"] == "object" && tool.outputSchema["type"] == "object", "\(tool.name)")
            #expect(tool.inputSchema["additionalProperties"] == .bool(false), "\(tool.name) must refuse unknown arguments")
            if tool.readOnly {
                #expect(tool.scope != .ticketsWrite, "\(tool.name)")
            } else {
                #expect(tool.scope == .ticketsWrite, "\(tool.name)")
                #expect(ToolRegistry.parameterNames(of: tool.inputSchema).contains("dry_run"), "\(tool.name) needs dry_run")
            }
            let listing = tool.listing
            #expect(listing["annotations"]?["readOnlyHint"] == .bool(tool.readOnly), "\(tool.name)")
        }
    }

    @Test func visibilityFollowsScopes() {
        let readOnly = registry.visible(to: .ticketsRead, exposure: ToolExposure(families: [.helpDesk], allowsWrites: true)).map { registry.tools[$0].name }
        #expect(readOnly.contains("get_ticket_metadata") && !readOnly.contains("resolve_ticket") && !readOnly.contains("list_agents"))
        #expect(registry.visible(to: .all, exposure: ToolExposure(families: [.helpDesk], allowsWrites: true)).count == 16)
        #expect(registry.visible(to: .ticketsRead, exposure: ToolExposure(families: [], allowsWrites: true)).isEmpty)
    }

    @Test(arguments: [
        ("2026-11-01", 1_793_491_200_000 as Int64?), ("2026-11-01T09:30:00Z", 1_793_525_400_000),
        ("2026-11-01T09:30:00.250+02:00", 1_793_518_200_250), ("2026-11-01T09:30", 1_793_525_400_000),
        ("2026-02-31", nil), ("yesterday", nil), ("2026-11-01T25:00", nil), ("2026-11-01Z", nil),
    ] as [(String, Int64?)])
    func isoTimes(_ text: String, _ expected: Int64?) {
        #expect(ISOTime.milliseconds(text) == expected)
    }

    /// docs/tools.md is generated from the registry; a stale file fails here.
    @Test func toolReferenceIsUpToDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("docs/tools.md").path
        // Token counts come from Python (scripts/tool-tokens --write); test_tool_budget.py checks them.
        let tsv = (try? String(contentsOfFile: root.appendingPathComponent("docs/tool-tokens.tsv").path, encoding: .utf8)) ?? ""
        let tokens = Dictionary(tsv.split(separator: "\n").dropFirst().compactMap { line -> (String, Int)? in
            let parts = line.split(separator: "\t")
            return parts.count == 3 ? Int(parts[2]).map { (String(parts[0]), $0) } : nil
        }, uniquingKeysWith: { first, _ in first })
        let rendered = ToolReference.markdown(registry, tokens: tokens)
        if ProcessInfo.processInfo.environment["DESKGATE_WRITE_DOCS"] == "1" {
            try rendered.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        #expect(committed == rendered, "docs/tools.md is stale: run DESKGATE_WRITE_DOCS=1 swift test --filter toolReferenceIsUpToDate")
    }
}
