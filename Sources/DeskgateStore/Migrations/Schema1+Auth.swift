import DeskgateSQL
import DeskgateModel
extension Schema1 {
    static let auth = """
        -- token_hash: SHA-256 of the whole token; masked: prefix + last 4, for lists.
        CREATE TABLE personal_access_tokens (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            token_hash BLOB NOT NULL UNIQUE,
            masked TEXT NOT NULL,
            scopes TEXT NOT NULL,                -- space-separated
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER,
            revoked_by INTEGER,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, revoked_by) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX personal_access_tokens_by_user ON personal_access_tokens (tenant_id, user_id, revoked_at);

        -- One key set for the deployment (not tenant-owned): every tenant issuer signs with it.
        CREATE TABLE signing_keys (
            kid TEXT PRIMARY KEY,
            alg TEXT NOT NULL,
            public_jwk_json TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
            created_at INTEGER NOT NULL,
            activated_at INTEGER,
            retired_at INTEGER
        ) STRICT;

        CREATE TABLE oauth_clients (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            client_id TEXT NOT NULL,             -- opaque id (dcr) or metadata URL (cimd)
            kind TEXT NOT NULL CHECK (kind IN ('dcr', 'cimd', 'preregistered')),
            name TEXT NOT NULL DEFAULT '',
            redirect_uris_json TEXT NOT NULL DEFAULT '[]',
            grant_types TEXT NOT NULL DEFAULT 'authorization_code refresh_token',
            token_endpoint_auth_method TEXT NOT NULL DEFAULT 'none',
            secret_hash BLOB,
            application_type TEXT NOT NULL DEFAULT 'web' CHECK (application_type IN ('web', 'native')),
            metadata_json TEXT NOT NULL DEFAULT '{}',
            metadata_expires_at INTEGER,         -- cimd documents are re-fetched after this
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            UNIQUE (tenant_id, client_id),
            UNIQUE (tenant_id, id)
        ) STRICT;

        -- A remembered consent ("authorized app"); revoking it kills its tokens.
        CREATE TABLE oauth_grants (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER NOT NULL,
            client_id TEXT NOT NULL,
            scopes TEXT NOT NULL,
            resource TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER,
            UNIQUE (tenant_id, id),
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, client_id) REFERENCES oauth_clients (tenant_id, client_id)
        ) STRICT;
        CREATE UNIQUE INDEX oauth_grants_one_live ON oauth_grants (tenant_id, user_id, client_id)
            WHERE revoked_at IS NULL;

        CREATE TABLE oauth_codes (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            code_hash BLOB NOT NULL UNIQUE,
            grant_id INTEGER NOT NULL,
            redirect_uri TEXT NOT NULL,
            code_challenge TEXT NOT NULL,        -- PKCE S256 only
            resource TEXT NOT NULL,
            scopes TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,                     -- a second use revokes the grant
            FOREIGN KEY (tenant_id, grant_id) REFERENCES oauth_grants (tenant_id, id) ON DELETE CASCADE
        ) STRICT;

        -- Rotation chain: family_id is the first token's id; reuse of a rotated token revokes the family's grant.
        CREATE TABLE oauth_refresh_tokens (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            token_hash BLOB NOT NULL UNIQUE,
            grant_id INTEGER NOT NULL,
            family_id INTEGER,
            parent_id INTEGER REFERENCES oauth_refresh_tokens(id),
            scopes TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            rotated_at INTEGER,
            revoked_at INTEGER,
            expires_at INTEGER NOT NULL,
            FOREIGN KEY (tenant_id, grant_id) REFERENCES oauth_grants (tenant_id, id) ON DELETE CASCADE
        ) STRICT;
        CREATE INDEX oauth_refresh_tokens_by_grant ON oauth_refresh_tokens (tenant_id, grant_id);
        CREATE INDEX oauth_refresh_tokens_by_family ON oauth_refresh_tokens (tenant_id, family_id);

        CREATE TABLE login_sessions (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            user_id INTEGER NOT NULL,
            session_hash BLOB NOT NULL UNIQUE,
            csrf TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER,
            address TEXT,
            user_agent TEXT,
            FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX login_sessions_by_user ON login_sessions (tenant_id, user_id);

        CREATE TABLE security_events (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenants(id),
            actor_user_id INTEGER,
            subject_user_id INTEGER,
            kind TEXT NOT NULL,
            detail_json TEXT NOT NULL DEFAULT '{}',
            address TEXT,
            created_at INTEGER NOT NULL,
            FOREIGN KEY (tenant_id, actor_user_id) REFERENCES users (tenant_id, id),
            FOREIGN KEY (tenant_id, subject_user_id) REFERENCES users (tenant_id, id)
        ) STRICT;
        CREATE INDEX security_events_by_time ON security_events (tenant_id, created_at);
        CREATE INDEX security_events_by_subject ON security_events (tenant_id, subject_user_id, id);

        -- One row whose value rises with every revocation. Resource servers read it per request
        -- and drop their token cache when it moved. Triggers bump it in the revoking transaction,
        -- so no code path can revoke without invalidating caches.
        CREATE TABLE revocation_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        ) STRICT;
        INSERT INTO revocation_counter (id, value) VALUES (1, 0);

        -- Rows written by `deskgate debug write-probe`: the kill -9 test checks every acknowledged one.
        CREATE TABLE durability_probe (
            sequence INTEGER PRIMARY KEY,
            written_at INTEGER NOT NULL
        ) STRICT;

        """

    /// Every revocation (and every change that must drop a resource server's cached principal)
    /// bumps the counter inside the revoking transaction.
    static let revocationTriggers = """
        CREATE TRIGGER pat_revoked AFTER UPDATE OF revoked_at ON personal_access_tokens
            WHEN new.revoked_at IS NOT NULL AND old.revoked_at IS NULL
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER pat_deleted AFTER DELETE ON personal_access_tokens
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER grant_revoked AFTER UPDATE OF revoked_at ON oauth_grants
            WHEN new.revoked_at IS NOT NULL AND old.revoked_at IS NULL
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER grant_deleted AFTER DELETE ON oauth_grants
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER session_revoked AFTER UPDATE OF revoked_at ON login_sessions
            WHEN new.revoked_at IS NOT NULL AND old.revoked_at IS NULL
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER user_deactivated AFTER UPDATE OF is_active, role ON users
            WHEN new.is_active <> old.is_active OR new.role <> old.role
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER tenant_status_changed AFTER UPDATE OF status ON tenants
            WHEN new.status <> old.status
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER signing_key_retired AFTER UPDATE OF state ON signing_keys
            WHEN new.state = 'retired' AND old.state <> 'retired'
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;

        """
}
