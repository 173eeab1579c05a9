import DeskgateModel
/// The rules a workflow must follow before any ticket may enter it. Checked at import, so the
/// engine can rely on them: one start, a way to an end from every node, a participant on every
/// node where people act, gateway conditions over fields that exist with values of their type.
/// References to people and departments are resolved later, against a tenant (`WorkflowService`).
public enum WorkflowValidator {
    public static func validate(_ definition: WorkflowDefinition) throws {
        _ = try Validation.name(definition.name, field: "name", maxLength: 100)
        guard definition.description.count <= 2000 else {
            throw DeskError.invalid(field: "description", reason: "must be at most 2000 characters")
        }
        try checkFields(definition.fields)
        try checkNodes(definition)
        try checkTransitions(definition)
        try checkGraph(definition)
        try checkPermissions(definition.permissions)
    }

    /// Keys are identifiers a model and a form both use: lowercase ASCII, digits, underscores.
    static func checkKey(_ key: String, at path: String) throws {
        let bytes = Array(key.utf8)
        let valid = (1...64).contains(bytes.count) && (0x61...0x7A).contains(bytes[0])
            && bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
        guard valid else {
            throw DeskError.invalid(field: path, reason: "'\(key)' must be 1-64 lowercase letters, digits or underscores, starting with a letter")
        }
    }

    private static func checkFields(_ fields: [FieldDefinition]) throws {
        var seen = Set<String>()
        for (index, field) in fields.enumerated() {
            let path = "fields[\(index)]"
            try checkKey(field.key, at: "\(path).key")
            guard seen.insert(field.key).inserted else {
                throw DeskError.invalid(field: "\(path).key", reason: "'\(field.key)' is declared twice")
            }
            _ = try Validation.name(field.label, field: "\(path).label", maxLength: 200)
            if field.type == .select {
                guard !field.options.isEmpty else {
                    throw DeskError.invalid(field: "\(path).options", reason: "a select field needs at least one option")
                }
                guard Set(field.options).count == field.options.count else {
                    throw DeskError.invalid(field: "\(path).options", reason: "options must be unique")
                }
                for (o, option) in field.options.enumerated() {
                    _ = try Validation.name(option, field: "\(path).options[\(o)]", maxLength: 200)
                }
            } else if !field.options.isEmpty {
                throw DeskError.invalid(field: "\(path).options", reason: "only select fields have options")
            }
        }
    }

    private static func checkNodes(_ definition: WorkflowDefinition) throws {
        var seen = Set<String>()
        for (index, node) in definition.nodes.enumerated() {
            let path = "nodes[\(index)]"
            try checkKey(node.key, at: "\(path).key")
            guard seen.insert(node.key).inserted else {
                throw DeskError.invalid(field: "\(path).key", reason: "'\(node.key)' is declared twice")
            }
            _ = try Validation.name(node.name, field: "\(path).name", maxLength: 200)
            if node.type == .normal, node.participant == nil {
                throw DeskError.invalid(field: "\(path).participant", reason: "a normal node needs a participant: who acts here?")
            }
            if node.type != .normal, node.participant != nil {
                throw DeskError.invalid(field: "\(path).participant",
                                        reason: "only normal nodes have participants (the start node's is the creator)")
            }
            if node.type.isGateway || node.type == .end {
                if !node.fieldAccess.isEmpty {
                    throw DeskError.invalid(field: "\(path).fields", reason: "nobody fills in a form at a \(node.type.rawValue) node")
                }
                if node.allowWithdraw || node.distribution != .direct {
                    throw DeskError.invalid(field: "\(path)", reason: "allow_withdraw and distribution apply to start and normal nodes only")
                }
            }
            for (key, _) in node.fieldAccess where definition.field(key) == nil {
                throw DeskError.invalid(field: "\(path).fields.\(key)", reason: "no field '\(key)' is declared")
            }
            switch node.participant {
            case .field(let key)?:
                guard definition.field(key)?.type == .user else {
                    throw DeskError.invalid(field: "\(path).participant.value", reason: "'\(key)' must name a field of type user")
                }
            case .people(let emails)? where emails.isEmpty:
                throw DeskError.invalid(field: "\(path).participant.value", reason: "list at least one person")
            default: break
            }
        }
        let starts = definition.nodes.filter { $0.type == .start }
        guard starts.count == 1 else {
            throw DeskError.invalid(field: "nodes", reason: "a workflow has exactly one start node (found \(starts.count))")
        }
        guard definition.nodes.contains(where: { $0.type == .end }) else {
            throw DeskError.invalid(field: "nodes", reason: "a workflow needs at least one end node")
        }
    }

