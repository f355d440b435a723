-- The audit log becomes a hash chain (issue 16): each row keeps the SHA-256 of the row before it
-- (prev_hash) and its own (row_hash = SHA-256 of prev_hash followed by the row's canonical
-- content, see Sources/LIMSStore/Records/AuditChain.swift). `lims check` walks the chain, so a row
-- changed, deleted or inserted with sqlite3 is found by its id. The rows already in the log are
-- sealed by the migrator in this migration's transaction (SQLite has no SHA-256 function).
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT CHECK (prev_hash IS NULL OR length(prev_hash) = 64);
ALTER TABLE audit_log ADD COLUMN row_hash TEXT CHECK (row_hash IS NULL OR length(row_hash) = 64);

-- Still append-only; the one change allowed is sealing a row that has no hash yet, once.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.row_hash IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.operator IS NOT OLD.operator
  OR NEW.action IS NOT OLD.action OR NEW.table_name IS NOT OLD.table_name
  OR NEW.record_id IS NOT OLD.record_id OR NEW.sample_id IS NOT OLD.sample_id
  OR NEW.batch_id IS NOT OLD.batch_id OR NEW.summary IS NOT OLD.summary
  OR NEW.old_value IS NOT OLD.old_value OR NEW.new_value IS NOT OLD.new_value OR NEW.reason IS NOT OLD.reason
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;
