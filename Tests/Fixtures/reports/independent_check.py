#!/usr/bin/env python3
"""Independent expected numbers for Tests/ReportsTests (numpy/scipy, not the Swift code).

Run: python3 Tests/Fixtures/reports/independent_check.py
The tests quote these outputs; they were computed with numpy 1.x / scipy 1.17.1.
"""
import numpy as np
from scipy import stats

REE = ["La","Ce","Pr","Nd","Sm","Eu","Gd","Tb","Dy","Ho","Er","Tm","Yb","Lu"]
CI = dict(zip(REE+["Y"], [0.237,0.613,0.0928,0.457,0.148,0.0563,0.199,0.0361,0.246,0.0546,0.160,0.0247,0.161,0.0246,1.57]))
PAAS = dict(zip(REE+["Y"], [38.2,80,8.9,32,5.6,1.1,4.7,0.77,4.4,1.0,2.9,0.40,2.8,0.43,27]))
S1 = dict(zip(REE+["Y"], [45.2,98.7,10.9,41.3,7.85,1.42,6.91,1.02,5.88,1.19,3.41,0.49,3.22,0.47,31.5]))
S2 = dict(zip(REE+["Y"], [12.4,15.1,3.05,12.8,2.61,1.35,2.77,0.41,2.46,0.52,1.49,0.22,1.41,0.21,14.8]))

print("## geometric anomalies (CI, PAAS)")
for name, s in [("S1", S1), ("S2", S2)]:
    for rname, r in [("CI", CI), ("PAAS", PAAS)]:
        n = {e: s[e]/r[e] for e in s}
        print(name, rname, "Ce*geo=%.10f Eu*geo=%.10f" % (n["Ce"]/np.sqrt(n["La"]*n["Pr"]), n["Eu"]/np.sqrt(n["Sm"]*n["Gd"])))

print("## quantiles and tails (scipy)")
for p in [0.5, 0.975, 0.99, 1-0.05/6, 1-0.01/6, 1-0.05/12, 1e-10, 0.01]:
    print("qnorm(%r) = %.15g" % (p, stats.norm.ppf(p)))
for x, df in [(11.1044883303, 2), (3.5, 1), (7.2, 3), (25.0, 4), (0.3, 5), (60.0, 12)]:
    print("pchisq upper(%r, %d) = %.15g" % (x, df, stats.chi2.sf(x, df)))

print("## extractability")
# C1-S: soil 10.0 g, solution 20.0 g (no volume -> V = 20.0 mL at 1 g/mL); totals = S1.
extract1 = dict(zip(REE+["Y"], [0.150,0.080,0.030,0.120,0.025,0.006,0.022,0.003,0.018,0.004,0.010,None,0.009,0.0015,0.140]))
extract1_tm_dl = 0.001   # Tm '<0.001' -> half-dl 0.0005
V1, m1 = 20.0/1000, 10.0/1000
ext1 = {e: (extract1[e] if extract1[e] is not None else extract1_tm_dl/2) * V1 / m1 for e in extract1}
for e in ["La","Ce","Tm","Y"]:
    print("C1-S %s extractable=%.12g mg/kg, %%=%.12g" % (e, ext1[e], ext1[e]/S1[e]*100))
sum_ext1 = sum(ext1[e] for e in REE); sum_tot1 = sum(S1[e] for e in REE)
print("C1-S sumREE extractable=%.12g, %%=%.12g" % (sum_ext1, sum_ext1/sum_tot1*100))
# C2-S: soil 12.5 g, volume 25.3 mL (solution mass 25.0 g is ignored because a volume is logged); totals = S2.
extract2 = {e: 0.5*extract1[e] if extract1[e] is not None else None for e in extract1}
extract2["Tm"] = 0.0008
V2, m2 = 25.3/1000, 12.5/1000
ext2 = {e: extract2[e]*V2/m2 for e in extract2}
for e in ["La","Ce","Tm"]:
    print("C2-S %s extractable=%.12g mg/kg, %%=%.12g" % (e, ext2[e], ext2[e]/S2[e]*100))
