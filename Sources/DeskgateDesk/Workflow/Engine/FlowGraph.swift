import DeskgateSQL
import DeskgateJSON
import DeskgateStore
public import DeskgateModel

/// One workflow version as the engine walks it: nodes, transitions and form fields by id,
/// with participants resolved to this tenant's ids at import.
public struct FlowGraph: Sendable {
    public struct Node: Sendable {
        public let id: Int64
        public let key: String
        public let name: String
        public let type: NodeType
        public let participant: ResolvedParticipant?
        public let distribution: Distribution
        public let allowWithdraw: Bool
        /// Field id → access; fields not listed are read-only at this node.
        let access: [Int64: FieldAccess]

        public func access(to field: FlowGraph.Field) -> FieldAccess { access[field.id] ?? .readonly }
    }

    public struct Transition: Sendable {
        public let id: Int64
        public let key: String
        public let name: String
        public let type: TransitionType
        public let from: Int64
        public let to: Int64
        public let condition: Condition?
        public let openChild: ChildTicket?
    }

    public struct Field: Sendable {
        public let id: Int64
        public let key: String
        public let label: String
        public let type: FieldType
        public let options: [String]
    }

    public let workflow: Workflow
    public let version: WorkflowVersion
    public let nodes: [Node]
    public let transitions: [Transition]
    public let fields: [Field]

    public func node(_ id: Int64) -> Node? { nodes.first { $0.id == id } }
    public func node(key: String) -> Node? { nodes.first { $0.key == key } }
    public func field(key: String) -> Field? { fields.first { $0.key == key } }
    public func outgoing(_ nodeID: Int64) -> [Transition] { transitions.filter { $0.from == nodeID } }
    public func incoming(_ nodeID: Int64) -> [Transition] { transitions.filter { $0.to == nodeID } }
    public var start: Node { nodes.first { $0.type == .start }! }

    /// Fails with `corruptValue` if a row breaks what import guarantees (never in practice).
    public init(rows: WorkflowGraphRows) throws {
        workflow = rows.workflow
        version = rows.version
        var access: [Int64: [Int64: FieldAccess]] = [:]
        for row in rows.fieldAccess {
            access[row.nodeID, default: [:]][row.fieldID] = try Self.enumValue(row.permission, "permission")
        }
        nodes = try rows.nodes.map { row in
            Node(id: row.id, key: row.key, name: row.name, type: try Self.enumValue(row.type, "node type"),
                 participant: try ResolvedParticipant(type: row.participantType, value: row.participantValue),
                 distribution: try Self.enumValue(row.distribution, "distribution"), allowWithdraw: row.allowWithdraw,
                 access: access[row.id] ?? [:])
        }
        transitions = try rows.transitions.map { row in
            Transition(id: row.id, key: row.key, name: row.name, type: try Self.enumValue(row.type, "transition type"),
                       from: row.fromNodeID, to: row.toNodeID, condition: try row.conditionJSON.map(Self.condition),
                       openChild: try Self.openChild(row.propsJSON))
        }
        fields = try rows.fields.map { row in
            let options = try row.optionsJSON.map { try JSONParser.parse($0).arrayValue?.compactMap(\.stringValue) ?? [] } ?? []
            return Field(id: row.id, key: row.key, label: row.label, type: try Self.enumValue(row.type, "field type"), options: options)
        }
        guard nodes.contains(where: { $0.type == .start }) else {
            throw StoreError.corruptValue(column: "workflow_nodes.type", value: "no start node in version \(rows.version.id)")
        }
    }

    private static func enumValue<T: RawRepresentable>(_ raw: String, _ what: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw StoreError.corruptValue(column: what, value: raw) }
        return value
    }

    /// `props_json`'s `open_child`, if any.
    private static func openChild(_ json: String) throws -> ChildTicket? {
        guard json != "{}" else { return nil }
        guard let props = try? JSONParser.parse(json).objectValue else {
            throw StoreError.corruptValue(column: "props_json", value: json)
        }
        guard let child = props["open_child"]?.objectValue else { return nil }
        guard let workflow = child["workflow"]?.stringValue else { throw StoreError.corruptValue(column: "props_json", value: json) }
        return ChildTicket(workflow: workflow, subject: child["subject"]?.stringValue)
    }

    private static func condition(_ json: String) throws -> Condition {
        do {
            return try WorkflowDocument.condition(try JSONParser.parse(json))
        } catch {
            throw StoreError.corruptValue(column: "condition_json", value: json)
        }
    }
}

/// A participant with names resolved to ids of the tenant.
public enum ResolvedParticipant: Sendable, Equatable {
    case person(Int64)
    case people([Int64])
    case department(Int64)
    case role(UserRoleName)
    case creator
    case field(String)

    init?(type: String?, value: String?) throws {
        guard let type else { return nil }
        let ids = (value ?? "").split(separator: ",").compactMap { Int64($0) }
        switch type {
        case "person" where ids.count == 1: self = .person(ids[0])
        case "people" where !ids.isEmpty: self = .people(ids)
        case "department" where ids.count == 1: self = .department(ids[0])
        case "role":
            guard let role = UserRoleName(rawValue: value ?? "") else { throw StoreError.corruptValue(column: "participant_value", value: value ?? "") }
            self = .role(role)
        case "creator": self = .creator
        case "field" where value != nil: self = .field(value!)
        default: throw StoreError.corruptValue(column: "participant_type", value: type)
        }
    }
}
