import DeskgateDesk
import DeskgateJSON
import DeskgateIdentity
import DeskgateModel

/// Where a tool's work runs (docs/architecture.md, "One `tools/call`, hop by hop").
enum ToolExecution: Sendable {
    /// Point reads: inline on the event loop, on the loop's own read connection.
    case onLoop
    /// Lists, searches and writes (which wait for the single writer): on the worker pool.
    case onWorker
}

/// The tool families a tenant can expose (the workflow family arrives with its issue).
enum ToolFamily: String, Sendable {
    case helpDesk = "helpdesk"
    case workflow
}

/// What a tool handler receives.
struct ToolCall {
    let arguments: ToolArguments
    let actor: DeskActor
    /// A read connection confined to the current thread (the loop's, or a pooled one on a worker).
    let reader: ReadHandle
    let storage: Storage
}

/// A tool's answer: `structuredContent` plus the text rendering for clients that show text only.
/// Either as values (encoded by `ToolRun`), or, on hot paths, as a function that writes the
/// `content` and `structuredContent` members straight into the result object.
struct ToolOutput {
    enum Body {
        case values(structured: JSONObject, text: String)
        case written((inout JSONWriter) -> Void)
    }

    let body: Body

    init(structured: JSONObject, text: String) {
        body = .values(structured: structured, text: text)
    }

    private init(body: Body) { self.body = body }

    /// `write` must add exactly the `content` and `structuredContent` members.
    static func written(_ write: @escaping (inout JSONWriter) -> Void) -> ToolOutput {
        ToolOutput(body: .written(write))
    }
}

/// One MCP tool: what `tools/list` shows, which scope it needs, and the code behind it.
/// The handler only maps arguments and results; the logic lives in the domain services.
/// A class, so a call passes one reference instead of copying a dozen strings and schemas.
final class ToolDefinition: Sendable {
    let name: String
    let title: String
    let description: String
    let inputSchema: JSONValue
    /// The full shape of `structuredContent`, field by field: docs/tools.md and the tests use it;
    /// tools/list carries only `listedOutputSchema` (see `listing`).
    let outputSchema: JSONValue
    /// The members `structuredContent` always has, whatever `fields` and `max_chars` ask: what
    /// the listed output schema requires.
    let alwaysPresent: [String]
    let readOnly: Bool
    let destructive: Bool
    let idempotent: Bool
    /// The scope a call needs: one bit, so the per-call check is a bit test.
    let scope: Scopes
    let family: ToolFamily
    let execution: ToolExecution
    let handler: @Sendable (ToolCall) throws -> ToolOutput

    init(name: String, title: String, description: String, inputSchema: JSONValue, outputSchema: JSONValue,
         alwaysPresent: [String]? = nil, readOnly: Bool, destructive: Bool, idempotent: Bool, scope: Scopes, family: ToolFamily,
         execution: ToolExecution, handler: @escaping @Sendable (ToolCall) throws -> ToolOutput) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.alwaysPresent = alwaysPresent ?? (outputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.scope = scope
        self.family = family
        self.execution = execution
        self.handler = handler
    }

    /// The output schema tools/list shows: an object with the members it always has. The full
    /// field-by-field schemas were more than half of the catalogue's tokens (issue 19), and a model
    /// learns the fields from the result itself; `fields` may leave any other member out, so only
    /// these are required (the official SDKs validate `structuredContent` against it).
    var listedOutputSchema: JSONValue {
        var schema = JSONObject([("type", "object")])
        if !alwaysPresent.isEmpty { schema["required"] = .array(alwaysPresent.map { .string($0) }) }
        return .object(schema)
    }

    /// The `Tool` object of `tools/list`: kept small, since every session pays for it in tokens
    /// (docs/tools.md, "Budgets"). The title is given once (top level), the scope is in docs/tools.md.
    var listing: JSONValue {
        var annotations = JSONObject([("readOnlyHint", .bool(readOnly))])
        if !readOnly {
            annotations["destructiveHint"] = .bool(destructive)
            annotations["idempotentHint"] = .bool(idempotent)
        }
        // The default is true: say that these tools reach only the help desk.
        annotations["openWorldHint"] = false
        return .object(JSONObject([
            ("name", .string(name)),
            ("title", .string(title)),
            ("description", .string(description)),
            ("inputSchema", inputSchema),
            ("outputSchema", listedOutputSchema),
            ("annotations", .object(annotations)),
        ]))
    }
}