sum_ext2 = sum(ext2[e] for e in REE); sum_tot2 = sum(S2[e] for e in REE)
print("C2-S sumREE extractable=%.12g, %%=%.12g" % (sum_ext2, sum_ext2/sum_tot2*100))
la = [ext1["La"]/S1["La"]*100, ext2["La"]/S2["La"]*100]
print("control La %% mean=%.12g sd=%.12g median=%.12g" % (np.mean(la), np.std(la, ddof=1), np.median(la)))

print("## size fractions (parent C1-S)")
classes = ["250-2000 um", "50-250 um", "<50 um"]
mass = np.array([[58.3, 23.1, 18.6], [56.9, 24.5, 18.6], [59.2, 22.6, 18.2]])   # rows = replicates 1..3
pct = mass / mass.sum(axis=1, keepdims=True) * 100
for j, c in enumerate(classes):
    print("%s mass%% mean=%.12g sd=%.12g" % (c, pct[:, j].mean(), pct[:, j].std(ddof=1)))
w = pct.mean(axis=0) / 100
conc = {
    "La": (45.2, [[30.1, 31.5, 29.8], [52.3, 50.9, 53.8], [110.2, 108.7, 112.5]]),
    "Fe": (15500, [[8000, 8200, 7900], [15000, 14800, 15500], [42000, 41000, 43000]]),
    "TOC": (0.30, [[0.12, 0.10, 0.11], [0.25, 0.27, 0.24], [0.80, 0.85, 0.78]]),
}
for q, (bulk, reps) in conc.items():
    means = [np.mean(r) for r in reps]
    ef = [m / bulk for m in means]
    rec = sum(wi * ci for wi, ci in zip(w, means)) / bulk * 100
    print("%s EF=%s recovery=%.12g" % (q, ", ".join("%.12g" % x for x in ef), rec))

print("## compact letters (a line-by-line Python port of multcompView::multcompLetters, R code)")
import itertools, random
def multcomp_letters(levels, diff_pairs):
    n = len(levels); M = [[True]*n]
    def absorb(A):
        k = len(A)
        for i in range(k-1):
            for j in range(i+1, k):
                if all(A[i][r] for r in range(n) if A[j][r]): return absorb(A[:j]+A[j+1:])
                if all(A[j][r] for r in range(n) if A[i][r]): return absorb(A[:i]+A[i+1:])
        return A
    for a, b in diff_pairs:
        ia, ib = levels.index(a), levels.index(b)
        ij = [c for c in range(len(M)) if M[c][ia] and M[c][ib]]
        if ij:
            A1 = [list(M[c]) for c in ij]
            for col in A1: col[ia] = False
            for c in ij: M[c][ib] = False
            M = absorb(M + A1)
    def first(col):
        t = [r for r, v in enumerate(col) if v]; return t[0] if t else 10**9
    def sortcols(B):
        B = [list(c) for c in B]
        B = [c for _, c in sorted(enumerate(B), key=lambda e: (first(e[1]), e[0]))]
        fr = [first(c) for c in B]; rows = len(B[0])
        for i in range(len(B)-1):
            if fr[i] == fr[i+1] and fr[i] < 10**9 and fr[i]+1 < rows:
                sub = sortcols([B[i][fr[i]+1:], B[i+1][fr[i]+1:]])
                B[i][fr[i]+1:] = sub[0]; B[i+1][fr[i]+1:] = sub[1]
        return B
    S = sortcols(M)
    L = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(L[c] for c in range(len(S)) if S[c][r]) for r in range(n)]
random.seed(7)
levels = ["A", "B", "C", "D", "E"]
pairs = list(itertools.combinations(levels, 2))
for trial in range(6):
    diff = [p for p in pairs if random.random() < 0.45]
    print(diff, multcomp_letters(levels, diff))
