/// Migration 1's parts that PostgreSQL spells differently in kind (the tables come from
/// `PostgresDDL`).
enum PostgresSchema1 {
    /// SQLite's `NOCASE` (department and tag names): case-insensitive equality, so the UNIQUE
    /// constraints refuse "VPN" next to "vpn" on both engines. ICU's root locale at strength 2
    /// ignores case and keeps accents.
    static let collations = """
        CREATE COLLATION deskgate_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

        """

    /// Full-text search over ticket subjects and message bodies. SQLite keeps two FTS5 indexes
    /// ('unicode61 remove_diacritics 2'); here the same words in a text-search configuration
    /// (folded to lower case, accents removed, no stemming, no stop words) and two expression
    /// GIN indexes, which PostgreSQL keeps in step with the rows by itself, so no trigger is
    /// needed.
    ///
    /// Words are what unicode61 calls tokens, runs of letters and digits: the text is cut at
    /// every other character before PostgreSQL's parser sees it, so an address, a URL or
    /// "e-mail" falls into the same words as in FTS5 instead of the parser's own email, host and
    /// hyphenated-word tokens (ICU's character classes, so "é" and "日" are letters here too).
    /// `deskgate_search_vector` and `deskgate_search_query` are the one spelling of that cut;
    /// queries must call them exactly as the indexes do to reach them (`WordMatch`). Both
    /// are plain SQL functions, which the planner inlines. `unaccent` is a trusted extension:
    /// the database owner may create it.
    static let search = """
        CREATE EXTENSION IF NOT EXISTS unaccent;
        CREATE TEXT SEARCH CONFIGURATION deskgate_search (COPY = pg_catalog.simple);
        ALTER TEXT SEARCH CONFIGURATION deskgate_search
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part,
                numword, numhword, hword_numpart WITH unaccent, simple;
        CREATE FUNCTION deskgate_search_vector(text) RETURNS tsvector
            LANGUAGE sql IMMUTABLE RETURNS NULL ON NULL INPUT PARALLEL SAFE
            RETURN to_tsvector('deskgate_search'::regconfig, regexp_replace($1 COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));
        CREATE FUNCTION deskgate_search_query(text) RETURNS tsquery
            LANGUAGE sql IMMUTABLE RETURNS NULL ON NULL INPUT PARALLEL SAFE
            RETURN phraseto_tsquery('deskgate_search'::regconfig, regexp_replace($1 COLLATE "und-x-icu", '[^[:alnum:]]+', ' ', 'g'));
        CREATE INDEX tickets_subject_search ON tickets USING gin (deskgate_search_vector(subject));
        CREATE INDEX messages_body_search ON messages USING gin (deskgate_search_vector(body));

        """

    /// The revocation counter's triggers (SQLite: `Schema1.revocationTriggers`): one row-level
    /// trigger per event, each with the same condition as SQLite's.
    static let revocationTriggers = """
        CREATE FUNCTION deskgate_bump_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE revocation_counter SET value = value + 1 WHERE id = 1;
            RETURN NULL;
        END $$;
        CREATE TRIGGER pat_revoked AFTER UPDATE OF revoked_at ON personal_access_tokens FOR EACH ROW
            WHEN (NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL) EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER pat_deleted AFTER DELETE ON personal_access_tokens FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER grant_revoked AFTER UPDATE OF revoked_at ON oauth_grants FOR EACH ROW
            WHEN (NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL) EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER grant_deleted AFTER DELETE ON oauth_grants FOR EACH ROW
            EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER session_revoked AFTER UPDATE OF revoked_at ON login_sessions FOR EACH ROW
            WHEN (NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL) EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER user_deactivated AFTER UPDATE OF is_active, role ON users FOR EACH ROW
            WHEN (NEW.is_active <> OLD.is_active OR NEW.role <> OLD.role) EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER tenant_status_changed AFTER UPDATE OF status ON tenants FOR EACH ROW
            WHEN (NEW.status <> OLD.status) EXECUTE FUNCTION deskgate_bump_revocation();
        CREATE TRIGGER signing_key_retired AFTER UPDATE OF state ON signing_keys FOR EACH ROW
            WHEN (NEW.state = 'retired' AND OLD.state <> 'retired') EXECUTE FUNCTION deskgate_bump_revocation();

        """
}
