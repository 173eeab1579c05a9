/// Migration 13: `ticket_list`'s `search_value` (a case-insensitive substring of the title)
/// served by an index instead of a scan of every workflow ticket.
///
/// SQLite: an FTS5 `trigram` index over the subjects of workflow tickets (the only ones
/// `ticket_list` shows). Its content is the view `workflow_ticket_subjects`, so FTS5's own
/// 'rebuild' and 'integrity-check' (what `deskgate store copy` runs) read exactly the rows the
/// triggers feed. A quoted phrase of three or more characters matches exactly the subjects
/// that contain it, case folded (Unicode), accents kept; shorter text has no trigram, see
/// `TicketFlowRepository.list`.
enum Schema13 {
    static let titleSubstrings = """
        CREATE VIEW workflow_ticket_subjects AS
            SELECT id, subject FROM tickets WHERE workflow_version_id IS NOT NULL;
        CREATE VIRTUAL TABLE workflow_subject_trigrams USING fts5(
            subject, content='workflow_ticket_subjects', content_rowid='id', tokenize='trigram', detail='full');
        INSERT INTO workflow_subject_trigrams (workflow_subject_trigrams) VALUES ('rebuild');
        INSERT INTO workflow_subject_trigrams (workflow_subject_trigrams) VALUES ('optimize');
        CREATE TRIGGER workflow_subjects_insert AFTER INSERT ON tickets WHEN new.workflow_version_id IS NOT NULL BEGIN
            INSERT INTO workflow_subject_trigrams (rowid, subject) VALUES (new.id, new.subject);
        END;
        CREATE TRIGGER workflow_subjects_delete AFTER DELETE ON tickets WHEN old.workflow_version_id IS NOT NULL BEGIN
            INSERT INTO workflow_subject_trigrams (workflow_subject_trigrams, rowid, subject)
                VALUES ('delete', old.id, old.subject);
        END;
        CREATE TRIGGER workflow_subjects_update AFTER UPDATE OF subject, workflow_version_id ON tickets BEGIN
            INSERT INTO workflow_subject_trigrams (workflow_subject_trigrams, rowid, subject)
                SELECT 'delete', old.id, old.subject WHERE old.workflow_version_id IS NOT NULL;
            INSERT INTO workflow_subject_trigrams (rowid, subject)
                SELECT new.id, new.subject WHERE new.workflow_version_id IS NOT NULL;
        END;

        """
}

/// Migration 13 on PostgreSQL: a `pg_trgm` GIN index over the lower-cased subjects of
/// workflow tickets, which serves `lower(subject) LIKE '%…%'` (the index finds candidates by
/// trigram, PostgreSQL rechecks the LIKE on each). Lower-casing through ICU's root locale folds
/// the same letters as FTS5's trigram tokenizer, whatever the database's own locale.
/// `pg_trgm` is a trusted extension: the database owner may create it.
enum PostgresSchema13 {
    static let titleSubstrings = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX workflow_subject_trigrams ON tickets
            USING gin (lower(subject COLLATE "und-x-icu") gin_trgm_ops) WHERE workflow_version_id IS NOT NULL;

        """
}