    private static func checkTransitions(_ definition: WorkflowDefinition) throws {
        var seen = Set<String>()
        for (index, transition) in definition.transitions.enumerated() {
            let path = "transitions[\(index)]"
            try checkKey(transition.key, at: "\(path).key")
            guard seen.insert(transition.key).inserted else {
                throw DeskError.invalid(field: "\(path).key", reason: "'\(transition.key)' is declared twice")
            }
            _ = try Validation.name(transition.name, field: "\(path).name", maxLength: 200)
            guard let from = definition.node(transition.from) else {
                throw DeskError.invalid(field: "\(path).from", reason: "no node '\(transition.from)'")
            }
            guard definition.node(transition.to) != nil else {
                throw DeskError.invalid(field: "\(path).to", reason: "no node '\(transition.to)'")
            }
            guard transition.from != transition.to else {
                throw DeskError.invalid(field: "\(path).to", reason: "a transition must lead to another node")
            }
            if let child = transition.openChild {
                // Someone must take the transition: the child is theirs (its creator), so the engine's own routes cannot open one.
                guard from.type == .start || from.type == .normal else {
                    throw DeskError.invalid(field: "\(path).open_child", reason: "only transitions people take (out of start and normal nodes) open a child ticket")
                }
                _ = try Validation.name(child.workflow, field: "\(path).open_child.workflow", maxLength: 200)
                _ = try child.subject.map { try Validation.name($0, field: "\(path).open_child.subject", maxLength: 250) }
            }
            switch from.type {
            case .end:
                throw DeskError.invalid(field: "\(path).from", reason: "nothing leaves an end node")
            case .exclusiveGateway:
                guard transition.type == .condition else {
                    throw DeskError.invalid(field: "\(path).type", reason: "transitions out of an exclusive gateway have type condition")
                }
                try transition.condition.map { try checkCondition($0, definition, at: "\(path).condition_groups") }
            case .parallelGateway:
                guard transition.type == .other, transition.condition == nil else {
                    throw DeskError.invalid(field: "\(path).type",
                                            reason: "transitions out of a parallel gateway have type other and no condition")
                }
            case .start, .normal:
                guard transition.type != .condition, transition.condition == nil else {
                    throw DeskError.invalid(field: "\(path).type",
                                            reason: "conditions belong on exclusive gateways; people choose agree, reject or other")
                }
            }
        }
        for gateway in definition.nodes where gateway.type == .exclusiveGateway {
            let defaults = definition.transitions(from: gateway.key).filter { $0.condition == nil }
            guard defaults.count <= 1 else {
                throw DeskError.invalid(field: "transitions",
                                        reason: "exclusive gateway '\(gateway.key)' has \(defaults.count) routes without a condition; at most one may be the default")
            }
        }
        for gateway in definition.nodes where gateway.type == .parallelGateway {
            let outgoing = definition.transitions(from: gateway.key).count
            let incoming = definition.transitions.filter { $0.to == gateway.key }.count
            guard (incoming == 1 && outgoing >= 2) || (incoming >= 2 && outgoing == 1) else {
                throw DeskError.invalid(field: "transitions",
                                        reason: "parallel gateway '\(gateway.key)' must either split (one way in, several out) or join (several in, one out)")
            }
        }
    }

