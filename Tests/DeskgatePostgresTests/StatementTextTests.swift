import DeskgateSQL
import Testing
@testable import DeskgatePostgres

/// The store's SQLite-style parameters become PostgreSQL's `$N`, numbered as SQLite numbers
/// them, and nothing inside quotes or comments is touched.
@Suite struct StatementTextTests {
    static let rewrites: [(sql: String, postgres: String, count: Int)] = [
        ("SELECT 1", "SELECT 1", 0),
        ("SELECT ?1, ?2", "SELECT $1, $2", 2),
        ("SELECT ?, ?", "SELECT $1, $2", 2),
        ("SELECT ?12", "SELECT $12", 12),
        ("SELECT ?007", "SELECT $7", 7),
        // A bare ? takes the number after the largest so far (SQLite's rule).
        ("?2, ?, ?1", "$2, $3, $1", 3),
        ("?, ?1, ?", "$1, $1, $2", 2),
        ("?3, ?, ?", "$3, $4, $5", 5),
        // No escape for a literal ? in code: ?? is two parameters.
        ("??", "$1$2", 2),
        // Strings, quoted identifiers, comments and dollar quotes are text.
        ("WHERE a = '?1' || ?1", "WHERE a = '?1' || $1", 1),
        ("'it''s ?' = ?", "'it''s ?' = $1", 1),
        (#"E'\'?' = ?"#, #"E'\'?' = $1"#, 1),
        (#"'\' = ?"#, #"'\' = $1"#, 1),
        ("\"col?\" = ?1", "\"col?\" = $1", 1),
        ("\"a\"\"?\" = ?", "\"a\"\"?\" = $1", 1),
        ("SELECT ?1 -- ?2 a comment\n, ?", "SELECT $1 -- ?2 a comment\n, $2", 2),
        ("/* ? /* ? */ ? */ ?", "/* ? /* ? */ ? */ $1", 1),
        ("$$?$$ || ?", "$$?$$ || $1", 1),
        ("$tag$ ? $x$ ? $tag$ ?", "$tag$ ? $x$ ? $tag$ $1", 1),
        ("SELECT 'é?', ?1 -- ünï ?", "SELECT 'é?', $1 -- ünï ?", 1),
        // An unterminated quote runs to the end; the server refuses it.
        ("SELECT ?1, 'open ?", "SELECT $1, 'open ?", 1),
        // Casts and PostgreSQL's own $N stay as they are.
        ("x::int8 = ?1 AND y = $1", "x::int8 = $1 AND y = $1", 1),
        // `a$1` would be one identifier to PostgreSQL.
        ("SELECT a?1", "SELECT a $1", 1),
        ("IN (?1,?2)", "IN ($1,$2)", 2),
    ]

    @Test(arguments: rewrites)
    func rewritesParameters(_ example: (sql: String, postgres: String, count: Int)) throws {
        let text = try PostgresStatementText(rewriting: example.sql)
        #expect(text.text == example.postgres)
        #expect(text.parameterCount == example.count)
    }

    @Test func refusesParameterNumbersPostgreSQLCannotTake() throws {
        for sql in ["SELECT ?0", "SELECT ?65536", "SELECT ?99999999999999999999999"] {
            #expect(throws: StoreError.self) { try PostgresStatementText(rewriting: sql) }
        }
        #expect(try PostgresStatementText(rewriting: "SELECT ?65535").parameterCount == 65_535)
        #expect(throws: StoreError.self) { try PostgresStatementText(rewriting: "SELECT ?65535, ?") }
    }

    static let keywords: [(script: String, keywords: [String])] = [
        ("", []),
        ("BEGIN", ["BEGIN"]),
        ("begin; commit;", ["BEGIN", "COMMIT"]),
        ("-- why\nCOMMIT", ["COMMIT"]),
        ("SAVEPOINT job; ROLLBACK TO job; RELEASE job", ["SAVEPOINT", "ROLLBACK", "RELEASE"]),
        ("CREATE TABLE t (a text DEFAULT ';drop'); /* ; */ ALTER TABLE t ADD b int", ["CREATE", "ALTER"]),
        ("(SELECT 1)", []),
        ("DO $$ BEGIN; END $$; COMMIT", ["DO", "COMMIT"]),
    ]

    @Test(arguments: keywords)
    func findsEachStatementsLeadingKeyword(_ example: (script: String, keywords: [String])) {
        #expect(SQLCode.leadingKeywords(example.script) == example.keywords)
    }
}
