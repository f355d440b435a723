-- Tailings LIMS: the lab's full schema (DESIGN.md section 2).
-- Conventions: STRICT tables; dates are ISO-8601 text (YYYY-MM-DD) checked with date();
-- timestamps are ISO-8601 UTC text; masses in g, depths in cm, concentrations in the
-- canonical unit of their matrix (mg/kg solid, mg/L solution) with the original kept.

-- Where the study is done (e.g. the Dingnan demonstration site).
CREATE TABLE site (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name        TEXT,
    county      TEXT,
    province    TEXT,
    country     TEXT,
    latitude    REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude   REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    description TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- A reclamation treatment (control, amendment + plant).
CREATE TABLE treatment (
    id                    INTEGER PRIMARY KEY,
    site_id               INTEGER NOT NULL REFERENCES site(id) ON DELETE RESTRICT,
    code                  TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name                  TEXT,
    amendment             TEXT,
    amendment_rate_kg_m2  REAL CHECK (amendment_rate_kg_m2 IS NULL OR amendment_rate_kg_m2 >= 0),
    amended_on            TEXT CHECK (amended_on IS NULL OR amended_on IS date(amended_on)),
    plant                 TEXT,
    planted_on            TEXT CHECK (planted_on IS NULL OR planted_on IS date(planted_on)),
    description           TEXT,
    created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX treatment_site ON treatment(site_id);

-- A field plot (2 x 2 m experimental plot, or a pit in a large field).
CREATE TABLE plot (
    id            INTEGER PRIMARY KEY,
    treatment_id  INTEGER NOT NULL REFERENCES treatment(id) ON DELETE RESTRICT,
    code          TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    replicate     INTEGER CHECK (replicate IS NULL OR replicate >= 1),
    area_m2       REAL CHECK (area_m2 IS NULL OR area_m2 > 0),
    latitude      REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude     REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    description   TEXT,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX plot_treatment ON plot(treatment_id);

-- Vocabulary of sample types; a lab may add its own rows.
CREATE TABLE sample_type (
    code        TEXT PRIMARY KEY,
    description TEXT NOT NULL
) STRICT;
INSERT INTO sample_type (code, description) VALUES
    ('bulk',          'bulk composite sample (e.g. surface 0-10 cm)'),
    ('block',         'undisturbed block in a Kubiena box'),
    ('pit_layer',     'layer of a soil pit profile'),
    ('subsample',     'aliquot or sub-sample of another sample (e.g. ground < 150 um)'),
    ('size_fraction', 'particle-size fraction from wet sieving'),
    ('extract',       'solution from an extraction (e.g. 1 mM CaCl2)'),
    ('leachate',      'leachate collected from a column or field experiment'),
    ('solution',      'other solution (digest, fusion solution)'),
    ('other',         'anything else; say what in the description');

-- A physical sample. Field samples belong to a plot; sub-samples, fractions and
-- extracts point to their parent (lineage) and usually carry the plot too.
CREATE TABLE sample (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    plot_id          INTEGER REFERENCES plot(id) ON DELETE RESTRICT,
    parent_id        INTEGER REFERENCES sample(id) ON DELETE RESTRICT,
    type             TEXT NOT NULL REFERENCES sample_type(code),
    depth_top_cm     REAL CHECK (depth_top_cm IS NULL OR depth_top_cm >= 0),
    depth_bottom_cm  REAL CHECK (depth_bottom_cm IS NULL OR depth_bottom_cm >= 0),
    collected_on     TEXT CHECK (collected_on IS NULL OR collected_on IS date(collected_on)),
    mass_g           REAL CHECK (mass_g IS NULL OR mass_g >= 0),
    description      TEXT,
    retired_at       TEXT,
    retired_reason   TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (depth_top_cm IS NULL OR depth_bottom_cm IS NULL OR depth_bottom_cm > depth_top_cm),
    CHECK (plot_id IS NOT NULL OR parent_id IS NOT NULL),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK ((retired_at IS NULL) = (retired_reason IS NULL))
) STRICT;
CREATE INDEX sample_plot ON sample(plot_id);
CREATE INDEX sample_parent ON sample(parent_id);
CREATE INDEX sample_type_idx ON sample(type);

-- Preparation steps in order (air-dried, sieved < 2 mm, ground < 150 um ...).
CREATE TABLE preparation_step (
    id            INTEGER PRIMARY KEY,
    sample_id     INTEGER NOT NULL REFERENCES sample(id) ON DELETE CASCADE,
    step_no       INTEGER NOT NULL CHECK (step_no >= 1),
    action        TEXT NOT NULL CHECK (length(trim(action)) > 0),
    performed_on  TEXT CHECK (performed_on IS NULL OR performed_on IS date(performed_on)),
    operator      TEXT,
    notes         TEXT,
    UNIQUE (sample_id, step_no)
) STRICT;

-- Size fractions by wet sieving: one row per class and replicate of a parent sample.
-- The fraction itself may be registered as a sample (fraction_sample_id) to carry results.
CREATE TABLE size_fraction (
    id                  INTEGER PRIMARY KEY,
    parent_sample_id    INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    fraction_sample_id  INTEGER UNIQUE REFERENCES sample(id) ON DELETE RESTRICT,
    class_label         TEXT NOT NULL CHECK (length(trim(class_label)) > 0),
    lower_um            REAL CHECK (lower_um IS NULL OR lower_um >= 0),
    upper_um            REAL CHECK (upper_um IS NULL OR upper_um > 0),
    replicate           INTEGER NOT NULL DEFAULT 1 CHECK (replicate >= 1),
    mass_g              REAL NOT NULL CHECK (mass_g >= 0),
    mass_percent        REAL CHECK (mass_percent IS NULL OR mass_percent BETWEEN 0 AND 100),
    method              TEXT,
    notes               TEXT,
    CHECK (lower_um IS NULL OR upper_um IS NULL OR upper_um > lower_um),
    UNIQUE (parent_sample_id, class_label, replicate)
) STRICT;
CREATE INDEX size_fraction_parent ON size_fraction(parent_sample_id);

-- 1 mM CaCl2 extraction: soil sample in, extract (a sample of type 'extract') out.
CREATE TABLE cacl2_extraction (
    id                  INTEGER PRIMARY KEY,
    sample_id           INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    extract_sample_id   INTEGER NOT NULL UNIQUE REFERENCES sample(id) ON DELETE RESTRICT,
    soil_mass_g         REAL NOT NULL CHECK (soil_mass_g > 0),
    solution_mass_g     REAL CHECK (solution_mass_g IS NULL OR solution_mass_g > 0),
    solution_volume_ml  REAL CHECK (solution_volume_ml IS NULL OR solution_volume_ml > 0),
    cacl2_mmol_l        REAL NOT NULL DEFAULT 1 CHECK (cacl2_mmol_l > 0),
    ratio               TEXT,
    contact_time_h      REAL CHECK (contact_time_h IS NULL OR contact_time_h > 0),
    extracted_on        TEXT CHECK (extracted_on IS NULL OR extracted_on IS date(extracted_on)),
    filter_um           REAL CHECK (filter_um IS NULL OR filter_um > 0),
    notes               TEXT,
    CHECK (solution_mass_g IS NOT NULL OR solution_volume_ml IS NOT NULL),
    CHECK (sample_id <> extract_sample_id)
) STRICT;
CREATE INDEX cacl2_extraction_sample ON cacl2_extraction(sample_id);

-- One imported file (instrument export or lab sheet). Every imported value points here.
CREATE TABLE import_batch (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL,              -- 'results' or a sheet kind ('samples', 'extractions' ...)
    file_name         TEXT NOT NULL,
    file_path         TEXT,
    sha256            TEXT NOT NULL CHECK (length(sha256) = 64),
    file_size         INTEGER NOT NULL CHECK (file_size >= 0),
    format            TEXT NOT NULL,
    instrument        TEXT,
    method            TEXT,
    matrix            TEXT CHECK (matrix IS NULL OR matrix IN ('solid', 'solution')),
    operator          TEXT NOT NULL,
    imported_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    options           TEXT CHECK (options IS NULL OR json_valid(options)),
    row_count         INTEGER NOT NULL DEFAULT 0 CHECK (row_count >= 0),
    value_count       INTEGER NOT NULL DEFAULT 0 CHECK (value_count >= 0),
    sample_count      INTEGER NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
    qc_count          INTEGER NOT NULL DEFAULT 0 CHECK (qc_count >= 0),
    censored_count    INTEGER NOT NULL DEFAULT 0 CHECK (censored_count >= 0),
    unmatched_count   INTEGER NOT NULL DEFAULT 0 CHECK (unmatched_count >= 0),
    warnings          TEXT CHECK (warnings IS NULL OR json_valid(warnings)),
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'replaced')),
    replaces_batch_id INTEGER REFERENCES import_batch(id)
) STRICT;
-- The same file (by content) is imported once unless it is explicitly replaced.
CREATE UNIQUE INDEX import_batch_active_file ON import_batch(kind, sha256) WHERE status = 'active';

-- One value measured on a sample (or on an unmatched name kept with --allow-unmatched).
-- qualifier: '=' as measured, '<' below detection, '>' over range,
--            'nd' not detected, 'nm' not measured, 'na' not available (N/A, failed).
CREATE TABLE measurement (
    id               INTEGER PRIMARY KEY,
    sample_id        INTEGER REFERENCES sample(id) ON DELETE RESTRICT,
    unmatched_name   TEXT,
    batch_id         INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    analyte          TEXT NOT NULL CHECK (length(trim(analyte)) > 0),
    isotope          INTEGER CHECK (isotope IS NULL OR isotope > 0),
    wavelength_nm    REAL CHECK (wavelength_nm IS NULL OR wavelength_nm > 0),
    mode             TEXT,
    source_label     TEXT,
    value            REAL,
    raw_text         TEXT NOT NULL,
    unit             TEXT,
    original_value   REAL,
    original_unit    TEXT,
    qualifier        TEXT NOT NULL DEFAULT '=' CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na')),
    detection_limit  REAL CHECK (detection_limit IS NULL OR detection_limit >= 0),
    method           TEXT,
    matrix           TEXT CHECK (matrix IS NULL OR matrix IN ('solid', 'solution')),
    dilution_factor  REAL CHECK (dilution_factor IS NULL OR dilution_factor > 0),
    flags            TEXT,
    measured_at      TEXT,
    source_row       INTEGER,
    source_column    INTEGER,
    status           TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'superseded', 'retired')),
    superseded_by    INTEGER REFERENCES measurement(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (sample_id IS NOT NULL OR unmatched_name IS NOT NULL),
    CHECK (qualifier <> '=' OR value IS NOT NULL),
    CHECK (status <> 'superseded' OR superseded_by IS NOT NULL)
) STRICT;
CREATE INDEX measurement_sample_analyte ON measurement(sample_id, analyte);
CREATE INDEX measurement_analyte ON measurement(analyte, sample_id);
CREATE INDEX measurement_batch ON measurement(batch_id);

