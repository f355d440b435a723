#!/usr/bin/env python3
"""Independent counts of the real exports in ../shared/fixtures/instruments (python3 csv module,
written without the Swift code): samples, analyte lines, QC rows, sample values, QC values and
censored cells, with the rules stated in README "Importing instrument results":
- only concentration columns count (MassHunter `Conc. [ ppb ]`, Qtegra `ExtCal.Average`,
  ICP Expert `Corr Con`, PerkinElmer `Reported Conc`); internal standards excluded;
- QC rows: by the type column (CalBlk/Blk/CalStd/Std/LCS), else by label (BLANK, Deriv = drift
  check, OREAS/ORREAS CRMs, labels ending in a ppb/ppm concentration, MassHunter name "0");
- long files: a run ends when the label changes or an analyte repeats;
- censored: cells starting with '<' or '>', ICP Expert flags u / x."""
import csv, re, sys, os

base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../../../shared/fixtures/instruments')

def is_qc_label(label):
    u = label.strip().upper()
    words = set(re.split(r'[^A-Z0-9]+', u))
    return (u.startswith('OREAS') or u.startswith('ORREAS') or 'BLANK' in words or 'DERIV' in words
            or re.search(r'\d\s*(PPB|PPM)$', u) is not None)

def report(name, samples, lines, qc_rows, sample_values, qc_values, censored):
    print(f"{name}: samples={len(samples)} analytes={len(lines)} qc_rows={qc_rows} "
          f"sample_values={sample_values} qc_values={qc_values} censored={censored}")

# MassHunter
rows = list(csv.reader(open(os.path.join(base, 'agilent7900_masshunter_User_Raw.csv'), newline=''), delimiter=';'))
groups, g = [], ''
for top in rows[0]:
    g = top.strip() or g
    groups.append(g)
conc = [i for i, h in enumerate(rows[1]) if h.startswith('Conc. [') and 'ISTD' not in groups[i]]
samples, qc, sv, qv, cens = set(), 0, 0, 0, 0
for r in rows[2:]:
    name, typ = r[6].strip(), r[4]
    is_qc = typ != 'Sample' or name in ('', '0') or is_qc_label(name)
    qc += is_qc
    if not is_qc: samples.add(name)
    for i in conc:
        if is_qc: qv += 1
        else: sv += 1
        cens += r[i].startswith('<')
report('masshunter', samples, {groups[i] for i in conc}, qc, sv, qv, cens)

# Qtegra
rows = list(csv.reader(open(os.path.join(base, 'thermo_qtegra_icpoes_semicolon_AR20200205Aliquots.csv'), newline='', encoding='utf-8-sig'), delimiter=';'))
conc = [i for i in range(2, len(rows[0])) if rows[0][i] == 'ExtCal.Average']
samples, qc, sv, qv, cens = set(), 0, 0, 0, 0
for r in rows[4:]:
    is_qc = is_qc_label(r[1])
    qc += is_qc
    if not is_qc: samples.add(r[1].strip())
    for i in conc:
        if is_qc: qv += 1
        else: sv += 1
        cens += r[i].startswith('<')
report('qtegra', samples, {rows[2][i] for i in conc}, qc, sv, qv, cens)

# Long files: runs
def long_counts(name, rows, label_i, type_i, analyte_i, value_i, flags_i=None, qc_types=()):
    samples, lines, qc, sv, qv, cens = set(), set(), 0, 0, 0, 0
    prev, seen, run_qc = None, set(), False
    for r in rows:
        label, analyte = r[label_i].strip(), r[analyte_i].strip()
        if label != prev or analyte in seen:
            prev, seen = label, set()
            run_qc = (type_i is not None and r[type_i] in qc_types) or is_qc_label(label)
            qc += run_qc
        seen.add(analyte)
        lines.add(analyte)
        if run_qc: qv += 1
        else:
            sv += 1
            samples.add(label)
        flags = r[flags_i] if flags_i is not None else ''
        cens += r[value_i].startswith('<') or r[value_i].startswith('>') or 'u' in flags or 'x' in flags
    print(f"{name}: samples={len(samples)} analytes={len(lines)} qc_rows={qc} sample_values={sv} qc_values={qv} censored={cens}")

rows = list(csv.reader(open(os.path.join(base, 'varian_vistapro_icpexpert_export.csv'), newline='')))
long_counts('icp-expert', rows[1:], 0, 4, 5, 9, 6, ('Blk', 'Std', 'LCS'))
rows = list(csv.reader(open(os.path.join(base, 'perkinelmer_winlab32_optima8300_PinAAcle900H.csv'), newline='')))
long_counts('perkinelmer', rows[1:], 0, None, 1, 4)
