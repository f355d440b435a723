#!/usr/bin/env python3
"""Independent counts of the second-round real exports in ../shared/fixtures/instruments
(python csv module and openpyxl, written without looking at the Swift readers), with the rules
stated in README "Importing instrument results":

- only concentration cells count as values (empty concentration cells count too: stored as `nm`);
  intensities, RSD/SD and internal-standard lines are not values;
- QC rows: by the instrument's type column (CalBlk/CalStd, Shimadzu CAL1..CALn: CAL labelled Blank
  is the calibration blank), else by the name: blank words (BLANK, BLK, a word ending in BLK such as
  rBLK), CHECK and QC (check standards -> ccv), names ending in a ppb/ppm concentration (standards);
- a long file's run ends when the name changes or a line repeats;
- censored = cells starting with '<' or '>' or an over-range word; bracketed numbers `[0.00]` are
  measured values with a flag, not censored.
Prints one line per file; the Swift tests hard-code these numbers."""
import csv, os, re, sys
from collections import Counter

import openpyxl

base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '../../../../shared/fixtures/instruments')


def qc_type_by_name(label):
    u = label.strip().upper()
    words = [w for w in re.split(r'[^A-Z0-9]+', u) if w]
    if any(w in ('BLANK', 'BLK') or w.endswith('BLK') for w in words):
        return 'blank'
    if 'CHECK' in words or u == 'QC' or u.startswith('QC '):
        return 'ccv'
    if re.search(r'\d\s*(PPB|PPM)$', u):
        return 'cal_std'
    return None


def censored(text):
    t = str(text).strip().lower()
    return t.startswith('<') or t.startswith('>') or t in ('or', 'over', 'sat', 's')


def report(name, samples, analytes, qc, sample_values, qc_values, cens, istd=0):
    qc_text = ' '.join(f'{k}={v}' for k, v in sorted(qc.items()))
    print(f"{name}: samples={len(samples)} analytes={len(analytes)} qc_rows={sum(qc.values())} [{qc_text}] "
          f"sample_values={sample_values} qc_values={qc_values} censored={cens} istd_readings={istd}")


# PerkinElmer NexION Syngistix workbook, sheet "Concentrations": two header blocks.
ws = openpyxl.load_workbook(os.path.join(base, 'perkinelmer_nexion350x_syngistix.xlsx'), data_only=True)['Concentrations']
samples, analytes, qc, sv, qv, cens = set(), set(), Counter(), 0, 0, 0
columns = []
for row in ws.iter_rows(values_only=True):
    name = row[1]
    if name is None or str(name).strip() == '':
        continue
    if str(name).strip() == 'Sample Id':
        columns = [i for i in range(7, len(row)) if row[i] is not None and str(row[i]).strip()]
        analytes |= {str(row[i]).split('\n')[0].strip() for i in columns}
        continue
    if str(name).strip().lower() == 'calibration curves':
        continue
    kind = qc_type_by_name(str(name))
    if kind:
        qc[kind] += 1
    else:
        samples.add(str(name).strip())
    for i in columns:
        if kind:
            qv += 1
        else:
            sv += 1
        cens += row[i] is not None and censored(row[i])
report('syngistix-xlsx', samples, analytes, qc, sv, qv, cens)

# Agilent 8900 MassHunter workbook: group row 3, measures row 4, Type column C, Sample Name column D.
ws = openpyxl.load_workbook(os.path.join(base, 'agilent8900_masshunter_jpquast.xlsx'), data_only=True).worksheets[0]
rows = list(ws.iter_rows(values_only=True))
groups, current = [], ''
for cell in rows[2]:
    if cell is not None and str(cell).strip():
        current = str(cell).strip()
    groups.append(current)
conc = [i for i, h in enumerate(rows[3]) if h is not None and str(h).startswith('Conc. [') and 'ISTD' not in groups[i]]
samples, qc, sv, qv, cens = set(), Counter(), 0, 0, 0
for r in rows[4:]:
    if all(c is None or str(c).strip() == '' for c in r):
        continue
    typ, name = str(r[2] or ''), str(r[3] or '').strip()
    kind = {'CalBlk': 'cal_blank', 'CalStd': 'cal_std'}.get(typ) or qc_type_by_name(name)
    if kind:
        qc[kind] += 1
    else:
        samples.add(name)
    for i in conc:
        if kind:
            qv += 1
        else:
            sv += 1
        cens += r[i] is not None and censored(r[i])
report('agilent8900-xlsx', samples, {groups[i] for i in conc}, qc, sv, qv, cens)

# PerkinElmer WinLab32 rawDataDemo (long, ragged, no unit column), with Sc as the internal standard:
# value = Reported Conc (Samp), else Reported Conc (Calib).
rows = list(csv.reader(open(os.path.join(base, 'perkinelmer_winlab32_optima_rawDataDemo.csv'), newline='')))
h = rows[0]
samp, calib = h.index('Reported Conc (Samp)'), h.index('Reported Conc (Calib)')
samples, analytes, qc, sv, qv, cens, istd = set(), set(), Counter(), 0, 0, 0, 0
prev, seen, kind = None, set(), None
for r in rows[1:]:
    label, line = r[0].strip(), r[1].strip()
    if label != prev or line in seen:
        prev, seen = label, set()
        kind = qc_type_by_name(label)
        if kind:
            qc[kind] += 1
    seen.add(line)
    if line.split()[0] == 'Sc':
        istd += 1
        continue
    analytes.add(line)
    value = r[samp].strip() or r[calib].strip()
    if kind:
        qv += 1
    else:
        sv += 1
        samples.add(label)
    cens += censored(value) if value else 0
report('winlab32-rawdata', samples, analytes, qc, sv, qv, cens, istd)

# Shimadzu ICPE-9000: no header, tab; kind col 2, name col 3, element col 7, wavelength col 9, conc col 12.
rows = list(csv.reader(open(os.path.join(base, 'shimadzu_icpe9000_icp_output.csv'), newline=''), delimiter='\t'))
samples, analytes, qc, sv, qv, cens = set(), set(), Counter(), 0, 0, 0
prev, seen, kind = None, set(), None
for r in rows:
    label, line = r[2].strip(), f'{r[6].strip()} {r[8].strip()}'
    if label != prev or line in seen:
        prev, seen = label, set()
        if r[1].startswith('CAL'):
            kind = 'cal_blank' if 'blank' in label.lower() else 'cal_std'
        else:
            kind = qc_type_by_name(label)
        if kind:
            qc[kind] += 1
    seen.add(line)
    analytes.add(line)
    if kind:
        qv += 1
    else:
        sv += 1
        samples.add(label)
    cens += censored(r[11]) if r[11].strip() else 0
report('shimadzu-icpe', samples, analytes, qc, sv, qv, cens)

# Rigaku Supermini XRF: names in row 1 (every other column), units in row 2, statistics rows after the data.
rows = list(csv.reader(open(os.path.join(base, 'rigaku_supermini_xrf_BOG.csv'), newline='')))
cols = [i for i, c in enumerate(rows[0]) if c.strip()]
stats = {'number', 'average', 'maximum', 'minimum', 'range', 'std dev.', 'rsd(%)'}
samples, qc, sv, cens = set(), Counter(), 0, 0
for r in rows[2:]:
    if r[0].strip().lower() in stats:
        continue
    samples.add(r[0].strip())
    for i in cols:
        sv += 1
        cens += censored(r[i])
report('rigaku-xrf', samples, {rows[0][i] for i in cols}, qc, sv, 0, cens)