-- Rows of an instrument run that are not samples: blanks, standards, CCV, CRMs, duplicates, DNU.
CREATE TABLE qc_sample (
    id            INTEGER PRIMARY KEY,
    batch_id      INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    label         TEXT NOT NULL,
    qc_type       TEXT NOT NULL CHECK (qc_type IN ('cal_blank', 'cal_std', 'blank', 'ccv', 'ccb',
                                                  'crm', 'duplicate', 'spike', 'dnu', 'other')),
    crm_name      TEXT,
    duplicate_of  TEXT,
    position      INTEGER,
    measured_at   TEXT
) STRICT;
CREATE INDEX qc_sample_batch ON qc_sample(batch_id);

CREATE TABLE qc_measurement (
    id               INTEGER PRIMARY KEY,
    qc_sample_id     INTEGER NOT NULL REFERENCES qc_sample(id) ON DELETE CASCADE,
    analyte          TEXT NOT NULL,
    isotope          INTEGER,
    wavelength_nm    REAL,
    mode             TEXT,
    source_label     TEXT,
    value            REAL,
    raw_text         TEXT NOT NULL,
    unit             TEXT,
    original_value   REAL,
    original_unit    TEXT,
    qualifier        TEXT NOT NULL DEFAULT '=' CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na')),
    detection_limit  REAL CHECK (detection_limit IS NULL OR detection_limit >= 0),
    source_row       INTEGER,
    source_column    INTEGER
) STRICT;
CREATE INDEX qc_measurement_sample ON qc_measurement(qc_sample_id);

