import DeskgateSQL
import DeskgateModel
/// Migration 1, split by area. Conventions for the whole schema:
/// - Times are INTEGER unix **milliseconds** (`*_at`), UTC; JWT seconds are derived at the edge.
/// - Every tenant-owned table has `tenant_id INTEGER NOT NULL REFERENCES tenants(id)`, and its
///   indexes lead with tenant_id. Parents expose `UNIQUE (tenant_id, id)` and children reference
///   them with composite foreign keys `(tenant_id, x_id)`, so SQLite itself refuses a row that
///   points into another tenant. A NULL `x_id` skips the check, as optional references should.
/// - Hashes of secrets (tokens, codes, sessions) are BLOBs; the secrets themselves are never stored.
/// - Tables are STRICT so a wrongly typed bind fails instead of being stored as text.
enum Schema1 {
    static let directory = """
        CREATE TABLE tenants (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE
                CHECK (length(slug) BETWEEN 1 AND 63 AND slug NOT GLOB '*[^a-z0-9-]*'),
            name TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
            settings_json TEXT NOT NULL DEFAULT '{}',   -- tenant MCP settings live here
            created_at INTEGER NOT NULL
        ) STRICT;

        -- Per-tenant counters (ticket numbers), bumped inside the writing transaction.
        CREATE TABLE tenant_sequences (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            last_value INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (tenant_id, name)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            email TEXT NOT NULL CHECK (email = lower(email)),
            name TEXT NOT NULL,
            alias TEXT,
            role TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'viewer')),
            password_hash TEXT,
            is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
            created_at INTEGER NOT NULL,
            last_login_at INTEGER,
            UNIQUE (tenant_id, email),
            UNIQUE (tenant_id, id)
        ) STRICT;

        CREATE TABLE departments (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL COLLATE NOCASE,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, name),
            UNIQUE (tenant_id, id)
        ) STRICT;

        CREATE TABLE department_members (
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            department_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
            PRIMARY KEY (tenant_id, department_id, user_id),
            FOREIGN KEY (tenant_id, department_id) REFERENCES departments (tenant_id, id) ON DELETE CASCADE,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX department_members_by_user ON department_members (tenant_id, user_id, department_id);

        -- Customers who raise tickets (not agents; they never log in here).
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            email TEXT CHECK (email = lower(email)),
            name TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, email),
            UNIQUE (tenant_id, id)
        ) STRICT;

        """
}
