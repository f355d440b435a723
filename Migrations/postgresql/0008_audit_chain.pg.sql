-- PostgreSQL spelling of ../0008_audit_chain.sql, written by translate_from_sqlite.py: keep the two in step.
-- The audit log becomes a hash chain (issue 16): each row keeps the SHA-256 of the row before it
-- (prev_hash) and its own (row_hash = SHA-256 of prev_hash followed by the row's canonical
-- content, see Sources/LIMSStore/Records/AuditChain.swift). `lims check` walks the chain, so a row
-- changed, deleted or inserted with sqlite3 is found by its id. The rows already in the log are
-- sealed by the migrator in this migration's transaction (SQLite has no SHA-256 function).
ALTER TABLE audit_log ADD COLUMN prev_hash text CHECK (prev_hash IS NULL OR length(prev_hash) = 64);
ALTER TABLE audit_log ADD COLUMN row_hash text CHECK (row_hash IS NULL OR length(row_hash) = 64);

-- Still append-only; the one change allowed is sealing a row that has no hash yet, once.
CREATE OR REPLACE FUNCTION audit_log_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.row_hash IS NOT NULL
       OR NEW.id IS DISTINCT FROM OLD.id OR NEW.at IS DISTINCT FROM OLD.at OR NEW.operator IS DISTINCT FROM OLD.operator
       OR NEW.action IS DISTINCT FROM OLD.action OR NEW.table_name IS DISTINCT FROM OLD.table_name
       OR NEW.record_id IS DISTINCT FROM OLD.record_id OR NEW.sample_id IS DISTINCT FROM OLD.sample_id
       OR NEW.batch_id IS DISTINCT FROM OLD.batch_id OR NEW.summary IS DISTINCT FROM OLD.summary
       OR NEW.old_value IS DISTINCT FROM OLD.old_value OR NEW.new_value IS DISTINCT FROM OLD.new_value
       OR NEW.reason IS DISTINCT FROM OLD.reason THEN
        RAISE EXCEPTION 'audit_log is append-only: rows cannot be changed' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
