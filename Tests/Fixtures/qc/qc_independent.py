#!/usr/bin/env python3
"""Independent QC figures (numpy + the csv module, written without the Swift code) for the QC tests:
(a) the project's own run `qc_run_small.csv` (values invented): blank LOD/LOQ, CRM recovery against
    the seeded NIST SRM 2709a reference values (La 19.89, Ce 40.89 mg/kg, Byers et al. 2016), duplicate
    RPDs with the DL rule, CCV recovery from the label (50 ppb = 0.05 mg/L);
(b) the shared Varian ICP Expert export: Lab Control Sample recovery along the run, relative to the
    first one (no expected value in its label);
(c) the shared PerkinElmer PinAAcle export: the OREAS 600 Au control chart (mean, SD of all points,
    z of each) and the Westgard rules that fire, implemented here from Westgard et al. (1981).
Run: python3 qc_independent.py ../../../../shared/fixtures/instruments"""
import csv, os, sys
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
base = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '../../../../shared/fixtures/instruments')

# (a)
rows = list(csv.DictReader(open(os.path.join(here, 'qc_run_small.csv'))))
def vals(label, analyte):
    return [float(r['value']) for r in rows if r['sample'] == label and r['analyte'] == analyte and not r['value'].startswith('<')]
for analyte in ('La', 'Ce'):
    v = np.array([x for b in ('BLANK 1', 'BLANK 2', 'BLANK 3') for x in vals(b, analyte)])
    sd = v.std(ddof=1)
    print(f"blank {analyte}: n={len(v)} mean={v.mean():.10g} sd={sd:.10g} lod={3*sd:.10g} loq={10*sd:.10g}")
for analyte, cert in (('La', 19.89), ('Ce', 40.89)):
    rec = vals('NIST 2709a', analyte)[0] / cert * 100
    print(f"crm {analyte}: recovery={rec:.10g} pass={90 <= rec <= 110}")
for dup, orig, analyte in (('C1-S D', 'C1-S', 'La'), ('C1-S D', 'C1-S', 'Ce'), ('C2-S D', 'C2-S', 'La')):
    a, b = vals(orig, analyte)[0], vals(dup, analyte)[0]
    rpd = abs(a - b) / ((a + b) / 2) * 100
    dl = 0.05
    limit = 20 if min(a, b) >= 10 * dl else 40 if min(a, b) >= 5 * dl else None
    print(f"rpd {dup} {analyte}: rpd={rpd:.10g} limit={limit} pass={rpd <= limit if limit else None}")
for analyte in ('La', 'Ce'):
    rec = vals('CCV 50 ppb', analyte)[0] / 0.05 * 100
    print(f"ccv {analyte}: recovery={rec:.10g} pass={90 <= rec <= 110}")

# (b)
rows = list(csv.reader(open(os.path.join(base, 'varian_vistapro_icpexpert_export.csv'), newline='')))
h = rows[0]
label_i, type_i, el_i, conc_i = h.index('Solution Label'), h.index('Type'), h.index('Element'), h.index('Corr Con')
first, recs = {}, {}
for r in rows[1:]:
    if r[type_i] != 'LCS' or not r[conc_i].strip() or r[conc_i].strip().startswith(('<', '>', '-')) and not r[conc_i].strip()[1:2].isdigit():
        continue
    el = r[el_i].strip()
    v = float(r[conc_i])
    first.setdefault(el, v)
    recs.setdefault(el, []).append(v / first[el] * 100)
for el in sorted(recs):
    print(f"drift {el}: n={len(recs[el])} recoveries=" + ' '.join(f'{x:.6f}' for x in recs[el]))

# (c)
rows = list(csv.reader(open(os.path.join(base, 'perkinelmer_winlab32_optima8300_PinAAcle900H.csv'), newline='')))
au = [float(r[4]) for r in rows[1:] if r[0].replace('-', ' ').split()[0] == 'ORREAS' and r[1].startswith('Au')]
x = np.array(au)
m, s = x.mean(), x.std(ddof=1)
z = (x - m) / s
def rules(z):
    out = []
    for i in range(len(z)):
        f = []
        if abs(z[i]) > 2: f.append('1-2s')
        if abs(z[i]) > 3: f.append('1-3s')
        if i >= 1 and ((z[i] > 2 and z[i-1] > 2) or (z[i] < -2 and z[i-1] < -2)): f.append('2-2s')
        if i >= 1 and ((z[i] > 2 and z[i-1] < -2) or (z[i] < -2 and z[i-1] > 2)): f.append('R-4s')
        if i >= 3 and (all(z[i-3:i+1] > 1) or all(z[i-3:i+1] < -1)): f.append('4-1s')
        if i >= 9 and (all(z[i-9:i+1] > 0) or all(z[i-9:i+1] < 0)): f.append('10-x')
        out.append(f)
    return out
print(f"chart OREAS 600 Au: n={len(x)} mean={m:.10g} sd={s:.10g} z=" + ' '.join(f'{v:.6f}' for v in z))
print("rules: " + ' | '.join(','.join(r) or '-' for r in rules(z)))
