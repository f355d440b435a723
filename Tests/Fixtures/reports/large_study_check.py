#!/usr/bin/env python3
"""Expected numbers of ReportBuilderTests.testLargeStudySummarizesPerSampleTablesAndWritesTheirCSV
(numpy, not the Swift code): the summary cells of a study above the per-sample limit.

Run: python3 Tests/Fixtures/reports/large_study_check.py
Samples "<plot>-S" of the small test lab get S1 (control, ramie) or S2 (miscanthus) times a factor;
R3-S has Eu < 0.05 (rule km keeps it at the DL: the sums are upper limits counted at their value).
Quantiles: numpy.percentile, method "linear" (R's type 7); cells at 3 significant figures.
"""
import numpy as np

REE = ["La","Ce","Pr","Nd","Sm","Eu","Gd","Tb","Dy","Ho","Er","Tm","Yb","Lu"]
S1 = dict(zip(REE+["Y"], [45.2,98.7,10.9,41.3,7.85,1.42,6.91,1.02,5.88,1.19,3.41,0.49,3.22,0.47,31.5]))
S2 = dict(zip(REE+["Y"], [12.4,15.1,3.05,12.8,2.61,1.35,2.77,0.41,2.46,0.52,1.49,0.22,1.41,0.21,14.8]))
FACTORS = {"C": [1.0, 1.2, 0.9], "M": [1.0, 1.5, 0.8], "R": [2.0, 2.5, 1.7]}

def sig3(x):
    """3 significant figures as printf would print them ("%.*f" at the place of the third figure)."""
    place = 2 - int(np.floor(np.log10(abs(x))))
    if abs(round(x, place)) >= 10 ** (3 - place):
        place -= 1
    return "%.*f" % (max(place, 0), round(x, place) if place < 0 else x)

def cell(values):
    q25, med, q75 = np.percentile(values, [25, 50, 75])
    return "%s (%s–%s)" % (sig3(med), sig3(q25), sig3(q75))

for prefix, treatment in [("C", "control"), ("M", "miscanthus"), ("R", "ramie")]:
    base = S2 if prefix == "M" else S1
    sums, yho = [], []
    for i, f in enumerate(FACTORS[prefix]):
        v = {e: base[e] * f for e in base}
        if prefix == "R" and i == 2:
            v["Eu"] = 0.05
        sums.append(sum(v[e] for e in REE))
        yho.append(v["Y"] / v["Ho"])
    print(treatment, "sum_ree", cell(sums), "y_ho", cell(yho))

# Measured totals summary, Eu: the detected values of all samples (R3-S is < DL).
eu = []
for prefix in ["C", "M", "R"]:
    base = S2 if prefix == "M" else S1
    for i, f in enumerate(FACTORS[prefix]):
        if not (prefix == "R" and i == 2):
            eu.append(base["Eu"] * f)
print("Eu detected", len(eu), cell(eu))
