#!/usr/bin/env python3
"""Independent expected values for horiba_ultima_ree.csv read with horiba_ultima.profile.csv.

Reads the export with Python's csv module (not the LIMS code): header on row 3, units on row 4,
data from row 5, ';' delimiter, decimal comma. Concentrations are converted to mg/L (µg/L × 0.001)
and multiplied by the row's Dil factor (values and LODs). Rows named Mean are skipped. QC rows are
the lab's QC solutions of this run (named here by hand, as a technician reads the run sheet).
Prints one line per sample value: code analyte value detection_limit qualifier dilution, then counts.
Run: python3 expected_horiba_ultima.py
"""
import csv
import pathlib

HERE = pathlib.Path(__file__).parent
rows = list(csv.reader(open(HERE / "horiba_ultima_ree.csv", encoding="utf-8", newline=""), delimiter=";"))
header, units, data = rows[2], rows[3], rows[4:]
to_mg_l = {"mg/L": 1.0, "µg/L": 0.001}
qc = {"Blank": "blank", "Std 1 mg/L": "cal_std", "OREAS 45d": "crm", "LFB 1": "spike", "CCV": "ccv"}
# Instrument names → registered codes: an alias (Tail 03) and a dilution suffix (T-02 x10, not multiplied).
codes = {"T-01": "T-01", "T-02 x10": "T-02", "Tail 03": "T-03", "T-04": "T-04", "T-05": "T-05"}
analytes = [(i, h.split()[0]) for i, h in enumerate(header) if h and h[:2] in ("Ce", "La", "Nd") and not h.endswith("LOD")]

def number(text):
    return float(text.replace(",", "."))

counts = {"values": 0, "censored": 0, "qc_rows": {}, "qc_values": 0, "negative": 0}
for row in data:
    label = row[0]
    if label == "Mean":
        continue
    dil = number(row[3]) if row[3] else 1.0
    if label in qc:
        counts["qc_rows"][qc[label]] = counts["qc_rows"].get(qc[label], 0) + 1
        counts["qc_values"] += len(analytes)
        counts["qc_censored"] = counts.get("qc_censored", 0) + sum(
            row[i].startswith("<") or row[i].lower() == "n.d." for i, _ in analytes)
        continue
    for i, element in analytes:
        factor = to_mg_l[units[i]] * dil
        text, lod = row[i], number(row[i + 1]) * factor
        if text.startswith("<"):
            value, qualifier, lod = None, "<", number(text[1:]) * factor
            counts["censored"] += 1
        else:
            value, qualifier = number(text) * factor, "="
            counts["negative"] += value < 0
        counts["values"] += 1
        print(codes[label], element, "NULL" if value is None else repr(value), repr(lod), qualifier, dil)
print("counts", counts)
