import DeskgateSQL
import DeskgateModel
extension Schema1 {
    /// Workflows hold the Loonflow-style model (docs/workflows.md): a workflow has versions;
    /// nodes, transitions, fields and permissions hang off a version; tickets pin a version.
    static let workflow = """
        CREATE TABLE workflows (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, name),
            UNIQUE (tenant_id, id)
        ) STRICT;
        CREATE UNIQUE INDEX workflows_one_default ON workflows (tenant_id) WHERE is_default = 1;

        CREATE TABLE workflow_versions (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            workflow_id INTEGER NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('default', 'candidate', 'archived')),
            definition_json TEXT NOT NULL DEFAULT '{}',
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, workflow_id, version),
            UNIQUE (tenant_id, id),
            FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id)
        ) STRICT;
        CREATE UNIQUE INDEX workflow_versions_one_default ON workflow_versions (tenant_id, workflow_id)
            WHERE status = 'default';

        CREATE TABLE workflow_nodes (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            version_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL
                CHECK (type IN ('start', 'normal', 'end', 'exclusive_gateway', 'parallel_gateway')),
            ticket_status TEXT CHECK (ticket_status IN ('new', 'open', 'pending', 'resolved', 'closed')),
            participant_type TEXT
                CHECK (participant_type IN ('person', 'people', 'department', 'role', 'creator', 'field')),
            participant_value TEXT,
            allow_withdraw INTEGER NOT NULL DEFAULT 0 CHECK (allow_withdraw IN (0, 1)),
            distribution TEXT NOT NULL DEFAULT 'direct'
                CHECK (distribution IN ('direct', 'random', 'whole', 'voluntary')),
            props_json TEXT NOT NULL DEFAULT '{}',
            sort_order INTEGER NOT NULL DEFAULT 0,
            UNIQUE (tenant_id, version_id, key),
            UNIQUE (tenant_id, id),
            FOREIGN KEY (tenant_id, version_id) REFERENCES workflow_versions (tenant_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE workflow_transitions (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            version_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            from_node_id INTEGER NOT NULL,
            to_node_id INTEGER NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('agree', 'reject', 'other', 'condition')),
            condition_json TEXT,
            props_json TEXT NOT NULL DEFAULT '{}',
            UNIQUE (tenant_id, version_id, key),
            FOREIGN KEY (tenant_id, version_id) REFERENCES workflow_versions (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, from_node_id) REFERENCES workflow_nodes (tenant_id, id),
            FOREIGN KEY (tenant_id, to_node_id) REFERENCES workflow_nodes (tenant_id, id)
        ) STRICT;
        CREATE INDEX workflow_transitions_from ON workflow_transitions (tenant_id, from_node_id);

        CREATE TABLE workflow_fields (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            version_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'user', 'department',
                                               'boolean', 'rich_text')),
            options_json TEXT,
            sort_order INTEGER NOT NULL DEFAULT 0,
            UNIQUE (tenant_id, version_id, key),
            UNIQUE (tenant_id, id),
            FOREIGN KEY (tenant_id, version_id) REFERENCES workflow_versions (tenant_id, id) ON DELETE CASCADE
        ) STRICT;

        CREATE TABLE workflow_field_permissions (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            node_id INTEGER NOT NULL,
            field_id INTEGER NOT NULL,
            permission TEXT NOT NULL CHECK (permission IN ('required', 'optional', 'readonly', 'hidden')),
            PRIMARY KEY (tenant_id, node_id, field_id),
            FOREIGN KEY (tenant_id, node_id) REFERENCES workflow_nodes (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, field_id) REFERENCES workflow_fields (tenant_id, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;

        -- target_id names a user or a department depending on target_type (no single FK possible).
        CREATE TABLE workflow_permissions (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            workflow_id INTEGER NOT NULL,
            permission TEXT NOT NULL CHECK (permission IN ('view', 'intervene', 'admin')),
            target_type TEXT NOT NULL CHECK (target_type IN ('user', 'department')),
            target_id INTEGER NOT NULL,
            UNIQUE (tenant_id, workflow_id, permission, target_type, target_id),
            FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX workflow_permissions_by_target ON workflow_permissions (tenant_id, target_type, target_id);

        """
}
