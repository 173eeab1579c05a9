public import DeskgateSQL
public import DeskgateModel
import DeskgateSystem

extension TenantScope {
    public var workflows: WorkflowRepository { WorkflowRepository(scope: self) }
}

/// A tenant's workflows and their versions.
public struct WorkflowRepository: Sendable {
    public let scope: TenantScope

    public func byName(_ name: String, on db: any SQLConnection) throws -> Workflow? {
        try db.queryOne("SELECT \(Workflow.columns) FROM workflows WHERE tenant_id = ?1 AND name = ?2",
                        scope.tenantKey, name) { Workflow(row: $0) }
    }

    public func byID(_ id: Int64, on db: any SQLConnection) throws -> Workflow? {
        try db.queryOne("SELECT \(Workflow.columns) FROM workflows WHERE tenant_id = ?1 AND id = ?2",
                        scope.tenantKey, id) { Workflow(row: $0) }
    }

    public func summaries(on db: any SQLConnection) throws -> [WorkflowSummary] {
        try db.queryAll("""
            SELECT w.id, w.tenant_id, w.name, w.description, w.is_default, w.created_at,
                   (SELECT version FROM workflow_versions v
                     WHERE v.tenant_id = w.tenant_id AND v.workflow_id = w.id AND v.status = 'default'),
                   (SELECT count(*) FROM workflow_versions v WHERE v.tenant_id = w.tenant_id AND v.workflow_id = w.id),
                   (SELECT count(*) FROM tickets t JOIN workflow_versions v
                       ON v.tenant_id = t.tenant_id AND v.id = t.workflow_version_id
                     WHERE t.tenant_id = w.tenant_id AND v.workflow_id = w.id)
            FROM workflows w WHERE w.tenant_id = ?1 ORDER BY w.name
            """, scope.tenantKey) {
            WorkflowSummary(workflow: Workflow(row: $0), currentVersion: $0.isNull(6) ? nil : $0.int(6),
                            versionCount: $0.int(7), ticketCount: $0.int(8))
        }
    }

    /// The version new tickets start on.
    public func currentVersion(of workflowID: Int64, on db: any SQLConnection) throws -> WorkflowVersion? {
        try db.queryOne("""
            SELECT \(WorkflowVersion.columns) FROM workflow_versions
            WHERE tenant_id = ?1 AND workflow_id = ?2 AND status = 'default'
            """, scope.tenantKey, workflowID) { try WorkflowVersion(row: $0) }
    }

    public func version(_ number: Int, of workflowID: Int64, on db: any SQLConnection) throws -> WorkflowVersion? {
        try db.queryOne("""
            SELECT \(WorkflowVersion.columns) FROM workflow_versions
            WHERE tenant_id = ?1 AND workflow_id = ?2 AND version = ?3
            """, scope.tenantKey, workflowID, number) { try WorkflowVersion(row: $0) }
    }

    /// Stores `new` as the workflow's next version and makes it the current one; the previous
    /// current version is archived (tickets on it stay there). Creates the workflow the first
    /// time its name is seen. Replaces the workflow's permissions with the new set.
    /// Everything happens in the caller's transaction: a failure leaves no half-imported graph.
    public func importVersion(_ new: NewWorkflowVersion, in tx: WriteTransaction) throws -> (Workflow, WorkflowVersion) {
        let db = tx.connection, tenant = scope.tenantKey, now = WallClock.milliseconds()
        let workflow: Workflow
        if let existing = try byName(new.workflowName, on: db) {
            try db.run("UPDATE workflows SET description = ?3 WHERE tenant_id = ?1 AND id = ?2",
                       tenant, existing.id, new.description)
            workflow = try byID(existing.id, on: db)!
        } else {
            workflow = try db.queryOne("""
                INSERT INTO workflows (tenant_id, name, description, created_at) VALUES (?1, ?2, ?3, ?4)
                RETURNING \(Workflow.columns)
                """, tenant, new.workflowName, new.description, now) { Workflow(row: $0) }!
        }
        try db.run("""
            UPDATE workflow_versions SET status = 'archived' WHERE tenant_id = ?1 AND workflow_id = ?2 AND status = 'default'
            """, tenant, workflow.id)
        let number = try db.queryOne("""
            SELECT COALESCE(MAX(version), 0) + 1 FROM workflow_versions WHERE tenant_id = ?1 AND workflow_id = ?2
            """, tenant, workflow.id) { $0.int(0) }!
        let version = try db.queryOne("""
            INSERT INTO workflow_versions (tenant_id, workflow_id, version, name, status, definition_json, created_at)
            VALUES (?1, ?2, ?3, ?4, 'default', ?5, ?6) RETURNING \(WorkflowVersion.columns)
            """, tenant, workflow.id, number, "v\(number)", new.definitionJSON, now) { try WorkflowVersion(row: $0) }!
        try insertGraph(new, versionID: version.id, on: db)
        try db.run("DELETE FROM workflow_permissions WHERE tenant_id = ?1 AND workflow_id = ?2", tenant, workflow.id)
        for p in new.permissions {
            try db.run("""
                INSERT INTO workflow_permissions (tenant_id, workflow_id, permission, target_type, target_id)
                VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING
                """, tenant, workflow.id, p.permission, p.targetType, p.targetID)
        }
        return (workflow, version)
    }

