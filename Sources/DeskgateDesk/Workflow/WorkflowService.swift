import DeskgateSQL
import DeskgateJSON
public import DeskgateStore
import DeskgateIdentity
public import DeskgateModel

/// What importing a workflow document did.
public struct WorkflowImport: Sendable, Equatable {
    public enum Outcome: String, Sendable {
        /// A workflow of that name did not exist.
        case created
        /// A new version was stored and is now current; tickets on older versions stay there.
        case newVersion = "new_version"
        /// The document equals the current version: nothing was written.
        case unchanged
    }

    public let outcome: Outcome
    public let workflow: Workflow
    public let version: Int
}

/// Workflows of one tenant: import, list and export of their definitions.
public struct WorkflowService: Sendable {
    let database: Database
    let scope: TenantScope

    public init(database: Database, scope: TenantScope) {
        self.database = database
        self.scope = scope
    }

    /// Parses, validates and stores a document. Names of people and departments are resolved
    /// in this tenant inside the writing transaction, so a document naming someone who does not
    /// exist is refused as a whole.
    public func importDocument(_ text: String) throws -> WorkflowImport {
        let definition = try WorkflowDocument.decode(text)
        try WorkflowValidator.validate(definition)
        let canonical = WorkflowDocument.encode(definition).prettyText()
        let scope = self.scope
        return try database.write { tx in
            let db = tx.connection
            if let existing = try scope.workflows.byName(definition.name, on: db),
               let current = try scope.workflows.currentVersion(of: existing.id, on: db),
               current.definitionJSON == canonical {
                return WorkflowImport(outcome: .unchanged, workflow: existing, version: current.version)
            }
            let existed = try scope.workflows.byName(definition.name, on: db) != nil
            let resolved = try WorkflowResolver(scope: scope, db: db).storable(definition, canonicalJSON: canonical)
            let (workflow, version) = try scope.workflows.importVersion(resolved, in: tx)
            return WorkflowImport(outcome: existed ? .newVersion : .created, workflow: workflow, version: version.version)
        }
    }

    public func list() throws -> [WorkflowSummary] {
        let scope = self.scope
        return try database.withReader { try scope.workflows.summaries(on: $0) }
    }

    /// The document of a workflow (by name, or by id when `reference` is a number), at its
    /// current version or at `version`.
    public func export(_ reference: String, version: Int? = nil) throws -> String {
        let scope = self.scope
        return try database.withReader { db in
            let workflow = try Int64(reference).flatMap { try scope.workflows.byID($0, on: db) }
                ?? scope.workflows.byName(reference, on: db)
            guard let workflow else { throw DeskError.notFound("workflow '\(reference)'") }
            let stored = try version.map { try scope.workflows.version($0, of: workflow.id, on: db) }
                ?? scope.workflows.currentVersion(of: workflow.id, on: db)
            guard let stored else {
                throw DeskError.notFound("version \(version.map(String.init) ?? "current") of workflow '\(workflow.name)'")
            }
            return stored.definitionJSON
        }
    }
}

/// Turns names in a definition into this tenant's ids, failing with the path of the first
/// name that does not resolve.
struct WorkflowResolver {
    let scope: TenantScope
    let db: any SQLConnection

    func storable(_ d: WorkflowDefinition, canonicalJSON: String) throws -> NewWorkflowVersion {
        let fields = d.fields.map { field in
            NewWorkflowVersion.Field(key: field.key, label: field.label, type: field.type.rawValue,
                                     optionsJSON: field.options.isEmpty ? nil : JSONValue.array(field.options.map(JSONValue.string)).text)
        }
        let nodes = try d.nodes.enumerated().map { index, node in
            let (type, value) = try participant(node.participant, at: "nodes[\(index)].participant.value")
            return NewWorkflowVersion.Node(key: node.key, name: node.name, type: node.type.rawValue,
                                           participantType: type, participantValue: value,
                                           distribution: node.distribution.rawValue, allowWithdraw: node.allowWithdraw,
                                           fieldAccess: node.fieldAccess.map { ($0.key, $0.access.rawValue) })
        }
        let transitions = d.transitions.map { t in
            NewWorkflowVersion.Transition(key: t.key, name: t.name, type: t.type.rawValue, from: t.from, to: t.to,
                                          conditionJSON: t.condition.map { WorkflowDocument.encode($0).text },
                                          propsJSON: t.openChild.map { JSONValue.object(["open_child": WorkflowDocument.encode($0)]).text } ?? "{}")
        }
        // A child's workflow is this one or one the tenant has (named, like people, so documents travel).
        for (index, t) in d.transitions.enumerated() {
            guard let child = t.openChild, child.workflow != d.name else { continue }
            guard try scope.workflows.byName(child.workflow, on: db) != nil else {
                throw DeskError.invalid(field: "transitions[\(index)].open_child.workflow", reason: "no workflow named '\(child.workflow)' in this tenant")
            }
        }
        let permissions = try d.permissions.enumerated().map { index, grant in
            switch grant.target {
            case .user(let email):
                return NewWorkflowVersion.Permission(permission: grant.permission.rawValue, targetType: "user",
                                                     targetID: try user(email, at: "permissions[\(index)].user").id)
            case .department(let name):
                return NewWorkflowVersion.Permission(permission: grant.permission.rawValue, targetType: "department",
                                                     targetID: try department(name, at: "permissions[\(index)].department").id)
            }
        }
        return NewWorkflowVersion(workflowName: d.name, description: d.description, definitionJSON: canonicalJSON,
                                  fields: fields, nodes: nodes, transitions: transitions, permissions: permissions)
    }

    private func participant(_ participant: Participant?, at path: String) throws -> (String?, String?) {
        switch participant {
        case nil: return (nil, nil)
        case .person(let email)?: return ("person", String(try actor(email, at: path).id))
        case .people(let emails)?:
            let ids = try emails.enumerated().map { String(try actor($0.element, at: "\(path)[\($0.offset)]").id) }
            return ("people", ids.joined(separator: ","))
        case .department(let name)?: return ("department", String(try department(name, at: path).id))
        case .role(let role)?: return ("role", role.rawValue)
        case .creator?: return ("creator", nil)
        case .field(let key)?: return ("field", key)
        }
    }

    private func user(_ email: String, at path: String) throws -> User {
        guard let user = try scope.users.byEmail(try Validation.email(email), on: db) else {
            throw DeskError.invalid(field: path, reason: "no user with email \(email) in this tenant")
        }
        return user
    }

    /// Someone who will be asked to act: an active agent or admin (viewers are read-only).
    private func actor(_ email: String, at path: String) throws -> User {
        let user = try user(email, at: path)
        guard user.isActive, user.role != .viewer else {
            throw DeskError.invalid(field: path, reason: "\(email) cannot act on tickets (inactive or a viewer)")
        }
        return user
    }

    private func department(_ name: String, at path: String) throws -> Department {
        guard let department = try scope.departments.byName(name, on: db) else {
            throw DeskError.invalid(field: path, reason: "no department named '\(name)' in this tenant")
        }
        return department
    }
}
