/// 'sqlite3 → schema' for `lims import samples`: the rows the register wrote, written again by
/// sqlite3 alone into the database as it was before the register (sites, treatments and plots
/// in), with the connection set as lims sets its own and one transaction — what the register's
/// writes cost at best on this schema, with no reading, checking, JSON or hashing.
///
/// Untimed (`stagingScript`), run on the database lims registered into: its sample,
/// preparation_step, import_batch and audit_log rows of the register are copied as they are
/// (ids, created_at, audit JSON and hash chain) into a scratch file. Timed (`insertScript`), run
/// on the copy taken before the register: one `INSERT … SELECT` per table, in lims's order
/// (the batch, then each table), through the real constraints, foreign keys and indexes.
enum RegisterReference {
    /// Attaches the database before the register as `before` and the scratch file as `staged`.
    static func stagingScript(before: String, staged: String) -> String {
        """
        ATTACH \(quoted(before)) AS before;
        ATTACH \(quoted(staged)) AS staged;
        BEGIN;
        CREATE TABLE staged.batch AS SELECT * FROM main.import_batch
            WHERE id > (SELECT coalesce(max(id), 0) FROM before.import_batch) ORDER BY id;
        CREATE TABLE staged.sample AS SELECT * FROM main.sample ORDER BY id;
        CREATE TABLE staged.preparation_step AS SELECT * FROM main.preparation_step ORDER BY id;
        CREATE TABLE staged.audit AS SELECT * FROM main.audit_log
            WHERE id > (SELECT coalesce(max(id), 0) FROM before.audit_log) ORDER BY id;
        COMMIT;
        SELECT (SELECT count(*) FROM staged.sample) || ' ' || (SELECT count(*) FROM staged.audit);

        """
    }

    /// Run on the copy of the database before the register.
    static func insertScript(staged: String) -> String {
        """
        PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -32768;
        ATTACH \(quoted(staged)) AS staged;
        BEGIN IMMEDIATE;
        INSERT INTO main.import_batch SELECT * FROM staged.batch ORDER BY rowid;
        INSERT INTO main.sample SELECT * FROM staged.sample ORDER BY rowid;
        INSERT INTO main.preparation_step SELECT * FROM staged.preparation_step ORDER BY rowid;
        INSERT INTO main.audit_log SELECT * FROM staged.audit ORDER BY rowid;
        COMMIT;
        SELECT count(*) FROM main.sample;

        """
    }

    /// An SQL string literal of a path (the bench's own folders, never user text).
    static func quoted(_ path: String) -> String {
        "'" + path.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