-- Certified values of reference materials (OREAS ...), for CRM recovery.
CREATE TABLE crm_certified_value (
    id           INTEGER PRIMARY KEY,
    crm_name     TEXT NOT NULL,
    analyte      TEXT NOT NULL,
    value        REAL NOT NULL CHECK (value > 0),
    unit         TEXT NOT NULL,
    uncertainty  REAL CHECK (uncertainty IS NULL OR uncertainty >= 0),
    citation     TEXT,
    UNIQUE (crm_name, analyte)
) STRICT;

-- Soil properties: pH (water 1:2.5), CEC and exchangeable cations (cmol+/kg), C, N (%).
CREATE TABLE soil_property (
    id               INTEGER PRIMARY KEY,
    sample_id        INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    batch_id         INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    property         TEXT NOT NULL CHECK (length(trim(property)) > 0),
    value            REAL,
    raw_text         TEXT NOT NULL,
    unit             TEXT NOT NULL,
    original_unit    TEXT,
    qualifier        TEXT NOT NULL DEFAULT '=' CHECK (qualifier IN ('=', '<', '>', 'nd', 'nm', 'na')),
    detection_limit  REAL CHECK (detection_limit IS NULL OR detection_limit >= 0),
    method           TEXT,
    measured_on      TEXT CHECK (measured_on IS NULL OR measured_on IS date(measured_on)),
    status           TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'superseded', 'retired')),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (qualifier <> '=' OR value IS NOT NULL),
    CHECK (NOT (property LIKE 'pH%' AND value IS NOT NULL) OR value BETWEEN 0 AND 14),
    CHECK (NOT (unit = '%' AND value IS NOT NULL) OR value BETWEEN 0 AND 100)
) STRICT;
CREATE INDEX soil_property_sample ON soil_property(sample_id, property);
CREATE INDEX soil_property_property ON soil_property(property);

