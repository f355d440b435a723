#!/usr/bin/env python3
"""Writes the demo study of Tailings LIMS and its independent expected numbers.

ALL VALUES ARE INVENTED. They are plausible for heap-leached ion-adsorption REE
tailings (Dingnan county, Jiangxi) and follow the ranges of the published study
the design brief describes, but no value is a measurement.

Two halves, kept apart on purpose:
  1. generate: a seeded model of the study -> lab sheets (BRIEF templates),
     two Agilent MassHunter batch tables, one long results sheet.
  2. verify: re-reads ONLY the written files (own parsers, no shared state),
     computes the key numbers (DESIGN.md section 4) into
     expected_key_numbers.json and asserts every range the issue asks for.

Run:  python3 make_demo_study.py            (writes next to this script)
      python3 make_demo_study.py --check    (re-reads and verifies only)
Needs python3 with scipy (Kruskal-Wallis). Output is byte-identical run to run.
"""

import csv
import io
import json
import math
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20190314

REE = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
LREE = REE[:6]   # La..Eu
HREE = REE[6:]   # Gd..Lu
REY = REE + ["Y"]
# Upper continental crust, Taylor & McLennan (1995) Rev. Geophys. 33:241-265, Table 3
# (= shared/reference/compositions.csv, UCC-TM1995), mg/kg.
UCC = {"La": 30, "Ce": 64, "Pr": 7.1, "Nd": 26, "Sm": 4.5, "Eu": 0.88, "Gd": 3.8,
       "Tb": 0.64, "Dy": 3.5, "Ho": 0.80, "Er": 2.3, "Tm": 0.33, "Yb": 2.2, "Lu": 0.32,
       "Y": 22}
# Isotopes measured (no interferences of note in No Gas mode for these).
ISOTOPE = {"Y": 89, "La": 139, "Ce": 140, "Pr": 141, "Nd": 146, "Sm": 147, "Eu": 153,
           "Gd": 157, "Tb": 159, "Dy": 163, "Ho": 165, "Er": 166, "Tm": 169, "Yb": 172,
           "Lu": 175}
MH_ANALYTES = sorted(REY, key=lambda e: ISOTOPE[e])  # MassHunter lists by mass
ISTDS = [("115  In ( ISTD )  [ No Gas ] ", 271000.0), ("185  Re ( ISTD )  [ No Gas ] ", 183000.0)]

TREATMENTS = ["control", "miscanthus", "ramie"]
PREFIX = {"control": "C", "miscanthus": "M", "ramie": "R"}
FRACTION_CLASSES = [  # label, lower_um, upper_um, short code used in fraction sample codes
    ("250-2000 um", 250, 2000, "250-2000"),
    ("50-250 um", 50, 250, "50-250"),
    ("<50 um", 0, 50, "0-50"),
]
SOLUTION_DL_MG_L = 0.001   # ICP-MS solution DL of the study (DESIGN.md section 2)

FILES = {
    "sites": "sites.csv", "treatments": "treatments.csv", "plots": "plots.csv",
    "samples": "samples.csv", "fractions": "fractions.csv", "extractions": "extractions.csv",
    "properties": "properties.csv", "thin-sections": "thin-sections.csv",
    "xrf-maps": "xrf-maps.csv", "pois": "pois.csv", "xanes": "xanes.csv", "lcf": "lcf.csv",
    "correlations": "correlations.csv",
    "totals": "icpms_totals_masshunter.csv",
    "extracts": "icpms_cacl2_extracts_masshunter.csv",
    "majors": "xrf_majors_long.csv",
    "expected": "expected_key_numbers.json",
}


def path(name):
    return os.path.join(HERE, FILES[name])


# ----------------------------------------------------------------------------------------
# 1. Generate
# ----------------------------------------------------------------------------------------

def excel_general(x):
    """A number as MassHunter/Excel 'General' writes it: at most 11 characters,
    E notation below 1e-4 (e.g. 2.01922E-05), trailing zeros dropped."""
    if x == 0:
        return "0"
    if abs(x) < 1e-4:
        mantissa, exponent = f"{x:.5E}".split("E")
        mantissa = mantissa.rstrip("0").rstrip(".")
        sign = exponent[0]
        digits = exponent[1:].lstrip("0").rjust(2, "0")
        return f"{mantissa}E{sign}{digits}"
    int_len = len(str(int(abs(x)))) + (1 if x < 0 else 0)
    decimals = max(0, 10 - int_len)
    text = f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def r2(x, nd=2):
    return f"{x:.{nd}f}"


