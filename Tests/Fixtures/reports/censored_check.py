#!/usr/bin/env python3
"""Independent check of the censored-data statistics and REE shape numbers of the reports.

Run by hand (`python3 Tests/Fixtures/reports/censored_check.py`); the Swift tests
(Tests/ReportsTests/CensoredStatisticsTests.swift, GeochemistryShapeTests.swift) hard-code what it prints.
Needs numpy, scipy, lifelines (`pip install lifelines`) and pyrolite (`pip install pyrolite`).

- Kaplan–Meier for left-censored data, Helsel's "flipped" form: x' = M − x, a value < DL becomes a
  right-censored x' = M − DL, lifelines' KaplanMeierFitter estimates S(x'), and the estimates are
  flipped back. Mean = M − ∫₀^{max x'} S (the remaining mass sits at the lowest value, as Efron's
  correction); SD = √(n/(n−1) · Σ pᵢ (xᵢ − mean)²) over the KM jumps (equals the sample SD without
  censoring); median = the smallest x with F(x) ≥ 0.5 (midpoint with the next value when F = 0.5 exactly).
- Robust ROS (Helsel & Cohn 1988 plotting positions for multiple DLs, lognormal fit by OLS of ln x on
  normal scores of the detects), written here in numpy from the formulas (not wqio's code).
- Peto–Peto k-sample test = survival::survdiff(rho = 1) on the flipped data, as NADA::cendiff:
  weights S(t−) of the pooled KM, variance with the hypergeometric term; written here in numpy.
  lifelines' multivariate_logrank_test(weightings="peto") is printed beside it for comparison.
- Benjamini–Hochberg adjusted pairwise p values (R's p.adjust "BH").
- O'Neill (2016) lambdas by pyrolite's lambda_lnREE (norm ChondriteREE_ON, exclude Ce and Eu).
"""
import numpy as np
from scipy import stats
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

# Fixture: three groups with 20 %, 40 % and 60 % censoring, two detection limits, ties among detects
# and a detect equal to a detection limit (1.0). (value, censored)
GROUPS = {
    "control": [(0.8, False), (0.5, True), (1.2, False), (1.2, False), (2.5, False), (0.5, True),
                (3.1, False), (1.9, False), (1.0, False), (4.4, False)],
    "miscanthus": [(0.5, True), (1.0, True), (0.6, False), (1.2, False), (0.5, True), (2.2, False),
                   (1.2, False), (1.0, True), (3.0, False), (0.7, False)],
    "ramie": [(1.0, True), (0.5, True), (0.5, True), (0.55, False), (1.0, True), (0.9, False),
              (0.5, True), (1.1, False), (1.0, True), (0.6, False)],
}


def km_flipped(data):
    x = np.array([v for v, _ in data]); cens = np.array([c for _, c in data])
    M = x.max() + 1.0
    y = M - x
    kmf = KaplanMeierFitter().fit(y, event_observed=~cens)
    sf = kmf.survival_function_["KM_estimate"]
    times = sf.index.values; S = sf.values
    ymax = y.max()
    # ∫0^ymax S(y) dy with the step function S.
    grid = np.append(times[times <= ymax], ymax)
    area = 0.0
    for a, b in zip(grid[:-1], grid[1:]):
        area += S[np.searchsorted(times, a, side="right") - 1] * (b - a)
    mean = M - area
    # Jumps: probability mass at each detected value; the rest at the lowest value.
    xs, ps = [], []
    prev = 1.0
    for t, s in zip(times, S):
        if t == 0:
            continue
        if s < prev - 1e-15:
            xs.append(M - t); ps.append(prev - s)
        prev = s
    if prev > 1e-15:
        xs.append(x.min()); ps.append(prev)
    xs = np.array(xs); ps = np.array(ps)
    n = len(data)
    sd = np.sqrt(n / (n - 1) * np.sum(ps * (xs - mean) ** 2))
    # CDF F(x) = P(X <= x) over ascending support.
    order = np.argsort(xs); xs, ps = xs[order], ps[order]
    F = np.cumsum(ps)
    i = int(np.argmax(F >= 0.5 - 1e-12))
    median = xs[i]
    if abs(F[i] - 0.5) < 1e-12 and i + 1 < len(xs):
        median = (xs[i] + xs[i + 1]) / 2
    return mean, sd, median, cens.mean()