-- Thin sections (30 um) cut from undisturbed blocks.
CREATE TABLE thin_section (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    sample_id     INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    thickness_um  REAL CHECK (thickness_um IS NULL OR thickness_um > 0),
    width_mm      REAL CHECK (width_mm IS NULL OR width_mm > 0),
    length_mm     REAL CHECK (length_mm IS NULL OR length_mm > 0),
    prepared_on   TEXT CHECK (prepared_on IS NULL OR prepared_on IS date(prepared_on)),
    notes         TEXT
) STRICT;
CREATE INDEX thin_section_sample ON thin_section(sample_id);

-- Synchrotron micro-XRF maps of a thin section.
CREATE TABLE xrf_map (
    id               INTEGER PRIMARY KEY,
    thin_section_id  INTEGER NOT NULL REFERENCES thin_section(id) ON DELETE RESTRICT,
    label            TEXT NOT NULL CHECK (length(trim(label)) > 0),
    facility         TEXT,
    beamline         TEXT,
    energy_ev        REAL CHECK (energy_ev IS NULL OR energy_ev > 0),
    beam_x_um        REAL CHECK (beam_x_um IS NULL OR beam_x_um > 0),
    beam_y_um        REAL CHECK (beam_y_um IS NULL OR beam_y_um > 0),
    pixel_um         REAL CHECK (pixel_um IS NULL OR pixel_um > 0),
    dwell_ms         REAL CHECK (dwell_ms IS NULL OR dwell_ms > 0),
    width_px         INTEGER CHECK (width_px IS NULL OR width_px > 0),
    height_px        INTEGER CHECK (height_px IS NULL OR height_px > 0),
    acquired_on      TEXT CHECK (acquired_on IS NULL OR acquired_on IS date(acquired_on)),
    file_name        TEXT,
    notes            TEXT,
    UNIQUE (thin_section_id, label)
) STRICT;