def write_csv(name, header, rows, delimiter=","):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    with open(path(name), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


class Study:
    """The invented 'truth' of the study, built from one seeded generator."""

    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)
        self.plots = []          # (treatment, plot code, replicate)
        self.bulk = {}           # sample code -> {"treatment", "plot", "mass_g"}
        self.totals = {}         # sample code -> {element: mg/kg}
        self.extract_ppb = {}    # extract code -> {element: ug/L}
        self.extractions = []    # rows of extractions.csv
        self.fraction_rows = []  # rows of fractions.csv
        self.build()

    def jitter(self, sigma):
        return math.exp(self.rng.gauss(0.0, sigma))

    # An HREE-rich UCC-normalized pattern (LREE/HREE_N ~ 0.4), Eu strongly depleted:
    # residual ion-adsorption clay after (NH4)2SO4 heap leaching. Ce and Eu are then set
    # from the target anomalies.
    BASE_N = {"La": 4.0, "Pr": 4.3, "Nd": 4.4, "Sm": 5.0, "Gd": 6.0, "Tb": 6.9, "Dy": 7.4,
              "Ho": 7.6, "Er": 7.5, "Tm": 7.4, "Yb": 7.1, "Lu": 7.0, "Y": 8.6}

    def pattern(self, sum_ree, ce_star, eu_star):
        n = {el: v * self.jitter(0.05) for el, v in self.BASE_N.items()}
        n["Ce"] = ce_star * (n["La"] + n["Pr"]) / 2
        n["Eu"] = eu_star * (n["Sm"] + n["Gd"]) / 2
        conc = {el: n[el] * UCC[el] for el in REY}
        scale = sum_ree / sum(conc[el] for el in REE)
        return {el: conc[el] * scale for el in REY}

    def build(self):
        rng = self.rng
        # Targets per plot: sum REE (mg/kg), Ce*, Eu*.
        targets = {
            "control": [(rng.uniform(620, 900), rng.uniform(1.2, 1.45)) for _ in range(5)],
            "miscanthus": [(rng.uniform(430, 700), rng.uniform(1.0, 1.2)) for _ in range(5)],
            # ramie: very uneven tailings under the crop -> high spread, some Ce* < 1
            "ramie": list(zip([275.0, 480.0, 760.0, 1120.0, 1560.0],
                              [0.78, 1.12, 0.92, 1.05, 0.86])),
        }
        rng.shuffle(targets["ramie"])
        targets["ramie"] = [(s * rng.uniform(0.97, 1.03), c * rng.uniform(0.98, 1.02))
                            for s, c in targets["ramie"]]
        for t in TREATMENTS:
            for i, (sum_ree, ce_star) in enumerate(targets[t], start=1):
                plot = f"{PREFIX[t]}{i}"
                code = f"{plot}-0010"
                self.plots.append((t, plot, i))
                self.bulk[code] = {"treatment": t, "plot": plot,
                                   "mass_g": round(rng.uniform(350, 950), 1)}
                self.totals[code] = self.pattern(sum_ree, ce_star, rng.uniform(0.36, 0.62))

        # Control composite: equal masses of C1..C5 (< 2 mm), analysed like a bulk sample.
        mean_control = {el: statistics.mean(self.totals[f"C{i}-0010"][el] for i in range(1, 6))
                        for el in REY}
        self.totals["C-COMP"] = {el: v * self.jitter(0.02) for el, v in mean_control.items()}

        # Size fractions: triplicate wet sieving of C-COMP. Mass % per replicate chosen near
        # 58.1 +- 1.4 / 23.4 +- 1.0 / 18.5 +- 0.4 %, masses from ~50 g sieved.
        coarse = [56.8, 58.3, 59.5]
        finest = [18.9, 18.4, 18.1]
        pct = [[c, 100 - c - f, f] for c, f in zip(coarse, finest)]
        # Enrichment of < 50 um: REE ~2-2.4 x, Ce only ~1.45 x; 50-250 um ~1; the coarse
        # fraction is then set by a mass balance of 96-103 % recovery.
        w = [statistics.mean(p[k] for p in pct) / 100 for k in range(3)]
        ef = {}
        for el in REY:
            ef_fine = 1.45 if el == "Ce" else (2.3 if el == "Y" else 2.0 + 0.4 * REE.index(el) / 13)
            ef_mid = rng.uniform(0.93, 1.07)
            recovery = rng.uniform(0.96, 1.03)
            ef_coarse = (recovery - w[1] * ef_mid - w[2] * ef_fine) / w[0]
            ef[el] = [ef_coarse, ef_mid, ef_fine]
        self.fraction_codes = []
        for rep in range(1, 4):
            total_mass = rng.uniform(49.6, 50.4)
            for k, (label, lo, hi, short) in enumerate(FRACTION_CLASSES):
                code = f"C-COMP-{short}-{rep}"
                self.fraction_codes.append(code)
                mass = round(total_mass * pct[rep - 1][k] / 100, 2)
                self.fraction_rows.append(["C-COMP", label, lo, hi, rep, r2(mass),
                                           code, "wet sieving (deionised water), dried 40 C"])
                self.totals[code] = {el: self.totals["C-COMP"][el] * ef[el][k] * self.jitter(0.03)
                                     for el in REY}

        # CaCl2 extraction (1 mM, 1:2 w/w, 48 h). Extractability targets (% of total):
        # control REE 1.3-1.42 (Ce 0.11-0.19), so that also the sum of REEs (Ce-heavy) is
        # 0.7-1.7 %; lower in the amended treatments.
        ranges = {"control": ((1.3, 1.42), (0.11, 0.19)),
                  "miscanthus": ((0.35, 0.62), (0.045, 0.085)),
                  "ramie": ((0.06, 0.32), (0.02, 0.06))}
        for code, info in self.bulk.items():
            (lo, hi), (clo, chi) = ranges[info["treatment"]]
            level = rng.uniform(lo, hi)
            soil_g = round(rng.uniform(9.98, 10.04), 2)
            solution_g = round(2 * soil_g + rng.uniform(-0.02, 0.02), 2)
            extract = f"{code}-CA"
            ppb = {}
            for el in REY:
                if el == "Ce":
                    e = rng.uniform(clo, chi)
                else:
                    # MREE/HREE slightly more exchangeable than La
                    e = level * (0.92 + 0.15 * (REY.index(el) / 14)) * self.jitter(0.04)
                    e = min(max(e, lo * 0.85), hi * 1.12)
                extractable = e / 100 * self.totals[code][el]            # mg/kg soil
                mg_l = extractable * (soil_g / 1000) / (solution_g / 1000)  # mg/L
                ppb[el] = mg_l * 1000
            self.extract_ppb[extract] = ppb
            self.extractions.append([code, extract, r2(soil_g), r2(solution_g), "", "1", "1:2",
                                     "48", "2019-03-18", "0.45",
                                     "centrifuged 3000 g 10 min, filtered 0.45 um, acidified 2 % HNO3"])


def write_sheets(s):
    write_csv("sites", ["code", "name", "county", "province", "country", "latitude", "longitude",
                        "description"],
              [["DN", "Dingnan demonstration site", "Dingnan", "Jiangxi", "China", "24.7831",
                "115.0276", "Heap-leached ion-adsorption REE tailings under reclamation "
                "(INVENTED demo data modelled on the published study)"]])
    write_csv("treatments", ["site", "code", "name", "amendment", "amendment_rate_kg_m2",
                             "amended_on", "plant", "planted_on", "description"],
              [["DN", "control", "Control", "", "", "", "", "",
                "bare unreclaimed tailings"],
               ["DN", "miscanthus", "Miscanthus", "pig manure + sawdust", "2.6", "2016-04-12",
                "Miscanthus sinensis", "2016-05-06",
                "amended once in 2016 and planted with the native grass"],
               ["DN", "ramie", "Ramie", "pig manure + sawdust", "5.5", "2015-04-20",
                "Boehmeria nivea", "2015-05-08",
                "5-6 kg/m2 in 2015 (5.5 recorded) and 1.5-3 kg/m2 again in 2016; fibre crop"]])
    write_csv("plots", ["treatment", "code", "replicate", "area_m2", "description"],
              [[t, p, rep, "4", f"2 x 2 m plot, replicate {rep}"] for t, p, rep in s.plots])

    prep = "air-dried; sieved <2 mm; ground <150 um"
    rows = []
    for code, info in s.bulk.items():
        rows.append([code, info["plot"], "", "bulk", "0", "10", "2018-10-16", r2(info["mass_g"], 1),
                     prep, "surface composite of 5 cores, 0-10 cm"])
    rows.append(["C-COMP", "C1", "", "other", "0", "10", "2018-10-16", "500.0",
                 "air-dried; sieved <2 mm; composited (100 g each of C1-0010..C5-0010); "
                 "ground <150 um (aliquot for totals)",
                 "control composite for triplicate wet sieving (plot C1 carries it; it stands "
                 "for the whole control treatment)"])
    blocks = [("C3-K0009", "C3", 0, 9), ("M2-K0009", "M2", 0, 9), ("R4-K2029", "R4", 20, 29)]
    for code, plot, top, bottom in blocks:
        rows.append([code, plot, "", "block", str(top), str(bottom), "2018-10-17", "",
                     "air-dried; impregnated with polyester resin",
                     "undisturbed block in a Kubiena box (90 x 60 x 50 mm)"])
    write_csv("samples", ["code", "plot", "parent", "type", "depth_top_cm", "depth_bottom_cm",
                          "collected_on", "mass_g", "preparation", "description"], rows)

    write_csv("fractions", ["parent_sample", "class", "lower_um", "upper_um", "replicate", "mass_g",
                            "fraction_sample", "method"], s.fraction_rows)
    write_csv("extractions", ["sample", "extract_id", "soil_mass_g", "solution_mass_g",
                              "solution_volume_ml", "cacl2_mmol_l", "ratio", "contact_time_h",
                              "extracted_on", "filter_um", "notes"], s.extractions)

    # Soil properties. pH in water 1:2.5; CEC and exchangeable cations by cobalt hexamine;
    # TOC and TN by dry combustion. Amended plots: higher pH, CEC, C, N; less exch. Al.
    rng = s.rng
    rows = []
    prop_ranges = {
        "control": {"pH_H2O": (4.2, 4.6), "exch_Al": (1.0, 1.9),
                    "exch_Ca": (0.08, 0.25), "exch_K": (0.05, 0.14), "exch_Mg": (0.03, 0.09),
                    "exch_Na": (0.04, 0.09), "TOC": (0.08, 0.22), "TN": (0.017, 0.035)},
        "miscanthus": {"pH_H2O": (4.8, 5.2), "exch_Al": (0.4, 0.9),
                       "exch_Ca": (1.0, 2.2), "exch_K": (0.15, 0.35), "exch_Mg": (0.25, 0.55),
                       "exch_Na": (0.06, 0.12), "TOC": (0.7, 1.3), "TN": (0.06, 0.11)},
        "ramie": {"pH_H2O": (5.0, 5.5), "exch_Al": (0.2, 0.6),
                  "exch_Ca": (1.8, 3.4), "exch_K": (0.2, 0.5), "exch_Mg": (0.35, 0.8),
                  "exch_Na": (0.07, 0.15), "TOC": (1.0, 2.1), "TN": (0.09, 0.19)},
    }
    units = {"pH_H2O": "pH", "TOC": "%", "TN": "%"}
    methods = {"pH_H2O": "water 1:2.5", "TOC": "dry combustion", "TN": "dry combustion"}
    dl = {"exch_Na": 0.05, "TN": 0.02}   # reporting limits of the lab
    below = {("C2-0010", "TN"), ("C5-0010", "exch_Na")}   # two censored values, on purpose
    for code, info in s.bulk.items():
        values = {}
        for prop, (lo, hi) in prop_ranges[info["treatment"]].items():
            v = rng.uniform(lo, hi)
            if (code, prop) in below:
                v = dl[prop] * 0.6
            elif prop in dl:
                v = max(v, dl[prop] * 1.1)
            values[prop] = v
        # cobalt hexamine CEC = sum of exchangeable cations + a little exchangeable H+
        values["CEC"] = sum(values[k] for k in values if k.startswith("exch_")) + rng.uniform(0.05, 0.3)
        for prop in ["pH_H2O", "CEC", "exch_Al", "exch_Ca", "exch_K", "exch_Mg", "exch_Na", "TOC", "TN"]:
            v = values[prop]
            if prop in dl and v < dl[prop]:
                text = f"<{dl[prop]:g}"
            elif prop == "pH_H2O":
                text = r2(v)
            elif prop in ("TOC", "TN"):
                text = f"{v:.3f}" if prop == "TN" else r2(v)
            else:
                text = r2(v)
            rows.append([code, prop, text, units.get(prop, "cmol+/kg"),
                         methods.get(prop, "cobalt hexamine"), "2019-02-26"])
    # Organic C of the control composite and of every fraction (< 50 um holds the C).
    rows.append(["C-COMP", "TOC", "0.16", "%", "dry combustion", "2019-02-27"])
    toc_class = {"250-2000": 0.07, "50-250": 0.13, "0-50": 0.44}
    for code in s.fraction_codes:
        short = code[len("C-COMP-"):-2]
        rows.append([code, "TOC", r2(toc_class[short] * s.jitter(0.08)), "%", "dry combustion",
                     "2019-02-27"])
    write_csv("properties", ["sample", "property", "value", "unit", "method", "measured_on"], rows)


