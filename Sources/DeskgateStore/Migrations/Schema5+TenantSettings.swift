import DeskgateSQL
import DeskgateModel
/// Migration 5: a change of a tenant's settings (MCP tool families, read-only mode) reaches
/// every resource-server process on its next request, like a revocation: resource servers
/// cache the tenant with the principal and drop that cache when the counter moves.
enum Schema5 {
    static let tenantSettings = """
        CREATE TRIGGER tenant_settings_changed AFTER UPDATE OF settings_json ON tenants
            WHEN new.settings_json <> old.settings_json
            BEGIN UPDATE revocation_counter SET value = value + 1 WHERE id = 1; END;

        """
}