-- Points of interest on a map, with the phase they sit in.
CREATE TABLE poi (
    id          INTEGER PRIMARY KEY,
    xrf_map_id  INTEGER NOT NULL REFERENCES xrf_map(id) ON DELETE RESTRICT,
    label       TEXT NOT NULL CHECK (length(trim(label)) > 0),
    x_um        REAL,
    y_um        REAL,
    phase       TEXT,
    notes       TEXT,
    UNIQUE (xrf_map_id, label)
) STRICT;

-- XANES measured at a POI (La/Ce/Nd L3, Fe K) and the Ce oxidation state found.
CREATE TABLE xanes_result (
    id               INTEGER PRIMARY KEY,
    poi_id           INTEGER NOT NULL REFERENCES poi(id) ON DELETE RESTRICT,
    edge             TEXT NOT NULL CHECK (length(trim(edge)) > 0),
    oxidation_state  TEXT CHECK (oxidation_state IS NULL OR oxidation_state IN ('Ce(III)', 'Ce(IV)', 'mixed')),
    ce4_fraction     REAL CHECK (ce4_fraction IS NULL OR ce4_fraction BETWEEN 0 AND 1),
    e0_ev            REAL CHECK (e0_ev IS NULL OR e0_ev > 0),
    notes            TEXT,
    UNIQUE (poi_id, edge)
) STRICT;

-- Linear-combination fit of a XANES spectrum (e.g. Fe K: goethite + ferrihydrite).
CREATE TABLE lcf_fit (
    id            INTEGER PRIMARY KEY,
    poi_id        INTEGER NOT NULL REFERENCES poi(id) ON DELETE RESTRICT,
    edge          TEXT NOT NULL,
    r_factor      REAL CHECK (r_factor IS NULL OR r_factor >= 0),
    chi_square    REAL CHECK (chi_square IS NULL OR chi_square >= 0),
    range_low_ev  REAL,
    range_high_ev REAL,
    notes         TEXT,
    CHECK (range_low_ev IS NULL OR range_high_ev IS NULL OR range_high_ev > range_low_ev),
    UNIQUE (poi_id, edge)
) STRICT;

CREATE TABLE lcf_component (
    id           INTEGER PRIMARY KEY,
    lcf_fit_id   INTEGER NOT NULL REFERENCES lcf_fit(id) ON DELETE CASCADE,
    phase        TEXT NOT NULL CHECK (length(trim(phase)) > 0),
    fraction     REAL NOT NULL CHECK (fraction BETWEEN 0 AND 1),
    uncertainty  REAL CHECK (uncertainty IS NULL OR uncertainty >= 0),
    UNIQUE (lcf_fit_id, phase)
) STRICT;

-- Element correlations over a whole map (e.g. La-Nd R2 0.85).
CREATE TABLE map_correlation (
    id          INTEGER PRIMARY KEY,
    xrf_map_id  INTEGER NOT NULL REFERENCES xrf_map(id) ON DELETE RESTRICT,
    element_a   TEXT NOT NULL,
    element_b   TEXT NOT NULL,
    r_squared   REAL NOT NULL CHECK (r_squared BETWEEN 0 AND 1),
    n_pixels    INTEGER CHECK (n_pixels IS NULL OR n_pixels > 0),
    notes       TEXT,
    CHECK (element_a <> element_b),
    UNIQUE (xrf_map_id, element_a, element_b)
) STRICT;