def write_micro(s):
    write_csv("thin-sections", ["code", "sample", "thickness_um", "width_mm", "length_mm",
                                "prepared_on", "notes"],
              [["TS-C3-1", "C3-K0009", "30", "50", "80", "2019-01-15", "control, 0-9 cm"],
               ["TS-M2-1", "M2-K0009", "30", "50", "80", "2019-01-15", "miscanthus, 0-9 cm, roots"],
               ["TS-R4-1", "R4-K2029", "30", "50", "80", "2019-01-16", "ramie pit, 20-29 cm"]])
    maps = [  # thin section, map, pixel, dwell, width, height, date
        ("TS-C3-1", "map1", 10, 100, 400, 300, "2019-06-11"),
        ("TS-C3-1", "map2", 3, 200, 160, 120, "2019-06-12"),
        ("TS-M2-1", "map1", 10, 100, 350, 250, "2019-06-12"),
        ("TS-R4-1", "map1", 10, 100, 300, 300, "2019-06-13"),
        ("TS-R4-1", "map2", 3, 200, 150, 150, "2019-06-13"),
    ]
    write_csv("xrf-maps", ["thin_section", "map", "facility", "beamline", "energy_ev", "beam_x_um",
                           "beam_y_um", "pixel_um", "dwell_ms", "width_px", "height_px",
                           "acquired_on", "file_name"],
              [[ts, m, "SOLEIL", "LUCIA", "7200", "3", "3", str(px), str(dw), str(wd), str(ht), d,
                f"{ts}_{m}_7200eV.h5"] for ts, m, px, dw, wd, ht, d in maps])
    pois = [  # ts, map, poi, x, y, phase, notes
        ("TS-C3-1", "map1", "P1", 812, 1430, "fine-grained Fe-rich matrix", "coating on quartz"),
        ("TS-C3-1", "map1", "P2", 2210, 640, "Ce particle", "bright Ce spot, no La/Nd"),
        ("TS-C3-1", "map1", "P3", 3105, 2280, "Mn oxide", "Mn-Ce hot spot"),
        ("TS-C3-1", "map2", "P4", 151, 212, "Al-phosphate grain", "La, Nd with P"),
        ("TS-C3-1", "map2", "P5", 402, 96, "fine-grained Fe-rich matrix", ""),
        ("TS-M2-1", "map1", "P1", 1020, 760, "organic debris/root", "root section with Fe coating"),
        ("TS-M2-1", "map1", "P2", 2480, 1900, "fine-grained Fe-rich matrix", ""),
        ("TS-M2-1", "map1", "P3", 560, 2110, "Ce particle", ""),
        ("TS-R4-1", "map1", "P1", 1330, 980, "fine-grained Fe-rich matrix", ""),
        ("TS-R4-1", "map1", "P2", 2040, 2560, "Mn oxide", ""),
        ("TS-R4-1", "map2", "P3", 210, 330, "organic debris/root", "decaying ramie root"),
        ("TS-R4-1", "map2", "P4", 95, 61, "Al-phosphate grain", ""),
    ]
    write_csv("pois", ["thin_section", "map", "poi", "x_um", "y_um", "phase", "notes"],
              [[a, b, c, str(x), str(y), ph, n] for a, b, c, x, y, ph, n in pois])
    xanes = [  # ts, map, poi, edge, state, ce4, e0, notes
        ("TS-C3-1", "map1", "P1", "Ce L3", "mixed", "0.46", "5726.1", ""),
        ("TS-C3-1", "map1", "P1", "Fe K", "", "", "7123.4", "see lcf.csv"),
        ("TS-C3-1", "map1", "P2", "Ce L3", "Ce(IV)", "0.88", "5728.9", "cerianite-like"),
        ("TS-C3-1", "map1", "P3", "Ce L3", "Ce(IV)", "0.81", "5728.4", "oxidative scavenging by Mn oxide"),
        ("TS-C3-1", "map2", "P4", "Ce L3", "Ce(III)", "0.06", "5724.2", "rhabdophane-like"),
        ("TS-C3-1", "map2", "P4", "La L3", "", "", "5484.0", ""),
        ("TS-C3-1", "map2", "P5", "Fe K", "", "", "7123.0", "see lcf.csv"),
        ("TS-M2-1", "map1", "P1", "Ce L3", "Ce(III)", "0.09", "5724.4", "sorbed on organic matter"),
        ("TS-M2-1", "map1", "P2", "Fe K", "", "", "7122.8", "see lcf.csv"),
        ("TS-M2-1", "map1", "P2", "Nd L3", "", "", "6209.1", ""),
        ("TS-M2-1", "map1", "P3", "Ce L3", "mixed", "0.52", "5726.5", ""),
        ("TS-R4-1", "map1", "P1", "Fe K", "", "", "7123.1", "see lcf.csv"),
        ("TS-R4-1", "map1", "P2", "Ce L3", "Ce(IV)", "0.77", "5728.2", ""),
        ("TS-R4-1", "map2", "P3", "Ce L3", "Ce(III)", "0.04", "5724.1", ""),
    ]
    write_csv("xanes", ["thin_section", "map", "poi", "edge", "oxidation_state", "ce4_fraction",
                        "e0_ev", "notes"], [list(x) for x in xanes])
    lcf = [  # ts, map, poi, r, chi2, goethite, ferrihydrite, unc
        ("TS-C3-1", "map1", "P1", 0.0042, 0.061, 0.71, 0.29, 0.04),
        ("TS-C3-1", "map2", "P5", 0.0058, 0.083, 0.64, 0.36, 0.05),
        ("TS-M2-1", "map1", "P2", 0.0071, 0.097, 0.48, 0.52, 0.05),
        ("TS-R4-1", "map1", "P1", 0.0049, 0.072, 0.39, 0.61, 0.04),
    ]
    rows = []
    for ts, m, p, r, chi, goe, fh, unc in lcf:
        for phase, frac in (("goethite", goe), ("ferrihydrite", fh)):
            rows.append([ts, m, p, "Fe K", f"{r:.4f}", f"{chi:.3f}", "7090", "7180", phase,
                         r2(frac), r2(unc)])
    write_csv("lcf", ["thin_section", "map", "poi", "edge", "r_factor", "chi_square", "range_low_ev",
                      "range_high_ev", "phase", "fraction", "uncertainty"], rows)
    corr = {("TS-C3-1", "map1"): [("La", "Nd", 0.85), ("La", "Ce", 0.0004), ("Mn", "Ce", 0.63),
                                  ("Fe", "La", 0.21), ("P", "La", 0.34)],
            ("TS-C3-1", "map2"): [("La", "Nd", 0.88), ("La", "Ce", 0.0011), ("Mn", "Ce", 0.58)],
            ("TS-M2-1", "map1"): [("La", "Nd", 0.81), ("La", "Ce", 0.012), ("Mn", "Ce", 0.41)],
            ("TS-R4-1", "map1"): [("La", "Nd", 0.83), ("La", "Ce", 0.0009), ("Mn", "Ce", 0.55)],
            ("TS-R4-1", "map2"): [("La", "Nd", 0.79), ("Fe", "La", 0.17)]}
    size = {(ts, m): wd * ht for ts, m, _, _, wd, ht, _ in maps}
    rows = []
    for key, pairs in corr.items():
        for a, b, r2v in pairs:
            rows.append([key[0], key[1], a, b, f"{r2v:g}", str(size[key])])
    write_csv("correlations", ["thin_section", "map", "element_a", "element_b", "r_squared",
                               "n_pixels"], rows)


