-- PostgreSQL spelling of ../0011_code_case.sql, written by translate_from_sqlite.py: keep the two in step.
-- Codes are matched ignoring case in queries, registration and imports (LabStore.registeredCode,
-- SheetImportContext.existingRow, SampleMatcher). The fallback lookup is
--   SELECT code FROM sample WHERE lower(code) = lower(?)
-- which the UNIQUE index on code cannot serve; without this index it scans every sample, once per
-- newly registered sample (O(n²) for a samples sheet). EXPLAIN QUERY PLAN with it:
--   SEARCH sample USING INDEX sample_code_lower (<expr>=?)
-- Sites, treatments and plots are few; their fallback scan costs nothing worth an index.
CREATE INDEX sample_code_lower ON sample (lower(code));
