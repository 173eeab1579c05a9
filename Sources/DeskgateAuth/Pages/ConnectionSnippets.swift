import DeskgateJSON
import DeskgateSystem

/// The ready-made configuration of the profile page, one per AI tool, in each tool's current
/// file format (docs/connect.md explains the same ones). A token never goes into them: they
/// carry a placeholder (Claude Desktop), read an environment variable (Cursor) or prompt for
/// it (VS Code), so copying a snippet never copies a secret.
struct ConnectionSnippets {
    struct Snippet {
        let id: String
        let tool: String
        /// Where the text goes, in that tool's words.
        let location: String
        let text: String
        let note: String
    }

    let mcpURL: String

    static let tokenPlaceholder = "YOUR_DESKGATE_TOKEN"

    var all: [Snippet] { [claudeDesktop, cursor, vsCode] }

    /// mcp-remote refuses plain http except to localhost unless told `--allow-http`.
    var allowHTTP: String {
        let lower = mcpURL.lowercased()
        guard lower.hasPrefix("http://") else { return "" }
        let host = lower.dropFirst("http://".count).prefix { $0 != "/" && $0 != ":" }
        return host == "localhost" || host == "127.0.0.1" ? "" : ", \"--allow-http\""
    }

    /// Claude Desktop's config file starts local (stdio) servers only; `mcp-remote` bridges to
    /// a remote one. The header value goes through an environment variable without spaces
    /// around the colon, the form mcp-remote documents (spaces break argument quoting on Windows).
    var claudeDesktop: Snippet {
        Snippet(id: "snippet-claude", tool: "Claude Desktop",
                location: "Settings → Developer → Edit Config (claude_desktop_config.json)",
                text: """
                    {
                      "mcpServers": {
                        "deskgate": {
                          "command": "npx",
                          "args": ["-y", "mcp-remote", \(json(mcpURL))\(allowHTTP),
                                   "--header", "Authorization:${AUTH_HEADER}"],
                          "env": { "AUTH_HEADER": "Bearer \(Self.tokenPlaceholder)" }
                        }
                      }
                    }
                    """,
                note: "Replace \(Self.tokenPlaceholder) with a token generated below, then restart Claude Desktop. Without the --header pair, mcp-remote signs in with OAuth in your browser instead.")
    }

    var cursor: Snippet {
        Snippet(id: "snippet-cursor", tool: "Cursor", location: "~/.cursor/mcp.json (or .cursor/mcp.json in a project)",
                text: """
                    {
                      "mcpServers": {
                        "deskgate": {
                          "url": \(json(mcpURL)),
                          "headers": { "Authorization": "Bearer ${env:DESKGATE_TOKEN}" }
                        }
                      }
                    }
                    """,
                note: "Set DESKGATE_TOKEN in the environment Cursor starts from. Leave out \"headers\" to sign in with OAuth instead.")
    }

    var vsCode: Snippet {
        Snippet(id: "snippet-vscode", tool: "VS Code", location: ".vscode/mcp.json (or MCP: Open User Configuration)",
                text: """
                    {
                      "inputs": [
                        { "type": "promptString", "id": "deskgate-token", "description": "Deskgate token", "password": true }
                      ],
                      "servers": {
                        "deskgate": {
                          "type": "http",
                          "url": \(json(mcpURL)),
                          "headers": { "Authorization": "Bearer ${input:deskgate-token}" }
                        }
                      }
                    }
                    """,
                note: "VS Code asks for the token once and keeps it in its secret storage. Without \"headers\" it signs in with OAuth.")
    }

    /// The snippets keep the layout each tool's docs show; only the URL is a JSON value.
    private func json(_ text: String) -> String { JSONQuoted.string(text) }
}
