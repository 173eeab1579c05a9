import DeskgateJSON

/// docs/tools.md, rendered from the registry so the reference cannot drift from the server.
enum ToolReference {
    static func markdown(_ registry: ToolRegistry) -> String {
        var lines = [
            "# Tool reference",
            "",
            "Generated from the server's tool registry (`swift test` fails when this file is out of date;",
            "`DESKGATE_WRITE_DOCS=1 swift test --filter toolReferenceIsUpToDate` rewrites it). Every tool returns",
            "`structuredContent` matching its output schema plus a text rendering. Tickets are named by",
            "number (`1042` or `\"#1042\"`). Write tools take `dry_run`.",
            "",
            "| tool | scope | kind |",
            "|---|---|---|",
        ]
        for tool in registry.tools {
            let kind = tool.readOnly ? "read" : (tool.destructive ? "write (destructive)" : "write")
            lines.append("| [`\(tool.name)`](#\(tool.name)) | `\(tool.scope.text)` | \(kind) |")
        }
        for tool in registry.tools {
            lines += ["", "## \(tool.name)", "", "**\(tool.title).** \(tool.description)", ""]
            let required = Set(tool.inputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            guard case .object(let properties)? = tool.inputSchema["properties"], !properties.isEmpty else {
                lines.append("No parameters.")
                continue
            }
            lines += ["| parameter | type | required | description |", "|---|---|---|---|"]
            for (name, schema) in properties {
                let description = schema["description"]?.stringValue ?? ""
                lines.append("| `\(name)` | \(typeText(schema)) | \(required.contains(name) ? "yes" : "no") | \(description) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func typeText(_ schema: JSONValue) -> String {
        if let options = schema["anyOf"]?.arrayValue {
            return options.map(typeText).joined(separator: " or ")
        }
        let type = schema["type"]?.stringValue ?? "any"
        if let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue) {
            return values.map { "`\($0)`" }.joined(separator: ", ")
        }
        if type == "array", let items = schema["items"] { return "array of " + typeText(items) }
        return type
    }
}
