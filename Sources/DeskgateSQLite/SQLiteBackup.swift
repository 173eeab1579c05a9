import CSQLite
import DeskgateSQL

extension SQLiteConnection {
    /// Copies every page of `source`'s main database over this connection's, with SQLite's
    /// online backup API in one step: the source is read in one read transaction (a consistent
    /// snapshot that writers of a WAL database do not wait for), the target written in one write
    /// transaction. One step and not many: a multi-step backup restarts whenever another process
    /// writes the source, which on a busy help desk could be for ever.
    package func overwrite(withContentsOf source: SQLiteConnection) throws {
        guard let backup = sqlite3_backup_init(handle, "main", source.handle, "main") else {
            throw StoreError.sqlite(extendedCode: sqlite3_extended_errcode(handle),
                                    message: "backup could not start: " + String(cString: sqlite3_errmsg(handle)))
        }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else {
            let code = stepped == SQLITE_DONE ? finished : stepped
            throw StoreError.sqlite(extendedCode: code, message: "backup failed: " + String(cString: sqlite3_errstr(code)))
        }
    }
}
