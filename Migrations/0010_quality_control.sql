-- Quality control of instrument runs (ISO/IEC 17025): acceptance limits the lab can change,
-- the kind of each CRM value (certified / reference / information), a few soil CRMs with REE
-- values, and blank-corrected values kept beside (never over) the stored ones.

-- How a reference material value was assigned: only `certified` and `reference` values are used
-- to accept a batch by default; `information` values are shown, never judged.
ALTER TABLE crm_certified_value ADD COLUMN value_kind TEXT NOT NULL DEFAULT 'certified'
    CHECK (value_kind IN ('certified', 'reference', 'information', 'consensus', 'in-house'));

-- Acceptance limits (lims qc settings). Values are numbers; the note says what each means.
CREATE TABLE qc_setting (
    key    TEXT PRIMARY KEY CHECK (length(trim(key)) > 0),
    value  REAL NOT NULL,
    note   TEXT NOT NULL
) STRICT;
INSERT INTO qc_setting (key, value, note) VALUES
    ('crm_recovery_low', 90, 'CRM recovery below this % fails the batch'),
    ('crm_recovery_high', 110, 'CRM recovery above this % fails the batch'),
    ('ccv_recovery_low', 90, 'check standard (CCV) recovery below this % is drift beyond limits'),
    ('ccv_recovery_high', 110, 'check standard (CCV) recovery above this % is drift beyond limits'),
    ('duplicate_rpd_max', 20, 'duplicate RPD above this % fails the batch (both values >= duplicate_dl_multiple x DL)'),
    ('duplicate_dl_multiple', 10, 'duplicates are judged with the full limit only when both values are at least this many DLs'),
    ('duplicate_near_dl_multiple', 5, 'between this and duplicate_dl_multiple x DL the RPD limit is doubled; below it a pair is not judged');

-- A value minus the mean of its batch's procedural blanks (lims qc blank-correct N): derived, kept
-- apart, the stored measurement is never changed.
CREATE TABLE blank_corrected_value (
    id              INTEGER PRIMARY KEY,
    measurement_id  INTEGER NOT NULL UNIQUE REFERENCES measurement(id) ON DELETE CASCADE,
    batch_id        INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    blank_mean      REAL NOT NULL,
    blank_n         INTEGER NOT NULL CHECK (blank_n >= 1),
    value           REAL NOT NULL,
    unit            TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX blank_corrected_value_batch ON blank_corrected_value(batch_id);

-- Soil CRMs with REE values, mg/kg, uncertainty as published (expanded, ~95 %). Transcribed from
-- the NIST certificates (SRM 2710a, 2711a: certified / reference / information as classed there)
-- and for SRM 2709a from Byers et al. (2016, Geostand. Geoanal. Res., doi:10.1111/j.1751-908X.2016.00376.x,
-- via GeoReM). Check them against your own certificate before accepting a batch on them.
INSERT INTO crm_certified_value (crm_name, analyte, value, unit, uncertainty, citation, value_kind) VALUES
    ('NIST SRM 2709a', 'La', 19.89, 'mg/kg', 1.1, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Ce', 40.89, 'mg/kg', 1.75, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Pr', 4.68, 'mg/kg', 0.13, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Nd', 17.88, 'mg/kg', 0.35, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Sm', 3.5, 'mg/kg', 0.13, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Eu', 1.02, 'mg/kg', 0.06, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Dy', 2.77, 'mg/kg', 0.1, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Ho', 0.57, 'mg/kg', 0.01, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Yb', 1.67, 'mg/kg', 0.04, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Lu', 0.24, 'mg/kg', 0.01, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2709a', 'Y', 15.34, 'mg/kg', 0.62, 'Byers et al. 2016 GGR (GeoReM)', 'reference'),
    ('NIST SRM 2710a', 'La', 30.6, 'mg/kg', 1.2, 'NIST SRM 2710a certificate (Montana I Soil)', 'certified'),
    ('NIST SRM 2710a', 'Nd', 22, 'mg/kg', 2, 'NIST SRM 2710a certificate (Montana I Soil)', 'reference'),
    ('NIST SRM 2710a', 'Sm', 4, 'mg/kg', 0.2, 'NIST SRM 2710a certificate (Montana I Soil)', 'reference'),
    ('NIST SRM 2710a', 'Eu', 0.82, 'mg/kg', 0.01, 'NIST SRM 2710a certificate (Montana I Soil)', 'reference'),
    ('NIST SRM 2710a', 'Gd', 3, 'mg/kg', 0.1, 'NIST SRM 2710a certificate (Montana I Soil)', 'reference'),
    ('NIST SRM 2710a', 'Lu', 0.31, 'mg/kg', 0.01, 'NIST SRM 2710a certificate (Montana I Soil)', 'reference'),
    ('NIST SRM 2710a', 'Ce', 60, 'mg/kg', NULL, 'NIST SRM 2710a certificate (Montana I Soil)', 'information'),
    ('NIST SRM 2710a', 'Dy', 3, 'mg/kg', NULL, 'NIST SRM 2710a certificate (Montana I Soil)', 'information'),
    ('NIST SRM 2710a', 'Tb', 0.5, 'mg/kg', NULL, 'NIST SRM 2710a certificate (Montana I Soil)', 'information'),
    ('NIST SRM 2710a', 'Yb', 2, 'mg/kg', NULL, 'NIST SRM 2710a certificate (Montana I Soil)', 'information'),
    ('NIST SRM 2711a', 'Sm', 5.93, 'mg/kg', 0.28, 'NIST SRM 2711a certificate (Montana II Soil)', 'certified'),
    ('NIST SRM 2711a', 'La', 38, 'mg/kg', 1, 'NIST SRM 2711a certificate (Montana II Soil)', 'information'),
    ('NIST SRM 2711a', 'Nd', 29, 'mg/kg', 2, 'NIST SRM 2711a certificate (Montana II Soil)', 'information'),
    ('NIST SRM 2711a', 'Eu', 1.1, 'mg/kg', 0.2, 'NIST SRM 2711a certificate (Montana II Soil)', 'information'),
    ('NIST SRM 2711a', 'Ce', 70, 'mg/kg', NULL, 'NIST SRM 2711a certificate (Montana II Soil)', 'information');