    private static func checkCondition(_ condition: Condition, _ definition: WorkflowDefinition, at path: String) throws {
        guard !condition.groups.isEmpty else { throw DeskError.invalid(field: path, reason: "give at least one group, or leave it out for the default route") }
        for (g, group) in condition.groups.enumerated() {
            guard !group.isEmpty else { throw DeskError.invalid(field: "\(path)[\(g)]", reason: "a group needs at least one clause") }
            for (c, clause) in group.enumerated() {
                let at = "\(path)[\(g)][\(c)]"
                guard let field = definition.field(clause.field) else {
                    throw DeskError.invalid(field: "\(at).field", reason: "no field '\(clause.field)' is declared")
                }
                try checkClause(clause, on: field, at: at)
            }
        }
    }

    /// The value must be of the field's type, and ordering only applies to numbers and dates.
    private static func checkClause(_ clause: Condition.Clause, on field: FieldDefinition, at path: String) throws {
        switch (field.type, clause.value) {
        case (.number, .number): return
        case (.date, .text(let s)):
            guard ISODate.isValid(s) else { throw DeskError.invalid(field: "\(path).value", reason: "'\(s)' is not a YYYY-MM-DD date") }
            return
        case (.select, .text(let s)):
            guard field.options.contains(s) else {
                throw DeskError.invalid(field: "\(path).value", reason: "'\(s)' is not an option of '\(field.key)'")
            }
            fallthrough
        case (.text, .text), (.boolean, .bool):
            guard !clause.comparison.isOrdering else {
                throw DeskError.invalid(field: "\(path).operator", reason: "\(field.type.rawValue) fields compare with == or != only")
            }
        case (.user, _), (.department, _), (.richText, _):
            throw DeskError.invalid(field: "\(path).field", reason: "conditions cannot test \(field.type.rawValue) fields")
        default:
            throw DeskError.invalid(field: "\(path).value", reason: "must be a \(field.type.rawValue) value for field '\(field.key)'")
        }
    }

    /// Every node is reachable from the start, and from every node some end is reachable:
    /// no ticket can be created into, or stranded in, a part of the graph with no way out.
    private static func checkGraph(_ definition: WorkflowDefinition) throws {
        var forward: [String: [String]] = [:], backward: [String: [String]] = [:]
        for t in definition.transitions {
            forward[t.from, default: []].append(t.to)
            backward[t.to, default: []].append(t.from)
        }
        let start = definition.nodes.first { $0.type == .start }!.key
        let reachable = closure(from: [start], edges: forward)
        if let stranded = definition.nodes.first(where: { !reachable.contains($0.key) }) {
            throw DeskError.invalid(field: "transitions", reason: "node '\(stranded.key)' cannot be reached from the start node")
        }
        let ends = definition.nodes.filter { $0.type == .end }.map(\.key)
        let leadToEnd = closure(from: ends, edges: backward)
        if let trapped = definition.nodes.first(where: { !leadToEnd.contains($0.key) }) {
            throw DeskError.invalid(field: "transitions", reason: "no end node can be reached from node '\(trapped.key)'")
        }
    }

    private static func closure(from roots: [String], edges: [String: [String]]) -> Set<String> {
        var seen = Set(roots), queue = roots
        while let next = queue.popLast() {
            for neighbour in edges[next, default: []] where seen.insert(neighbour).inserted { queue.append(neighbour) }
        }
        return seen
    }

    private static func checkPermissions(_ grants: [WorkflowGrant]) throws {
        for (index, grant) in grants.enumerated() {
            switch grant.target {
            case .user(let email): _ = try Validation.email(email)
            case .department(let name): _ = try Validation.name(name, field: "permissions[\(index)].department", maxLength: 100)
            }
        }
    }
}

/// `YYYY-MM-DD` with a real month and day (leap years included).
enum ISODate {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}
