import DeskgateSQL
import DeskgateModel

/// Row decoding and column bindings for the model's Workflow types.
extension Workflow {
    static let columns = "id, tenant_id, name, description, is_default, created_at"

    init(row: any SQLRow) {
        self.init(id: row.int64(0), tenantID: row.int64(1), name: row.string(2), description: row.string(3),
                  isDefault: row.bool(4), createdAt: row.int64(5))
    }
}

extension WorkflowVersion {
    static let columns = "id, workflow_id, version, name, status, definition_json, created_at"

    init(row: any SQLRow) throws {
        self.init(id: row.int64(0), workflowID: row.int64(1), version: row.int(2), name: row.string(3),
                  status: try row.value(WorkflowVersionStatus.self, 4), definitionJSON: row.string(5),
                  createdAt: row.int64(6))
    }
}
