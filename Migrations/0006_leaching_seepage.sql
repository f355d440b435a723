-- Leaching and seepage experiments (issue 9): column / electrokinetic leaching runs with
-- their leachate time series, electric log, cathode recovery and residual soil sections;
-- falling-head permeability tests and pressure-plate soil-water characteristic curves.
-- Leachates are samples of type 'leachate' (parent = the column's soil sample), so
-- instrument results match them by code; their concentrations are `measurement` rows (mg/L).

-- A column leaching run, conventional or electrokinetic.
CREATE TABLE leaching_run (
    id                       INTEGER PRIMARY KEY,
    code                     TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    soil_sample_id           INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    method                   TEXT NOT NULL CHECK (method IN ('conventional', 'electrokinetic')),
    scale                    TEXT,                       -- 'lab column', 'pilot column', 'field' ...
    soil_mass_g              REAL NOT NULL CHECK (soil_mass_g > 0),
    column_diameter_cm       REAL CHECK (column_diameter_cm IS NULL OR column_diameter_cm > 0),
    column_height_cm         REAL CHECK (column_height_cm IS NULL OR column_height_cm > 0),
    bulk_density_g_cm3       REAL CHECK (bulk_density_g_cm3 IS NULL OR bulk_density_g_cm3 BETWEEN 0.2 AND 3.0),
    electrolyte              TEXT NOT NULL CHECK (length(trim(electrolyte)) > 0),
    electrolyte_percent      REAL CHECK (electrolyte_percent IS NULL OR electrolyte_percent BETWEEN 0 AND 100),
    electrolyte_volume_ml    REAL CHECK (electrolyte_volume_ml IS NULL OR electrolyte_volume_ml > 0),
    flow_rate_ml_min         REAL CHECK (flow_rate_ml_min IS NULL OR flow_rate_ml_min >= 0),
    voltage_gradient_v_cm    REAL CHECK (voltage_gradient_v_cm IS NULL OR voltage_gradient_v_cm >= 0),
    power_on_h               REAL CHECK (power_on_h IS NULL OR power_on_h > 0),
    power_off_h              REAL CHECK (power_off_h IS NULL OR power_off_h >= 0),
    t_ion_mg_kg              REAL CHECK (t_ion_mg_kg IS NULL OR t_ion_mg_kg > 0),
    reference_run_id         INTEGER REFERENCES leaching_run(id) ON DELETE RESTRICT,
    started_on               TEXT CHECK (started_on IS NULL OR started_on IS date(started_on)),
    notes                    TEXT,
    batch_id                 INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    -- A conventional run has no voltage; an electrokinetic one needs its gradient.
    CHECK (method <> 'conventional' OR coalesce(voltage_gradient_v_cm, 0) = 0),
    CHECK (method <> 'electrokinetic' OR coalesce(voltage_gradient_v_cm, 0) > 0),
    CHECK (reference_run_id IS NULL OR reference_run_id <> id)
) STRICT;
CREATE INDEX leaching_run_soil ON leaching_run(soil_sample_id);

-- One leachate collection: when (h since start), how much (mL, collected since the previous
-- collection at this position), where, and the leachate sample that carries the results.
CREATE TABLE leachate_sampling (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER NOT NULL REFERENCES leaching_run(id) ON DELETE RESTRICT,
    leachate_sample_id  INTEGER NOT NULL UNIQUE REFERENCES sample(id) ON DELETE RESTRICT,
    time_h              REAL NOT NULL CHECK (time_h >= 0),
    volume_ml           REAL NOT NULL CHECK (volume_ml >= 0),
    position            TEXT NOT NULL DEFAULT 'outlet' CHECK (length(trim(position)) > 0),
    batch_id            INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    UNIQUE (run_id, position, time_h)
) STRICT;
CREATE INDEX leachate_sampling_run ON leachate_sampling(run_id, time_h);

-- Voltage and current logged during an electrokinetic run (power off = 0 A).
CREATE TABLE leaching_electric_reading (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES leaching_run(id) ON DELETE RESTRICT,
    time_h     REAL NOT NULL CHECK (time_h >= 0),
    voltage_v  REAL NOT NULL CHECK (voltage_v >= 0),
    current_ma REAL NOT NULL CHECK (current_ma >= 0),
    batch_id   INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    UNIQUE (run_id, time_h)
) STRICT;

-- REEs (or impurities) recovered from the cathode at the end of an electrokinetic run (mg).
CREATE TABLE leaching_cathode_recovery (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES leaching_run(id) ON DELETE RESTRICT,
    element    TEXT NOT NULL CHECK (length(trim(element)) > 0),
    amount_mg  REAL NOT NULL CHECK (amount_mg >= 0),
    batch_id   INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    UNIQUE (run_id, element)
) STRICT;

-- Soil of the column before and after leaching, per section (anode → cathode, top → bottom),
-- for the removal efficiency per position.
CREATE TABLE leaching_residual (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES leaching_run(id) ON DELETE RESTRICT,
    position        TEXT NOT NULL CHECK (length(trim(position)) > 0),
    distance_cm     REAL CHECK (distance_cm IS NULL OR distance_cm >= 0),
    element         TEXT NOT NULL CHECK (length(trim(element)) > 0),
    c_initial_mg_kg REAL NOT NULL CHECK (c_initial_mg_kg > 0),
    c_final_mg_kg   REAL NOT NULL CHECK (c_final_mg_kg >= 0),
    batch_id        INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    UNIQUE (run_id, position, element)
) STRICT;

-- A variable-head (falling-head) permeability test on an ore or tailings specimen.
CREATE TABLE seepage_test (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    sample_id            INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    material             TEXT,                          -- 'ore', 'tailings'
    solution             TEXT NOT NULL CHECK (length(trim(solution)) > 0),  -- 'water', '(NH4)2SO4', 'MgSO4'
    concentration_percent REAL NOT NULL DEFAULT 0 CHECK (concentration_percent BETWEEN 0 AND 100),
    path                 TEXT,                          -- leaching path, e.g. '3%->1%'
    specimen_length_cm   REAL NOT NULL CHECK (specimen_length_cm > 0),
    specimen_area_cm2    REAL NOT NULL CHECK (specimen_area_cm2 > 0),
    standpipe_area_cm2   REAL NOT NULL CHECK (standpipe_area_cm2 > 0),
    dry_density_g_cm3    REAL CHECK (dry_density_g_cm3 IS NULL OR dry_density_g_cm3 BETWEEN 0.2 AND 3.0),
    tested_on            TEXT CHECK (tested_on IS NULL OR tested_on IS date(tested_on)),
    notes                TEXT,
    batch_id             INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    CHECK (solution <> 'water' OR concentration_percent = 0)
) STRICT;
CREATE INDEX seepage_test_sample ON seepage_test(sample_id);

-- One falling-head reading: the head fell from h1 to h2 (cm) in dt (s) at a temperature.
CREATE TABLE seepage_head_reading (
    id             INTEGER PRIMARY KEY,
    test_id        INTEGER NOT NULL REFERENCES seepage_test(id) ON DELETE RESTRICT,
    reading_no     INTEGER NOT NULL CHECK (reading_no >= 1),
    h1_cm          REAL NOT NULL CHECK (h1_cm > 0),
    h2_cm          REAL NOT NULL CHECK (h2_cm > 0),
    dt_s           REAL NOT NULL CHECK (dt_s > 0),
    temperature_c  REAL CHECK (temperature_c IS NULL OR temperature_c BETWEEN 0 AND 60),
    batch_id       INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    CHECK (h2_cm < h1_cm),
    UNIQUE (test_id, reading_no)
) STRICT;

-- A pressure-plate soil-water characteristic curve test, optionally tied to the
-- permeability test whose k_s gives the unsaturated permeability.
CREATE TABLE swcc_test (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE CHECK (length(trim(code)) > 0),
    sample_id             INTEGER NOT NULL REFERENCES sample(id) ON DELETE RESTRICT,
    seepage_test_id       INTEGER REFERENCES seepage_test(id) ON DELETE RESTRICT,
    solution              TEXT,
    concentration_percent REAL CHECK (concentration_percent IS NULL OR concentration_percent BETWEEN 0 AND 100),
    path                  TEXT,
    dry_density_g_cm3     REAL CHECK (dry_density_g_cm3 IS NULL OR dry_density_g_cm3 BETWEEN 0.2 AND 3.0),
    batch_id              INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT
) STRICT;

-- One equilibrium step: matric suction (kPa) and the mass water content reached (g/g).
CREATE TABLE swcc_step (
    id                 INTEGER PRIMARY KEY,
    swcc_test_id       INTEGER NOT NULL REFERENCES swcc_test(id) ON DELETE RESTRICT,
    suction_kpa        REAL NOT NULL CHECK (suction_kpa >= 0 AND suction_kpa <= 1000000),
    water_content      REAL NOT NULL CHECK (water_content >= 0 AND water_content <= 5),
    dry_density_g_cm3  REAL CHECK (dry_density_g_cm3 IS NULL OR dry_density_g_cm3 BETWEEN 0.2 AND 3.0),
    batch_id           INTEGER REFERENCES import_batch(id) ON DELETE RESTRICT,
    UNIQUE (swcc_test_id, suction_kpa)
) STRICT;