def write_masshunter(name, runs, unit, delimiter, rjct, start, with_total_dil):
    """Agilent MassHunter batch table: row 1 groups (Sample, one per analyte, ISTDs),
    row 2 measures. runs: list of dicts with type, level, name, conc {el: value or
    None (= <0.000)}, dil."""
    sample_cols = ["", "Rjct", "Data File", "Acq. Date-Time", "Type", "Level", "Sample Name"]
    if with_total_dil:
        sample_cols.append("Total Dil.")
    row1 = ["Sample"] + [""] * (len(sample_cols) - 1)
    row2 = list(sample_cols)
    for el in MH_ANALYTES:
        row1 += [f"{ISOTOPE[el]}  {el}  [ No Gas ] ", "", "", ""]
        row2 += ["CPS", "CPS RSD", f"Conc. [ {unit} ]", "Conc. RSD"]
    for label, _ in ISTDS:
        row1 += [label, ""]
        row2 += ["CPS", "CPS RSD"]
    lines = [delimiter.join(row1), delimiter.join(row2)]
    rng = random.Random(SEED + len(name))
    day, month, year, minute = start
    for i, run in enumerate(runs, start=1):
        tag = {"CalBlk": "CALB", "CalStd": "CALS"}.get(run["type"], "SMPL")
        t = minute + 5 * i - 5 + (1 if i % 7 == 0 else 0)
        stamp = f"{day:02d}/{month:02d}/{year} {t // 60:02d}:{t % 60:02d}"
        cells = ["", rjct, f"{i:03d}{tag}.d", stamp, run["type"], run.get("level", ""), run["name"]]
        if with_total_dil:
            cells.append(excel_general(run.get("dil", 1.0)))
        drift = 1 + 0.04 * math.sin(i / 6)
        for el in MH_ANALYTES:
            value = run["conc"][el]
            # counts from the concentration in the measured solution (~2.2e5 cps/ppb)
            # (extracts were diluted x20 before the run: 'cps_dil')
            ppb_solution = ((value or 0.0) / run.get("dil", 1.0) / run.get("cps_dil", 1.0)
                            * (1000 if unit == "ppm" else 1))
            cps = max(ppb_solution * 2.2e5 * drift, 0) + rng.uniform(3, 40)
            cps_rsd = min(100 / math.sqrt(cps) * 3 + rng.uniform(0.3, 1.5), 120)
            if run["type"] == "CalBlk":
                cells += [excel_general(cps), excel_general(cps_rsd), "0", "N/A"]
            elif value is None:
                cells += [excel_general(cps), excel_general(cps_rsd), "<0.000", "N/A"]
            else:
                cells += [excel_general(cps), excel_general(cps_rsd), excel_general(value),
                          excel_general(cps_rsd * rng.uniform(1.0, 1.08))]
        for _, base in ISTDS:
            cells += [excel_general(base * (1 - 0.06 * i / len(runs)) * rng.uniform(0.985, 1.015)),
                      excel_general(rng.uniform(0.2, 1.4))]
        lines.append(delimiter.join(cells))
    with open(path(name), "w", encoding="ascii", newline="") as f:
        f.write("\n".join(lines) + "\n")


def qc_runs(rng, unit, n_std_levels, ccv_ppb):
    """Calibration rows, the check standard and blanks, in the file's unit."""
    k = 0.001 if unit == "ppm" else 1.0
    cal = [{"type": "CalBlk", "level": "1", "name": "Cal Blank 2% HNO3",
            "conc": {el: 0.0 for el in MH_ANALYTES}}]
    for lvl, ppb in enumerate(n_std_levels, start=2):
        cal.append({"type": "CalStd", "level": str(lvl), "name": f"REE mix {ppb:g} ppb",
                    "conc": {el: ppb * k * rng.uniform(0.985, 1.015) for el in MH_ANALYTES}})

    def ccv():
        return {"type": "Sample", "name": f"CCV {ccv_ppb:g} ppb",
                "conc": {el: ccv_ppb * k * rng.uniform(0.95, 1.05) for el in MH_ANALYTES}}

    def blank(n, dil, censored):
        # procedural blank: a few hundredths of a mg/kg (solid) or ug/L (extract)
        conc = {el: None if el in censored else rng.uniform(0.002, 0.03) for el in MH_ANALYTES}
        return {"type": "Sample", "name": f"BLANK {n}", "conc": conc, "dil": dil}
    return cal, ccv, blank