-- Reference compositions for normalization (UCC, CI chondrite, PAAS ...).
CREATE TABLE reference_composition (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    name      TEXT NOT NULL,
    citation  TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX reference_composition_one_default ON reference_composition(is_default) WHERE is_default = 1;

CREATE TABLE reference_value (
    reference_id  INTEGER NOT NULL REFERENCES reference_composition(id) ON DELETE CASCADE,
    element       TEXT NOT NULL,
    value         REAL NOT NULL CHECK (value > 0),
    unit          TEXT NOT NULL CHECK (unit = 'mg/kg'),
    PRIMARY KEY (reference_id, element)
) STRICT;

INSERT INTO reference_composition (id, code, name, citation, is_default) VALUES
    (1, 'UCC-TM1995', 'Upper continental crust (Taylor & McLennan 1995)',
     'Taylor S.R., McLennan S.M. (1995) The geochemical evolution of the continental crust. Rev. Geophys. 33:241-265, Table 3 (REE+Y identical to Taylor & McLennan 1985 and McLennan 2001)', 1),
    (2, 'CI-MS1995', 'CI chondrite (McDonough & Sun 1995)',
     'McDonough W.F., Sun S.-s. (1995) The composition of the Earth. Chem. Geol. 120:223-253 (CI chondrite)', 0),
    (3, 'PAAS-TM1985', 'Post-Archean Australian shale (Taylor & McLennan 1985)',
     'Taylor S.R., McLennan S.M. (1985) The Continental Crust: its Composition and Evolution. Blackwell (post-Archean Australian shale; as tabulated with McLennan 2001)', 0);

INSERT INTO reference_value (reference_id, element, value, unit) VALUES
    (1,'La',30,'mg/kg'),(1,'Ce',64,'mg/kg'),(1,'Pr',7.1,'mg/kg'),(1,'Nd',26,'mg/kg'),(1,'Sm',4.5,'mg/kg'),
    (1,'Eu',0.88,'mg/kg'),(1,'Gd',3.8,'mg/kg'),(1,'Tb',0.64,'mg/kg'),(1,'Dy',3.5,'mg/kg'),(1,'Ho',0.80,'mg/kg'),
    (1,'Er',2.3,'mg/kg'),(1,'Tm',0.33,'mg/kg'),(1,'Yb',2.2,'mg/kg'),(1,'Lu',0.32,'mg/kg'),(1,'Y',22,'mg/kg'),
    (2,'La',0.237,'mg/kg'),(2,'Ce',0.613,'mg/kg'),(2,'Pr',0.0928,'mg/kg'),(2,'Nd',0.457,'mg/kg'),(2,'Sm',0.148,'mg/kg'),
    (2,'Eu',0.0563,'mg/kg'),(2,'Gd',0.199,'mg/kg'),(2,'Tb',0.0361,'mg/kg'),(2,'Dy',0.246,'mg/kg'),(2,'Ho',0.0546,'mg/kg'),
    (2,'Er',0.160,'mg/kg'),(2,'Tm',0.0247,'mg/kg'),(2,'Yb',0.161,'mg/kg'),(2,'Lu',0.0246,'mg/kg'),(2,'Y',1.57,'mg/kg'),
    (3,'La',38.2,'mg/kg'),(3,'Ce',80,'mg/kg'),(3,'Pr',8.9,'mg/kg'),(3,'Nd',32,'mg/kg'),(3,'Sm',5.6,'mg/kg'),
    (3,'Eu',1.1,'mg/kg'),(3,'Gd',4.7,'mg/kg'),(3,'Tb',0.77,'mg/kg'),(3,'Dy',4.4,'mg/kg'),(3,'Ho',1.0,'mg/kg'),
    (3,'Er',2.9,'mg/kg'),(3,'Tm',0.40,'mg/kg'),(3,'Yb',2.8,'mg/kg'),(3,'Lu',0.43,'mg/kg'),(3,'Y',27,'mg/kg');

-- Who changed what, when and why. Append-only: updates and deletes are refused.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    operator    TEXT NOT NULL,
    action      TEXT NOT NULL,         -- 'insert', 'update', 'retire', 'import', 'replace', 'correct' ...
    table_name  TEXT NOT NULL,
    record_id   INTEGER,
    sample_id   INTEGER,               -- for a sample's history; no FK so history outlives records
    batch_id    INTEGER,
    summary     TEXT NOT NULL,
    old_value   TEXT CHECK (old_value IS NULL OR json_valid(old_value)),
    new_value   TEXT CHECK (new_value IS NULL OR json_valid(new_value)),
    reason      TEXT
) STRICT;
CREATE INDEX audit_log_sample ON audit_log(sample_id, at);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
END;
