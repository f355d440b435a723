/// What tables, columns and triggers a database has, asked of each engine's own catalog
/// (`sqlite_schema` / `information_schema`, `pg_trigger`).
extension Database {
    /// The lab's tables (not the engine's own), by name.
    public func tableNames() throws -> [String] {
        let sql = engine == .sqlite
            ? "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_type = 'BASE TABLE' ORDER BY table_name"
        return try rows(sql).compactMap { $0.string("name") }
    }

    public func hasTable(_ name: String) throws -> Bool {
        let sql = engine == .sqlite
            ? "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
        return try scalar(sql, [name])?.int == 1
    }

    /// The columns of a table, in order.
    public func columnNames(of table: String) throws -> [String] {
        let sql = engine == .sqlite
            ? "SELECT name FROM pragma_table_info(?) ORDER BY cid"
            : "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND table_name = ? ORDER BY ordinal_position"
        return try rows(sql, [table]).compactMap { $0.string("name") }
    }

    /// The triggers on a table with their definitions (SQLite: the CREATE TRIGGER text;
    /// PostgreSQL: the trigger and the source of the function it runs).
    public func triggers(on table: String) throws -> [String: String] {
        let sql = engine == .sqlite
            ? "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?"
            : """
              SELECT t.tgname AS name, pg_get_triggerdef(t.oid) || ' ' || p.prosrc AS sql
              FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
              WHERE c.relname = ? AND c.relnamespace = CAST(current_schema() AS regnamespace) AND NOT t.tgisinternal
              """
        var result: [String: String] = [:]
        for row in try rows(sql, [table]) {
            if let name = row.string("name") { result[name] = row.string("sql") ?? "" }
        }
        return result
    }
}

extension Database {
    /// The foreign keys of a table: the referencing column and the table it points at.
    public func foreignKeys(of table: String) throws -> [(column: String, parent: String)] {
        let sql = engine == .sqlite
            ? "SELECT \"from\" AS col, \"table\" AS parent FROM pragma_foreign_key_list(?)"
            : """
              SELECT a.attname AS col, p.relname AS parent
              FROM pg_constraint c
              JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
              WHERE c.contype = 'f' AND t.relname = ? AND t.relnamespace = CAST(current_schema() AS regnamespace)
              """
        return try rows(sql, [table]).compactMap { row in
            guard let column = row.string("col"), let parent = row.string("parent") else { return nil }
            return (column, parent)
        }
    }
}