def write_instrument_files(s):
    rng = random.Random(SEED + 1)
    # --- totals: lithium borate fusion, 0.1 g to 100 mL then x10; reported in ppm of solid.
    cal, ccv, blank = qc_runs(rng, "ppm", [0.1, 0.5, 1, 5, 10, 50], 10)
    runs = list(cal)

    def fused(code, conc):
        mass = rng.uniform(0.0995, 0.1008)
        return {"type": "Sample", "name": code, "conc": conc, "dil": 100 / mass * 10}

    # Invented values for the CRM row (NOT the certificate's): a lateritic soil CRM.
    crm_conc = {"La": 27.8, "Ce": 61.5, "Pr": 6.3, "Nd": 22.9, "Sm": 4.4, "Eu": 0.92, "Gd": 3.9,
                "Tb": 0.61, "Dy": 3.6, "Ho": 0.74, "Er": 2.2, "Tm": 0.33, "Yb": 2.2, "Lu": 0.33,
                "Y": 19.6}
    codes = list(s.bulk) + ["C-COMP"] + s.fraction_codes
    runs.append(ccv())
    runs.append(blank(1, 10000.0, {"Tm", "Lu", "Ho", "Tb"}))
    runs.append(fused("OREAS 45d", {el: v * rng.uniform(0.96, 1.04) for el, v in crm_conc.items()}))
    for i, code in enumerate(codes, start=1):
        runs.append(fused(code, s.totals[code]))
        if i % 9 == 0:
            runs.append(ccv())
    runs.append(blank(2, 10000.0, {"Tm", "Lu", "Tb", "Eu", "Ho"}))
    runs.append(fused("OREAS 45d", {el: v * rng.uniform(0.96, 1.04) for el, v in crm_conc.items()}))
    runs.append(ccv())
    write_masshunter("totals", runs, "ppm", ",", "FALSE", (14, 3, 2019, 9 * 60 + 12), True)

    # --- CaCl2 extracts, ug/L of the extract itself (the software already applied the x20
    # dilution in 2 % HNO3, so no Total Dil. column; only the counts reflect it).
    cal, ccv, blank = qc_runs(rng, "ppb", [0.5, 1, 5, 10, 50, 100], 10)
    runs = list(cal)
    runs.append(ccv())
    runs.append(blank("CaCl2", 1.0, set(MH_ANALYTES) - {"La", "Ce", "Nd", "Y"}))
    for i, row in enumerate(s.extractions, start=1):
        code = row[1]
        conc = {el: (None if v < SOLUTION_DL_MG_L * 1000 else v)   # below the blank
                for el, v in s.extract_ppb[code].items()}
        runs.append({"type": "Sample", "name": code, "conc": conc, "cps_dil": 20.0})
        if i % 8 == 0:
            runs.append(ccv())
    runs.append(blank("CaCl2 2", 1.0, set(MH_ANALYTES) - {"La", "Ce"}))
    runs.append(ccv())
    write_masshunter("extracts", runs, "ppb", ";", "FAUX", (21, 3, 2019, 13 * 60 + 40), False)


def write_majors(s):
    """Majors as oxides (wt%) in the long results template: XRF on the bulk samples and
    the control composite, ICP-OES after fusion on the fractions."""
    rng = random.Random(SEED + 2)
    base = {"SiO2": 74.0, "Al2O3": 13.5, "Fe2O3": 2.6, "K2O": 4.1, "CaO": 0.09, "MgO": 0.21,
            "Na2O": 0.08, "TiO2": 0.19, "MnO": 0.045, "P2O5": 0.035}
    boost = {"miscanthus": {"CaO": 3.5, "P2O5": 2.2, "MgO": 1.5, "K2O": 1.03},
             "ramie": {"CaO": 5.0, "P2O5": 3.0, "MgO": 1.8, "K2O": 1.05}}
    dl = 0.01
    rows = []

    def close(ox, loi):
        # SiO2 by difference so that oxides + loss on ignition total 99-100.5 wt%
        ox["SiO2"] = 100 - loi - sum(v for k, v in ox.items() if k != "SiO2") - rng.uniform(0, 1.0)

    def emit(code, oxides, method, date):
        for ox, v in oxides.items():
            if v < dl:
                rows.append([code, ox, f"<{dl:g}", "wt%", "<", f"{dl:g}", method, date])
            else:
                nd = 2 if v >= 1 else 3
                rows.append([code, ox, f"{v:.{nd}f}", "wt%", "", f"{dl:g}", method, date])

    for code, info in list(s.bulk.items()) + [("C-COMP", {"treatment": "control"})]:
        ox = {k: v * math.exp(rng.gauss(0, 0.08)) for k, v in base.items()}
        for k, f in boost.get(info["treatment"], {}).items():
            ox[k] *= f
        if code in ("C2-0010", "C4-0010"):
            ox["Na2O"] = 0.006        # below the XRF reporting limit
        close(ox, 4.0 if info["treatment"] == "control" else 6.5)
        emit(code, ox, "XRF", "2019-03-05")
    fine_factor = {"250-2000": {"SiO2": 1.08, "Al2O3": 0.8, "Fe2O3": 0.6},
                   "50-250": {"SiO2": 1.0, "Al2O3": 1.0, "Fe2O3": 1.0},
                   "0-50": {"SiO2": 0.82, "Al2O3": 1.55, "Fe2O3": 2.3}}
    for code in s.fraction_codes:
        short = code[len("C-COMP-"):-2]
        ox = {k: v * math.exp(rng.gauss(0, 0.05)) * fine_factor[short].get(k, 1.0)
              for k, v in base.items()}
        close(ox, {"250-2000": 2.5, "50-250": 4.0, "0-50": 8.5}[short])
        emit(code, ox, "ICP-OES", "2019-03-07")
    write_csv("majors", ["sample", "analyte", "value", "unit", "qualifier", "detection_limit",
                         "method", "measured_on"], rows)


def generate():
    s = Study()
    write_sheets(s)
    write_micro(s)
    write_instrument_files(s)
    write_majors(s)


# ----------------------------------------------------------------------------------------
# 2. Verify: re-read the written files only, compute, assert.
# ----------------------------------------------------------------------------------------

