-- Internal-standard readings of an instrument run (ICP-OES/MS): the recovery (%) or intensity of
-- the internal standard (Sc, Y, In, Rh …) measured in each solution. They are QC data of the run,
-- never concentrations of the sample: Qtegra `Sc 361.384 … Y (%)` columns, WinLab32 lines named
-- with --istd, MassHunter `( ISTD )` groups. Each reading points at the sample or QC row it was
-- measured with (or neither, for a name that matched no sample under --allow-unmatched).
CREATE TABLE internal_standard_reading (
    id              INTEGER PRIMARY KEY,
    batch_id        INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    sample_id       INTEGER REFERENCES sample(id) ON DELETE RESTRICT,
    qc_sample_id    INTEGER REFERENCES qc_sample(id) ON DELETE CASCADE,
    label           TEXT NOT NULL,
    analyte         TEXT NOT NULL CHECK (length(trim(analyte)) > 0),
    isotope         INTEGER CHECK (isotope IS NULL OR isotope > 0),
    wavelength_nm   REAL CHECK (wavelength_nm IS NULL OR wavelength_nm > 0),
    mode            TEXT,
    source_label    TEXT,
    quantity        TEXT NOT NULL CHECK (quantity IN ('recovery', 'intensity', 'concentration')),
    value           REAL,
    raw_text        TEXT NOT NULL,
    unit            TEXT,
    qualifier       TEXT NOT NULL DEFAULT '=' CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na')),
    source_row      INTEGER,
    source_column   INTEGER,
    CHECK (sample_id IS NULL OR qc_sample_id IS NULL)
) STRICT;
CREATE INDEX internal_standard_reading_batch ON internal_standard_reading(batch_id);
