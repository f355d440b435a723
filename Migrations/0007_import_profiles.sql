-- Issue 12 (items 3-5): saved import profiles for instruments no reader knows, QC rules the
-- lab can extend, and aliases of sample codes as instruments write them.

-- A saved description of one vendor layout (`lims import-profile add NAME --from FILE`).
-- definition: the profile as JSON (validated by lims before it is stored).
CREATE TABLE import_profile (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE
                 CHECK (length(trim(name)) > 0 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
    definition   TEXT NOT NULL CHECK (json_valid(definition) AND json_type(definition) = 'object'),
    description  TEXT,
    operator     TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- How a row of an instrument run is told to be QC from its label (applies_to 'label') or from
-- the instrument's sample-type column ('type'). Tried in ascending priority (then id); the first
-- enabled rule that matches decides. Matching ignores case and surrounding spaces:
--   exact    the whole text equals the pattern
--   prefix   the text starts with the pattern     suffix  the text ends with it
--   contains the pattern is anywhere in the text
--   word     the pattern's words appear as whole words, in order (no regular expressions)
-- Built-in rules (builtin = 1) reproduce what lims has always done; they can be disabled, not deleted.
CREATE TABLE qc_name_rule (
    id          INTEGER PRIMARY KEY,
    pattern     TEXT NOT NULL CHECK (length(trim(pattern)) > 0),  -- may end in a space: 'STD ' is not 'STDEV'
    match_kind  TEXT NOT NULL CHECK (match_kind IN ('exact', 'prefix', 'contains', 'suffix', 'word')),
    applies_to  TEXT NOT NULL DEFAULT 'label' CHECK (applies_to IN ('label', 'type')),
    qc_type     TEXT NOT NULL CHECK (qc_type IN ('cal_blank', 'cal_std', 'blank', 'ccv', 'ccb',
                                                 'crm', 'duplicate', 'spike', 'dnu', 'other')),
    crm         INTEGER NOT NULL DEFAULT 0 CHECK (crm IN (0, 1)),
    priority    INTEGER NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000),
    builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    note        TEXT,
    operator    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- A CRM rule makes a CRM row, and a CRM row comes from a CRM rule.
    CHECK ((crm = 1) = (qc_type = 'crm')),
    UNIQUE (pattern COLLATE NOCASE, match_kind, applies_to)
) STRICT;

-- The rules lims applied before they lived in the database (QCClassifier's fallback set is the same).
-- 10: "do not use" wins over everything; 20: the instrument's type column; 30-90: the label.
INSERT INTO qc_name_rule (pattern, match_kind, applies_to, qc_type, crm, priority, builtin, note) VALUES
    ('DNU', 'word', 'label', 'dnu', 0, 10, 1, 'do not use: never a result'),
    ('CALBLK', 'exact', 'type', 'cal_blank', 0, 20, 1, 'MassHunter type'),
    ('CAL BLANK', 'exact', 'type', 'cal_blank', 0, 20, 1, NULL),
    ('CALBLANK', 'exact', 'type', 'cal_blank', 0, 20, 1, NULL),
    ('BLK', 'exact', 'type', 'cal_blank', 0, 20, 1, NULL),
    ('CAL BLK', 'exact', 'type', 'cal_blank', 0, 20, 1, NULL),
    ('CALIBRATION BLANK', 'exact', 'type', 'cal_blank', 0, 20, 1, NULL),
    ('CALSTD', 'exact', 'type', 'cal_std', 0, 20, 1, 'MassHunter type'),
    ('STD', 'exact', 'type', 'cal_std', 0, 20, 1, NULL),
    ('CAL STD', 'exact', 'type', 'cal_std', 0, 20, 1, NULL),
    ('STANDARD', 'exact', 'type', 'cal_std', 0, 20, 1, NULL),
    ('CALIBRATION STANDARD', 'exact', 'type', 'cal_std', 0, 20, 1, NULL),
    ('CAL', 'exact', 'type', 'cal_std', 0, 20, 1, NULL),
    ('CCV', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('ICV', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('QC', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('CHECK', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('LCS', 'exact', 'type', 'ccv', 0, 20, 1, 'laboratory control sample'),
    ('QCSTD', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('QC STD', 'exact', 'type', 'ccv', 0, 20, 1, NULL),
    ('CCB', 'exact', 'type', 'ccb', 0, 20, 1, NULL),
    ('ICB', 'exact', 'type', 'ccb', 0, 20, 1, NULL),
    ('BLANK', 'exact', 'type', 'blank', 0, 20, 1, NULL),
    ('RB', 'exact', 'type', 'blank', 0, 20, 1, 'reagent blank'),
    ('REAGENT BLANK', 'exact', 'type', 'blank', 0, 20, 1, NULL),
    ('METHOD BLANK', 'exact', 'type', 'blank', 0, 20, 1, NULL),
    ('MB', 'exact', 'type', 'blank', 0, 20, 1, NULL),
    ('LRB', 'exact', 'type', 'blank', 0, 20, 1, 'laboratory reagent blank (EPA 200.8)'),
    ('CRM', 'exact', 'type', 'crm', 1, 20, 1, NULL),
    ('SRM', 'exact', 'type', 'crm', 1, 20, 1, NULL),
    ('RM', 'exact', 'type', 'crm', 1, 20, 1, NULL),
    ('DUP', 'exact', 'type', 'duplicate', 0, 20, 1, NULL),
    ('DUPLICATE', 'exact', 'type', 'duplicate', 0, 20, 1, NULL),
    ('SPIKE', 'exact', 'type', 'spike', 0, 20, 1, NULL),
    ('SPK', 'exact', 'type', 'spike', 0, 20, 1, NULL),
    ('MS', 'exact', 'type', 'spike', 0, 20, 1, 'matrix spike'),
    ('LFB', 'exact', 'type', 'spike', 0, 20, 1, 'laboratory fortified blank (EPA 200.8)'),
    ('LFM', 'exact', 'type', 'spike', 0, 20, 1, 'laboratory fortified matrix'),
    ('DNU', 'exact', 'type', 'dnu', 0, 20, 1, NULL),
    ('UNNAMED', 'exact', 'type', 'other', 0, 20, 1, 'rows without a sample name'),
    ('OREAS', 'prefix', 'label', 'crm', 1, 30, 1, 'OREAS CRMs (name normalized: ORREAS-DPL 600 -> OREAS 600)'),
    ('ORREAS', 'prefix', 'label', 'crm', 1, 30, 1, 'OREAS as typed on a real run'),
    ('NIST', 'prefix', 'label', 'crm', 1, 30, 1, 'NIST SRM 2711a ...'),
    ('SRM', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('BCR', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('GBW', 'prefix', 'label', 'crm', 1, 30, 1, 'Chinese national CRMs (GBW07405 ...)'),
    ('CRM', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('CANMET', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('TILL-', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('STSD', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('GSD', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('GSS', 'prefix', 'label', 'crm', 1, 30, 1, NULL),
    ('BHVO', 'prefix', 'label', 'crm', 1, 30, 1, 'USGS basalt'),
    ('AGV', 'prefix', 'label', 'crm', 1, 30, 1, 'USGS andesite'),
    ('CAL BLANK', 'exact', 'label', 'cal_blank', 0, 40, 1, NULL),
    ('CALBLANK', 'exact', 'label', 'cal_blank', 0, 40, 1, NULL),
    ('CAL BLK', 'exact', 'label', 'cal_blank', 0, 40, 1, NULL),
    ('CALIBRATION BLANK', 'exact', 'label', 'cal_blank', 0, 40, 1, NULL),
    ('CCB', 'word', 'label', 'ccb', 0, 50, 1, NULL),
    ('ICB', 'word', 'label', 'ccb', 0, 50, 1, NULL),
    ('CCV', 'word', 'label', 'ccv', 0, 60, 1, NULL),
    ('ICV', 'word', 'label', 'ccv', 0, 60, 1, NULL),
    ('DERIV', 'word', 'label', 'ccv', 0, 60, 1, 'drift check (French "dérive")'),
    ('DRIFT', 'word', 'label', 'ccv', 0, 60, 1, NULL),
    ('BLANK', 'word', 'label', 'blank', 0, 70, 1, NULL),
    ('BLK', 'word', 'label', 'blank', 0, 70, 1, NULL),
    ('BLANC', 'exact', 'label', 'blank', 0, 70, 1, NULL),
    ('LRB', 'word', 'label', 'blank', 0, 70, 1, 'laboratory reagent blank (EPA 200.8)'),
    ('SPIKE', 'word', 'label', 'spike', 0, 80, 1, NULL),
    ('LFB', 'word', 'label', 'spike', 0, 80, 1, 'laboratory fortified blank (EPA 200.8)'),
    ('LFM', 'word', 'label', 'spike', 0, 80, 1, 'laboratory fortified matrix'),
    ('STANDARD', 'prefix', 'label', 'cal_std', 0, 90, 1, NULL),
    ('STD ', 'prefix', 'label', 'cal_std', 0, 90, 1, NULL),
    ('CAL STD', 'prefix', 'label', 'cal_std', 0, 90, 1, NULL),
    ('CALSTD', 'prefix', 'label', 'cal_std', 0, 90, 1, NULL),
    ('CHECK', 'word', 'label', 'ccv', 0, 60, 1, 'check standard (Shimadzu ICPE UNK rows)'),
    ('QC', 'exact', 'label', 'ccv', 0, 60, 1, 'a check solution named QC'),
    ('QC ', 'prefix', 'label', 'ccv', 0, 60, 1, 'QC 10 PPM (Horiba)'),
    ('BLK', 'suffix', 'label', 'blank', 0, 70, 1, 'rBLK, MBLK: reagent or method blank (Syngistix)'),
    ('BLANK', 'suffix', 'label', 'blank', 0, 70, 1, 'PROCBLANK: procedural blank');

-- Another name of a sample as an instrument or a colleague writes it (`lims sample alias add`).
CREATE TABLE sample_alias (
    id          INTEGER PRIMARY KEY,
    alias       TEXT NOT NULL UNIQUE COLLATE NOCASE
                CHECK (length(trim(alias)) > 0 AND alias = trim(alias)),
    sample_id   INTEGER NOT NULL REFERENCES sample(id) ON DELETE CASCADE,
    note        TEXT,
    operator    TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX sample_alias_sample ON sample_alias(sample_id);