def read_sheet(name):
    with open(path(name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_masshunter(name):
    """Parses a MassHunter batch table by its two header rows.
    Returns [{'type', 'name', 'values': {el: (qualifier, number or None, raw)}}], unit."""
    with open(path(name), encoding="ascii", newline="") as f:
        text = f.read()
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    groups, measures = rows[0], rows[1]
    owner, current = [], None
    for g in groups:
        if g.strip():
            current = g
        owner.append(current)
    col = {measures[i]: i for i in range(len(measures)) if owner[i] == "Sample"}
    units = set()
    out = []
    for row in rows[2:]:
        if not row:
            continue
        values = {}
        for i, m in enumerate(measures):
            if owner[i] and owner[i] != "Sample" and m.startswith("Conc. ["):
                units.add(m)
                el = owner[i].split()[1]
                raw = row[i]
                if raw.startswith("<"):
                    values[el] = ("<", None, raw)
                elif raw in ("", "N/A"):
                    values[el] = ("na", None, raw)
                else:
                    values[el] = ("=", float(raw), raw)
        out.append({"type": row[col["Type"]], "name": row[col["Sample Name"]], "values": values})
    assert len(units) == 1, units
    return out, units.pop()


def ree_indices(c):
    """DESIGN.md section 4, UCC-normalized (c in mg/kg, La..Lu and Y)."""
    n = {el: c[el] / UCC[el] for el in REY}
    return {
        "sum_ree_mg_kg": sum(c[el] for el in REE),
        "sum_rey_mg_kg": sum(c[el] for el in REY),
        "ce_anomaly": 2 * n["Ce"] / (n["La"] + n["Pr"]),
        "eu_anomaly": 2 * n["Eu"] / (n["Sm"] + n["Gd"]),
        "lree_hree_ucc": sum(n[el] for el in LREE) / sum(n[el] for el in HREE),
    }


def self_test_formulas():
    """The formulas reproduce shared/reference/worked-cases.md, case S1, to 1e-6."""
    s1 = dict(zip(REY, [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49,
                        3.22, 0.47, 31.5]))
    got = ree_indices(s1)
    want = {"ce_anomaly": 1.013971, "eu_anomaly": 0.905808, "lree_hree_ucc": 0.763700,
            "sum_ree_mg_kg": 227.96, "sum_rey_mg_kg": 259.46}
    return all(abs(got[k] - v) < 1e-6 for k, v in want.items())


# IUPAC standard atomic weights (abridged).
ATOMIC_WEIGHT = {"O": 15.999, "Si": 28.085, "Al": 26.982, "Fe": 55.845, "K": 39.098, "Ca": 40.078,
                 "Mg": 24.305, "Na": 22.990, "Ti": 47.867, "Mn": 54.938, "P": 30.974}


def oxide_to_element(oxide):
    """('Fe', mass fraction of Fe in Fe2O3) for oxides written like SiO2, Al2O3, P2O5."""
    import re
    (el, n_el), (o, n_o) = [(a, int(b or 1)) for a, b in re.findall(r"([A-Z][a-z]?)(\d*)", oxide)]
    assert o == "O"
    m_el = ATOMIC_WEIGHT[el] * n_el
    return el, m_el / (m_el + ATOMIC_WEIGHT["O"] * n_o)


def mean_sd_median(xs):
    return {"n": len(xs), "mean": statistics.mean(xs), "sd": statistics.stdev(xs),
            "median": statistics.median(xs)}


def compute():
    from scipy import stats

    samples = {r["code"]: r for r in read_sheet("samples")}
    plots = {r["code"]: r["treatment"] for r in read_sheet("plots")}
    totals_runs, totals_unit = read_masshunter("totals")
    extract_runs, extract_unit = read_masshunter("extracts")
    assert totals_unit == "Conc. [ ppm ]" and extract_unit == "Conc. [ ppb ]"

    fraction_samples = {r["fraction_sample"] for r in read_sheet("fractions")}
    totals = {}
    for run in totals_runs:
        if run["name"] in samples or run["name"] in fraction_samples:
            assert all(q == "=" for q, _, _ in run["values"].values()), run["name"]
            totals[run["name"]] = {el: v for el, (_, v, _) in run["values"].items()}  # ppm = mg/kg

    bulk = [c for c, r in samples.items() if r["type"] == "bulk"]
    per_sample = {}
    for code in bulk + ["C-COMP"]:
        per_sample[code] = {
            "treatment": plots[samples[code]["plot"]] if samples[code]["type"] == "bulk" else None,
            **ree_indices(totals[code]),
        }

    by_treatment = {}
    for t in TREATMENTS:
        codes = [c for c in bulk if per_sample[c]["treatment"] == t]
        by_treatment[t] = {"samples": codes}
        for key in ("sum_ree_mg_kg", "sum_rey_mg_kg", "ce_anomaly", "eu_anomaly", "lree_hree_ucc"):
            by_treatment[t][key] = mean_sd_median([per_sample[c][key] for c in codes])
    kw = {}
    for key in ("sum_ree_mg_kg", "ce_anomaly"):
        h, p = stats.kruskal(*[[per_sample[c][key] for c in by_treatment[t]["samples"]]
                               for t in TREATMENTS])
        kw[key] = {"H": float(h), "df": len(TREATMENTS) - 1, "p": float(p)}

    # Extractability: C (mg/L) x V (L, from solution mass at density 1) / m_soil (kg).
    extraction = {r["extract_id"]: r for r in read_sheet("extractions")}
    extracts = {run["name"]: run["values"] for run in extract_runs if run["name"] in extraction}
    assert set(extracts) == set(extraction), "every extract has ICP-MS results"
    extractability = {}
    for ex_code, row in extraction.items():
        soil = row["sample"]
        m_kg = float(row["soil_mass_g"]) / 1000
        v_l = (float(row["solution_volume_ml"]) / 1000 if row["solution_volume_ml"]
               else float(row["solution_mass_g"]) / 1000)
        per_el, censored = {}, []
        for el in REY:
            q, v, raw = extracts[ex_code][el]
            if q == "<":
                mg_l = SOLUTION_DL_MG_L / 2          # DL/2 rule, marked
                censored.append(el)
            else:
                mg_l = v / 1000                      # ppb = ug/L -> mg/L
            extractable = mg_l * v_l / m_kg          # mg/kg soil
            per_el[el] = {"extract_mg_l": mg_l, "extractable_mg_kg": extractable,
                          "percent_of_total": extractable / totals[soil][el] * 100,
                          "censored": q == "<"}
        sum_extractable = sum(per_el[el]["extractable_mg_kg"] for el in REE)
        extractability[soil] = {
            "extract": ex_code, "treatment": per_sample[soil]["treatment"],
            "soil_kg": m_kg, "solution_l": v_l, "censored_elements": censored,
            "sum_ree_extractable_mg_kg": sum_extractable,
            "sum_ree_percent": sum_extractable / per_sample[soil]["sum_ree_mg_kg"] * 100,
            "elements": per_el,
        }
    extract_by_treatment = {}
    for t in TREATMENTS:
        rows = [e for e in extractability.values() if e["treatment"] == t]
        extract_by_treatment[t] = {
            "sum_ree_percent": mean_sd_median([e["sum_ree_percent"] for e in rows]),
            "per_element_percent_mean": {el: statistics.mean(e["elements"][el]["percent_of_total"]
                                                             for e in rows) for el in REY},
            "range_percent_non_ce_ree": [min(e["elements"][el]["percent_of_total"] for e in rows
                                             for el in REE if el != "Ce"),
                                         max(e["elements"][el]["percent_of_total"] for e in rows
                                             for el in REE if el != "Ce")],
            "range_percent_ce": [min(e["elements"]["Ce"]["percent_of_total"] for e in rows),
                                 max(e["elements"]["Ce"]["percent_of_total"] for e in rows)],
        }

    # Size fractions of the control composite.
    fr = read_sheet("fractions")
    by_rep = {}
    for r in fr:
        by_rep.setdefault(r["replicate"], []).append(r)
    classes = []
    for r in fr:
        if r["class"] not in classes:
            classes.append(r["class"])
    pct = {c: [] for c in classes}
    conc = {c: {el: [] for el in REY} for c in classes}
    for rep, rows in by_rep.items():
        total = sum(float(r["mass_g"]) for r in rows)
        for r in rows:
            pct[r["class"]].append(float(r["mass_g"]) / total * 100)
            for el in REY:
                conc[r["class"]][el].append(totals[r["fraction_sample"]][el])
    bulk_c = totals[fr[0]["parent_sample"]]
    fractions = {"parent": fr[0]["parent_sample"], "classes": {}}
    for c in classes:
        fractions["classes"][c] = {
            "mass_percent": mean_sd_median(pct[c]),
            "enrichment_factor": {el: statistics.mean(conc[c][el]) / bulk_c[el]
                                  for el in ["La", "Ce", "Nd", "Yb"]},
            "sum_ree_mg_kg_mean": statistics.mean(sum(v) for v in zip(*[conc[c][el] for el in REE])),
        }
    recovery = {}
    for el in REY:
        recovery[el] = sum(statistics.mean(pct[c]) / 100 * statistics.mean(conc[c][el])
                           for c in classes) / bulk_c[el] * 100
    # the same for sum REE (La..Lu) of each fraction sample
    sum_conc = {c: [sum(v) for v in zip(*[conc[c][el] for el in REE])] for c in classes}
    sum_bulk = sum(bulk_c[el] for el in REE)
    for c in classes:
        fractions["classes"][c]["enrichment_factor"]["sum_ree"] = statistics.mean(sum_conc[c]) / sum_bulk
    recovery["sum_ree"] = sum(statistics.mean(pct[c]) / 100 * statistics.mean(sum_conc[c])
                              for c in classes) / sum_bulk * 100
    fractions["mass_balance_recovery_percent"] = recovery
    fractions["rules"] = ("mass % per replicate = m_i / sum(m) x 100, mean +- SD (n-1) over the 3 "
                          "replicates; C_i = mean of the 3 replicate fraction samples; "
                          "EF = C_i / C_bulk(C-COMP); recovery = sum(mean w_i x C_i) / C_bulk x 100")

    # Majors: oxide wt% -> element mg/kg (the importer converts Fe2O3 to Fe and so on).
    majors = {}
    for r in read_sheet("majors"):
        oxide = r["analyte"]
        factor = oxide_to_element(oxide)
        text = r["value"]
        entry = {"element": factor[0], "method": r["method"], "factor": factor[1]}
        if text.startswith("<") or r["qualifier"] == "<":
            entry.update(qualifier="<", detection_limit_mg_kg=float(r["detection_limit"]) * 1e4 * factor[1])
        else:
            entry.update(qualifier="=", value_mg_kg=float(text) * 1e4 * factor[1])
        majors.setdefault(r["sample"], {})[oxide] = entry

    # Soil properties per treatment (bulk samples; censored values -> DL/2, counted).
    props = {}
    for r in read_sheet("properties"):
        if r["sample"] not in per_sample or per_sample[r["sample"]]["treatment"] is None:
            continue
        t = per_sample[r["sample"]]["treatment"]
        cens = r["value"].startswith("<")
        v = float(r["value"].lstrip("<")) / 2 if cens else float(r["value"])
        slot = props.setdefault(r["property"], {}).setdefault(t, {"values": [], "censored": 0})
        slot["values"].append(v)
        slot["censored"] += int(cens)
    properties_by_treatment = {
        prop: {t: {**mean_sd_median(v["values"]), "censored": v["censored"]} for t, v in per_t.items()}
        for prop, per_t in props.items()}

    return {
        "note": "INVENTED demo data; numbers computed by make_demo_study.py from the written files",
        "majors_as_element_mg_kg": majors,
        "properties_by_treatment": properties_by_treatment,
        "formulas": {
            "normalization": "UCC, Taylor & McLennan (1995), X_N = X / X_UCC",
            "sum_ree": "sum La..Lu (mg/kg); sum_rey adds Y",
            "ce_anomaly": "Ce* = 2 Ce_N / (La_N + Pr_N)",
            "eu_anomaly": "Eu* = 2 Eu_N / (Sm_N + Gd_N)",
            "lree_hree_ucc": "sum(La_N..Eu_N) / sum(Gd_N..Lu_N)",
            "summary": "mean, SD (n-1), median per treatment over the 5 bulk samples (C-COMP excluded)",
            "kruskal_wallis": "scipy.stats.kruskal (tie-corrected H, df = k - 1, p from chi2)",
            "extractability": ("extractable mg/kg = C_extract (mg/L; ppb/1000) x V (L; solution mass "
                               "/ 1000 at density 1) / m_soil (kg); % = extractable / total x 100"),
            "censored_rule": (f"'<0.000' extract cells -> DL/2 with DL = {SOLUTION_DL_MG_L} mg/L "
                              "(the study's solution DL), i.e. 0.0005 mg/L, marked censored; "
                              "censored soil properties ('<0.02') -> DL/2 in properties_by_treatment"),
            "majors": "oxide wt% x 10000 x (n M_el / M_oxide), IUPAC atomic weights; '<' keeps DL converted",
        },
        "ucc": UCC,
        "per_sample": per_sample,
        "by_treatment": by_treatment,
        "kruskal_wallis": kw,
        "extractability": extractability,
        "extractability_by_treatment": extract_by_treatment,
        "size_fractions": fractions,
    }


# Lab sheet templates as agreed in the BRIEF ("Shared vocabulary"); order is free.
TEMPLATES = {
    "sites": "code,name,county,province,country,latitude,longitude,description",
    "treatments": "site,code,name,amendment,amendment_rate_kg_m2,amended_on,plant,planted_on,description",
    "plots": "treatment,code,replicate,area_m2,description",
    "samples": "code,plot,parent,type,depth_top_cm,depth_bottom_cm,collected_on,mass_g,preparation,description",
    "fractions": "parent_sample,class,lower_um,upper_um,replicate,mass_g,fraction_sample,method",
    "extractions": "sample,extract_id,soil_mass_g,solution_mass_g,solution_volume_ml,cacl2_mmol_l,ratio,"
                   "contact_time_h,extracted_on,filter_um,notes",
    "properties": "sample,property,value,unit,method,measured_on",
    "thin-sections": "code,sample,thickness_um,width_mm,length_mm,prepared_on,notes",
    "xrf-maps": "thin_section,map,facility,beamline,energy_ev,beam_x_um,beam_y_um,pixel_um,dwell_ms,"
                "width_px,height_px,acquired_on,file_name",
    "pois": "thin_section,map,poi,x_um,y_um,phase,notes",
    "xanes": "thin_section,map,poi,edge,oxidation_state,ce4_fraction,e0_ev,notes",
    "lcf": "thin_section,map,poi,edge,r_factor,chi_square,range_low_ev,range_high_ev,phase,fraction,uncertainty",
    "correlations": "thin_section,map,element_a,element_b,r_squared,n_pixels",
    "majors": "sample,analyte,value,unit,qualifier,detection_limit,method,measured_on",
}


def detect_delimiter(data):
    """Python copy of LIMSStore CSVReader.detectDelimiter (first 20 lines, quoted text
    ignored, most consistent count wins, ties to , ; tab) so the bundle is known to be
    read with the intended delimiter."""
    cands = [",", ";", "\t"]
    counts, current, in_q, lines = [[] for _ in cands], [0] * 3, False, 0
    for ch in data[:65536]:
        if ch == '"':
            in_q = not in_q
            continue
        if in_q:
            continue
        if ch == "\n":
            if any(current):
                for i in range(3):
                    counts[i].append(current[i])
                lines += 1
            current = [0] * 3
            if lines >= 20:
                break
            continue
        if ch in cands:
            current[cands.index(ch)] += 1
    if any(current):
        for i in range(3):
            counts[i].append(current[i])
    best, best_score = 0, -1.0
    for i in range(3):
        per = counts[i]
        if not per or not any(per):
            continue
        with_d = sum(1 for c in per if c > 0)
        mode = max(sorted(set(per)), key=per.count)
        score = (with_d + per.count(mode)) * 1000 + mode
        if score > best_score:
            best, best_score = i, score
    return cands[best]


def masshunter_layout_ok(file):
    """The layout of the real export (shared/fixtures/instruments/agilent7900_masshunter_User_Raw.csv):
    row 1 'Sample' + blanks, then '139  La  [ No Gas ] ' groups of 4 measures and
    '115  In ( ISTD )  [ No Gas ] ' groups of 2; same number of cells on every line; LF; no quotes."""
    import re
    data = open(file, encoding="ascii", newline="").read()
    if "\r" in data or '"' in data or not data.endswith("\n"):
        return False
    lines = data.rstrip("\n").split("\n")
    d = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = [line.split(d) for line in lines]
    if len({len(r) for r in rows}) != 1 or rows[0][0] != "Sample" or rows[1][0] != "":
        return False
    sample_cols = rows[1][:rows[0].index(next(g for g in rows[0][1:] if g))]
    if sample_cols[:7] != ["", "Rjct", "Data File", "Acq. Date-Time", "Type", "Level", "Sample Name"]:
        return False
    starts = [i for i, g in enumerate(rows[0]) if g] + [len(rows[0])]
    for a, b in zip(starts[1:-1], starts[2:]):
        label, measures = rows[0][a], rows[1][a:b]
        if re.fullmatch(r"\d+  [A-Z][a-z]?  \[ No Gas \] ", label):
            if measures[:2] != ["CPS", "CPS RSD"] or not re.fullmatch(r"Conc\. \[ pp[mb] \]", measures[2]) \
                    or measures[3] != "Conc. RSD" or len(measures) != 4:
                return False
        elif re.fullmatch(r"\d+  [A-Z][a-z]? \( ISTD \)  \[ No Gas \] ", label):
            if measures != ["CPS", "CPS RSD"]:
                return False
        else:
            return False
    types = {r[4] for r in rows[2:]}
    return types == {"CalBlk", "CalStd", "Sample"}


def check(result):
    """Asserts every range the issue asks of the example study; prints PASS lines."""
    failures = []

    def req(ok, text):
        print(("PASS " if ok else "FAIL ") + text)
        if not ok:
            failures.append(text)

    for kind in ("totals", "extracts"):
        req(masshunter_layout_ok(path(kind)), f"{FILES[kind]}: MassHunter batch-table layout")
    req(self_test_formulas(), "formulas reproduce worked case S1 (Ce*, Eu*, LREE/HREE, sums) to 1e-6")
    for kind, cols in TEMPLATES.items():
        with open(path(kind), encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        req(sorted(header) == sorted(cols.split(",")), f"{FILES[kind]}: header is the {kind} template")
    for kind in list(TEMPLATES) + ["totals", "extracts"]:
        with open(path(kind), encoding="utf-8") as f:
            got = detect_delimiter(f.read())
        want = ";" if kind == "extracts" else ","
        req(got == want, f"{FILES[kind]}: delimiter detected as '{got}'")

    ps = {c: v for c, v in result["per_sample"].items() if v["treatment"]}
    sums = [v["sum_ree_mg_kg"] for v in ps.values()]
    req(len(ps) == 15, "15 bulk samples, 5 per treatment")
    req(min(sums) >= 250 and max(sums) <= 1600,
        f"sum REE within 250-1600 mg/kg ({min(sums):.0f}-{max(sums):.0f})")
    bt = result["by_treatment"]
    sd = {t: bt[t]["sum_ree_mg_kg"]["sd"] for t in TREATMENTS}
    req(sd["ramie"] > 2 * max(sd["control"], sd["miscanthus"]),
        f"high spread of sum REE in ramie (SD {sd['ramie']:.0f} vs {sd['control']:.0f}, {sd['miscanthus']:.0f})")
    ce = {t: [ps[c]["ce_anomaly"] for c in bt[t]["samples"]] for t in TREATMENTS}
    req(min(ce["control"]) > 1, f"Ce* > 1 in every control sample (min {min(ce['control']):.3f})")
    req(bt["miscanthus"]["ce_anomaly"]["mean"] < bt["control"]["ce_anomaly"]["mean"],
        "Ce* lower in miscanthus than in control (means "
        f"{bt['miscanthus']['ce_anomaly']['mean']:.3f} < {bt['control']['ce_anomaly']['mean']:.3f})")
    n_low = sum(1 for x in ce["ramie"] if x < 1)
    req(1 <= n_low < 5, f"Ce* < 1 in some ramie samples ({n_low} of 5)")
    eu = [v["eu_anomaly"] for v in result["per_sample"].values()]
    req(max(eu) < 1, f"Eu* < 1 everywhere (max {max(eu):.3f})")
    lh = [v["lree_hree_ucc"] for v in result["per_sample"].values()]
    req(max(lh) < 1, f"UCC-normalized LREE/HREE < 1 everywhere (max {max(lh):.3f})")

    ex = result["extractability_by_treatment"]
    c_rng = ex["control"]["range_percent_non_ce_ree"]
    req(0.7 <= c_rng[0] and c_rng[1] <= 1.7,
        f"control extractable REEs (each non-Ce REE) within 0.7-1.7 % ({c_rng[0]:.2f}-{c_rng[1]:.2f})")
    c_sum = [e["sum_ree_percent"] for e in result["extractability"].values() if e["treatment"] == "control"]
    req(0.7 <= min(c_sum) and max(c_sum) <= 1.7,
        f"control extractable sum REE within 0.7-1.7 % ({min(c_sum):.2f}-{max(c_sum):.2f})")
    c_ce = ex["control"]["range_percent_ce"]
    req(0.1 <= c_ce[0] and c_ce[1] <= 0.2, f"control Ce extractable 0.1-0.2 % ({c_ce[0]:.3f}-{c_ce[1]:.3f})")
    req(all(e["censored_elements"] == [] for e in result["extractability"].values()
            if e["treatment"] == "control"), "no censored extract value in control")
    for t in ("miscanthus", "ramie"):
        req(ex[t]["range_percent_non_ce_ree"][1] < ex["control"]["range_percent_non_ce_ree"][0]
            and ex[t]["range_percent_ce"][1] < ex["control"]["range_percent_ce"][0],
            f"{t}: every extractability below the control's lowest")
    n_cens = sum(len(e["censored_elements"]) for e in result["extractability"].values())
    req(n_cens >= 3, f"some censored (<0.000) extract cells ({n_cens})")

    fc = result["size_fractions"]["classes"]
    want = {"250-2000 um": (58.1, 1.4), "50-250 um": (23.4, 1.0), "<50 um": (18.5, 0.4)}
    for c, (m, s) in want.items():
        got = fc[c]["mass_percent"]
        req(abs(got["mean"] - m) <= 0.5 and abs(got["sd"] - s) <= 0.3,
            f"fraction {c}: {got['mean']:.1f} +- {got['sd']:.1f} % (target {m} +- {s})")
    ef = fc["<50 um"]["enrichment_factor"]
    req(min(ef["La"], ef["Nd"], ef["Yb"]) > 1.5 and 1 < ef["Ce"] < min(ef["La"], ef["Nd"], ef["Yb"]),
        f"REEs enriched in <50 um, Ce less so (EF La {ef['La']:.2f}, Ce {ef['Ce']:.2f}, "
        f"Nd {ef['Nd']:.2f}, Yb {ef['Yb']:.2f})")
    rec = result["size_fractions"]["mass_balance_recovery_percent"]
    req(all(90 <= v <= 110 for v in rec.values()),
        f"mass-balance recovery 90-110 % ({min(rec.values()):.1f}-{max(rec.values()):.1f})")
    size = sum(os.path.getsize(path(k)) for k in FILES if os.path.exists(path(k)))
    req(size < 400_000, f"bundle small ({size} bytes)")
    return failures


def tidy(x):
    """Floats to 10 significant digits so the JSON reads well and diffs stay small."""
    if isinstance(x, float):
        return float(f"{x:.10g}")
    if isinstance(x, dict):
        return {k: tidy(v) for k, v in x.items()}
    if isinstance(x, list):
        return [tidy(v) for v in x]
    return x


def main():
    if "--check" not in sys.argv:
        generate()
    result = compute()
    with open(path("expected"), "w", encoding="utf-8") as f:
        json.dump(tidy(result), f, indent=1, sort_keys=True)
        f.write("\n")
    failures = check(result)
    if failures:
        print(f"{len(failures)} requirement(s) not met", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