    private func insertGraph(_ new: NewWorkflowVersion, versionID: Int64, on db: any SQLConnection) throws {
        let tenant = scope.tenantKey
        var fieldIDs: [String: Int64] = [:], nodeIDs: [String: Int64] = [:]
        for (order, field) in new.fields.enumerated() {
            fieldIDs[field.key] = try db.queryOne("""
                INSERT INTO workflow_fields (tenant_id, version_id, key, label, type, options_json, sort_order)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id
                """, tenant, versionID, field.key, field.label, field.type, field.optionsJSON, order) { $0.int64(0) }
        }
        for (order, node) in new.nodes.enumerated() {
            let nodeID = try db.queryOne("""
                INSERT INTO workflow_nodes (tenant_id, version_id, key, name, type, participant_type, participant_value,
                                            allow_withdraw, distribution, sort_order)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id
                """, tenant, versionID, node.key, node.name, node.type, node.participantType, node.participantValue,
                node.allowWithdraw, node.distribution, order) { $0.int64(0) }!
            nodeIDs[node.key] = nodeID
            for access in node.fieldAccess {
                guard let fieldID = fieldIDs[access.fieldKey] else { throw StoreError.invalidInput("unknown field \(access.fieldKey)") }
                try db.run("""
                    INSERT INTO workflow_field_permissions (tenant_id, node_id, field_id, permission) VALUES (?1, ?2, ?3, ?4)
                    """, tenant, nodeID, fieldID, access.permission)
            }
        }
        for transition in new.transitions {
            guard let from = nodeIDs[transition.from], let to = nodeIDs[transition.to] else {
                throw StoreError.invalidInput("transition \(transition.key) names an unknown node")
            }
            try db.run("""
                INSERT INTO workflow_transitions (tenant_id, version_id, key, name, from_node_id, to_node_id, type, condition_json,
                                                  props_json)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """, tenant, versionID, transition.key, transition.name, from, to, transition.type, transition.conditionJSON,
                transition.propsJSON)
        }
    }

    /// Row counts of one version's graph (fields, nodes, transitions, field permissions), for
    /// listings and for tests that check an import stored everything.
    public func graphSize(versionID: Int64, on db: any SQLConnection) throws -> (fields: Int, nodes: Int, transitions: Int, fieldPermissions: Int) {
        try db.queryOne("""
            SELECT (SELECT count(*) FROM workflow_fields WHERE tenant_id = ?1 AND version_id = ?2),
                   (SELECT count(*) FROM workflow_nodes WHERE tenant_id = ?1 AND version_id = ?2),
                   (SELECT count(*) FROM workflow_transitions WHERE tenant_id = ?1 AND version_id = ?2),
                   (SELECT count(*) FROM workflow_field_permissions p JOIN workflow_nodes n
                       ON n.tenant_id = p.tenant_id AND n.id = p.node_id WHERE p.tenant_id = ?1 AND n.version_id = ?2)
            """, scope.tenantKey, versionID) { ($0.int(0), $0.int(1), $0.int(2), $0.int(3)) }!
    }
}