def ros(data):
    x = np.array([v for v, _ in data]); cens = np.array([c for _, c in data])
    dls = np.unique(x[cens])
    if (x[~cens] < dls.min()).any():
        dls = np.concatenate([[0.0], dls])
    m = len(dls)
    A = np.zeros(m); B = np.zeros(m); C = np.zeros(m)
    for j in range(m):
        upper = dls[j + 1] if j + 1 < m else np.inf
        A[j] = np.sum((~cens) & (x >= dls[j]) & (x < upper))
        B[j] = np.sum((~cens) & (x < dls[j])) + np.sum(cens & (x <= dls[j]))
        C[j] = np.sum(cens & (x == dls[j]))
    PE = np.zeros(m + 1)
    for j in range(m - 1, -1, -1):
        PE[j] = PE[j + 1] + (A[j] / (A[j] + B[j]) if A[j] + B[j] > 0 else 0) * (1 - PE[j + 1])
    pp = np.zeros(len(x))
    for j in range(m):
        upper = dls[j + 1] if j + 1 < m else np.inf
        det = np.where((~cens) & (x >= dls[j]) & (x < upper))[0]
        det = det[np.argsort(x[det], kind="stable")]
        for r, i in enumerate(det, start=1):
            pp[i] = (1 - PE[j]) + (PE[j] - PE[j + 1]) * r / (A[j] + 1)
        nd = np.where(cens & (x == dls[j]))[0]
        for r, i in enumerate(nd, start=1):
            pp[i] = (1 - PE[j]) * r / (C[j] + 1)
    z = stats.norm.ppf(pp)
    slope, intercept = np.polyfit(z[~cens], np.log(x[~cens]), 1)
    full = x.copy()
    full[cens] = np.exp(intercept + slope * z[cens])
    return full.mean(), full.std(ddof=1), np.median(full), intercept, slope


def peto_peto(groups):
    """survdiff(rho = 1) on flipped data: returns chi2, df, p."""
    allx = np.concatenate([[v for v, _ in g] for g in groups])
    M = allx.max() + 1.0
    y, ev, gi = [], [], []
    for k, g in enumerate(groups):
        for v, c in g:
            y.append(M - v); ev.append(not c); gi.append(k)
    y = np.array(y); ev = np.array(ev); gi = np.array(gi)
    K = len(groups)
    times = np.unique(y[ev])
    OE = np.zeros(K); V = np.zeros((K, K))
    km = 1.0
    for t in times:
        risk = y >= t
        n = risk.sum(); d = np.sum(ev & (y == t))
        nk = np.array([np.sum(risk & (gi == k)) for k in range(K)])
        dk = np.array([np.sum(ev & (y == t) & (gi == k)) for k in range(K)])
        w = km
        OE += w * (dk - nk * d / n)
        if n > 1:
            f = w * w * d * (n - d) / (n - 1)
            V += f * (np.diag(nk / n) - np.outer(nk, nk) / n ** 2)
        km *= (n - d) / n
    oe = OE[:-1]; v = V[:-1, :-1]
    chi2 = float(oe @ np.linalg.solve(v, oe))
    return chi2, K - 1, stats.chi2.sf(chi2, K - 1)


def bh(p):
    p = np.asarray(p, float); n = len(p)
    order = np.argsort(p)[::-1]
    adj = np.minimum.accumulate(p[order] * n / np.arange(n, 0, -1))
    out = np.empty(n); out[order] = np.minimum(adj, 1)
    return out


print("# Kaplan–Meier (flipped; lifelines", __import__("lifelines").__version__ + ")")
for name, data in GROUPS.items():
    mean, sd, median, share = km_flipped(data)
    print(f"{name}: KM mean {mean:.10f} sd {sd:.10f} median {median:.10f} censored {share:.2f}")
print("# robust ROS (own numpy)")
for name, data in GROUPS.items():
    mean, sd, median, a, b = ros(data)
    print(f"{name}: ROS mean {mean:.10f} sd {sd:.10f} median {median:.10f} intercept {a:.10f} slope {b:.10f}")
print("# Peto–Peto (survdiff rho = 1, own numpy)")
names = list(GROUPS)
chi2, df, p = peto_peto([GROUPS[n] for n in names])
print(f"k-sample: chi2 {chi2:.10f} df {df} p {p:.10f}")
pairs = [(0, 1), (0, 2), (1, 2)]
raw = []
for i, j in pairs:
    c, _, pp = peto_peto([GROUPS[names[i]], GROUPS[names[j]]])
    raw.append(pp)
    print(f"{names[i]} vs {names[j]}: chi2 {c:.10f} p {pp:.10f}")
print("BH adjusted:", " ".join(f"{q:.10f}" for q in bh(raw)))
# lifelines' Peto weighting, for comparison only (its weights may differ from survdiff's S(t−)).
ally = []; allg = []; alle = []
M = max(v for g in GROUPS.values() for v, _ in g) + 1.0
for name, data in GROUPS.items():
    for v, c in data:
        ally.append(M - v); allg.append(name); alle.append(not c)
res = multivariate_logrank_test(np.array(ally), np.array(allg), np.array(alle), weightings="peto")
print(f"lifelines multivariate_logrank_test(weightings='peto'): chi2 {res.test_statistic:.10f} p {res.p_value:.10f}")

print("# O'Neill (2016) lambdas (pyrolite lambda_lnREE, ChondriteREE_ON, exclude Ce, Eu)")
import pandas as pd
from pyrolite.geochem.norm import get_reference_composition  # noqa: F401  (pyrolite registers .pyrochem)
import pyrolite.geochem  # noqa: F401
REE = ["La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu"]
S1 = [45.2, 98.7, 10.9, 41.3, 7.85, 1.42, 6.91, 1.02, 5.88, 1.19, 3.41, 0.49, 3.22, 0.47]
S2 = [12.4, 15.1, 3.05, 12.8, 2.61, 1.35, 2.77, 0.41, 2.46, 0.52, 1.49, 0.22, 1.41, 0.21]
df = pd.DataFrame([S1, S2], columns=REE, index=["S1", "S2"])
lam = df.pyrochem.lambda_lnREE(exclude=["Ce", "Eu"], degree=4)
for idx, row in lam.iterrows():
    print(idx, " ".join(f"{v:.8f}" for v in row.values))

print("# anomalies of S1 against pyrolite's UCC_RG2014 and PAAS_Pourmand2012 (checks the built-in values too)")
from pyrolite.geochem.norm import get_reference_composition as ref
S1Y = dict(zip(REE + ["Y"], S1 + [31.5]))
for name in ["UCC_RG2014", "PAAS_Pourmand2012"]:
    r = ref(name); r.set_units("ppm")
    N = {e: S1Y[e] / float(r.comp[e]) for e in S1Y}
    ce_a = 2 * N["Ce"] / (N["La"] + N["Pr"]); eu_a = 2 * N["Eu"] / (N["Sm"] + N["Gd"])
    la_a = N["La"] / (3 * N["Pr"] - 2 * N["Nd"]); gd_a = N["Gd"] / (2 * N["Tb"] - N["Dy"])
    la_g = N["La"] / (N["Pr"] ** 3 / N["Nd"] ** 2); gd_g = N["Gd"] / (N["Tb"] ** 2 / N["Dy"])
    print(f"{name}: Ce/Ce* {ce_a:.10f} Eu/Eu* {eu_a:.10f} La/La* {la_a:.10f} Gd/Gd* {gd_a:.10f} "
          f"La/La* geo {la_g:.10f} Gd/Gd* geo {gd_g:.10f} Y/Ho {S1Y['Y'] / S1Y['Ho']:.10f}")
