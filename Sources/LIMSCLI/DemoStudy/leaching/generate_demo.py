#!/usr/bin/env python3
"""Generates the demo sheets of the leaching and seepage experiments (invented but plausible
numbers, see README.md) and computes their key results independently of the Swift code
(numpy/scipy) into expected.json, which the tests compare with `lims report`.

Run from this folder: python3 generate_demo.py
"""
import csv, json, math
import numpy as np
from scipy.optimize import curve_fit
from scipy.integrate import quad, trapezoid

rng = np.random.default_rng(7)
out = {}

def write(name, header, rows):
    with open(name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)

# ---------------------------------------------------------------- leaching runs
MASS, T_ION = 1500.0, 520.0
runs = [
    ["CL-1", "COL-S", "conventional", "lab column", 1500, 8, 20, 1.49, "(NH4)2SO4", 2, 3000, 0.5, "", "", "", 520, "", "2024-03-04", "conventional column, 2 % ammonium sulfate"],
    ["EK-1", "COL-S", "electrokinetic", "lab column", 1500, 8, 20, 1.49, "(NH4)2SO4", 2, 3000, 0.5, 1, 12, 12, 520, "CL-1", "2024-03-11", "electrokinetic, 1 V/cm, 12 h on / 12 h off"],
]
write("leaching-runs.csv", ["run", "soil_sample", "method", "scale", "soil_mass_g", "column_diameter_cm", "column_height_cm",
      "bulk_density_g_cm3", "electrolyte", "electrolyte_percent", "electrolyte_volume_ml", "flow_rate_ml_min",
      "voltage_gradient_v_cm", "power_on_h", "power_off_h", "t_ion_mg_kg", "reference_run", "started_on", "notes"], runs)

times = [6, 12, 24, 36, 48, 72, 96]
volumes = [180, 180, 360, 360, 360, 720, 720]   # 0.5 mL/min
# cumulative fraction of T_ion leached: Fmax (1 - exp(-t/tau))
kinetics = {"CL-1": (0.78, 20.0), "EK-1": (0.88, 10.0)}
# impurities leached in total (mg/kg) spread like the REEs; EK-1 leaches less Al/Fe/Ca
impurity_totals = {"CL-1": {"Al": 95.0, "Fe": 12.0, "Ca": 60.0, "K": 35.0, "Na": 18.0, "Mn": 4.0},
                   "EK-1": {"Al": 52.0, "Fe": 5.5, "Ca": 41.0, "K": 30.0, "Na": 16.0, "Mn": 2.2}}
leachate_rows = []
expected_runs = {}
for run, (fmax, tau) in kinetics.items():
    prev = 0.0
    series, totals = [], {}
    substituted = 0
    for i, (t, v) in enumerate(zip(times, volumes)):
        frac = fmax * (1 - math.exp(-t / tau))
        q = T_ION * (frac - prev)
        prev = frac
        c_ree = round(q * MASS / v, 3)
        row = {"run": run, "leachate_sample": f"{run}-L{i+1:02d}", "time_h": t, "volume_ml": v, "position": "outlet",
               "collected_on": "", "ree": str(c_ree)}
        # single REEs as shares of the total (La 30 %, Ce 8 %, Nd 22 %, Y 25 %): informative only
        row["la"] = str(round(c_ree * 0.30, 4))
        row["ce"] = str(round(c_ree * 0.08, 4))
        row["nd"] = str(round(c_ree * 0.22, 4))
        row["y"] = str(round(c_ree * 0.25, 4))
        share = (1 - math.exp(-t / (tau * 1.5))) - (1 - math.exp(-times[i - 1] / (tau * 1.5)) if i else 0)
        norm = 1 - math.exp(-96 / (tau * 1.5))
        conc = {}
        for el, total in impurity_totals[run].items():
            c = round(total * share / norm * MASS / v, 4)
            if el == "Mn" and c < 0.05:      # below the ICP-OES detection limit of 0.05 mg/L
                row["mn"] = "<0.05"
                conc["Mn"] = 0.025           # DL/2, as the report substitutes

                substituted += 1
            else:
                row[el.lower()] = str(c)
                conc[el] = c
        for el, c in conc.items():
            totals[el] = totals.get(el, 0.0) + c * v / MASS
        for el in ["La", "Ce", "Nd", "Y"]:
            totals[el] = totals.get(el, 0.0) + float(row[el.lower()]) * v / MASS
        totals["REE"] = totals.get("REE", 0.0) + c_ree * v / MASS
        series.append((t, c_ree * v / MASS))
        leachate_rows.append(row)
    cum = np.cumsum([q for _, q in series])
    plateau = cum[-1]
    idx = len(cum) - 1
    while idx > 0 and abs(plateau - cum[idx - 1]) <= plateau * 0.05:
        idx -= 1
    expected_runs[run] = {"leachate_ree_mg_kg": float(plateau), "time_to_equilibrium_h": times[idx],
                          "element_totals_mg_kg": totals, "substituted_values": substituted,
                          "cumulative_mg_kg": [float(x) for x in cum]}

cols = ["run", "leachate_sample", "time_h", "volume_ml", "position", "collected_on", "ree", "la", "ce", "nd", "y",
        "al", "fe", "ca", "k", "na", "mn"]
write("leachate.csv", cols, [[r.get(c, "") for c in cols] for r in leachate_rows])

# electric log of EK-1: every 2 h, 20 V over 20 cm while on (12 h on / 12 h off), current decaying
log_rows, t_log, u_log, i_log = [], [], [], []
for t in range(0, 97, 2):
    on = (t // 12) % 2 == 0 and not (t % 12 == 0 and t > 0 and (t // 12) % 2 == 1)
    u = 20.0 if on else 0.0
    i = round(45 * math.exp(-t / 60) + 10, 1) if on else 0.0
    log_rows.append(["EK-1", t, u, i]); t_log.append(t); u_log.append(u); i_log.append(i)
write("electric-log.csv", ["run", "time_h", "voltage_v", "current_ma"], log_rows)
kwh = trapezoid(np.array(u_log) * np.array(i_log) / 1000.0, t_log) / 1000.0
volume_cm3 = math.pi * 8 ** 2 / 4 * 20
expected_runs["EK-1"]["energy_kwh"] = float(kwh)
expected_runs["EK-1"]["energy_kwh_per_m3"] = float(kwh / (volume_cm3 * 1e-6))

write("cathode.csv", ["run", "element", "amount_mg"], [["EK-1", "REE", 9.0], ["EK-1", "Al", 1.2]])
expected_runs["EK-1"]["cathode_ree_mg_kg"] = 9.0 / 1.5
for run in expected_runs:
    cath = expected_runs[run].get("cathode_ree_mg_kg", 0.0)
    expected_runs[run]["recovery_percent"] = (expected_runs[run]["leachate_ree_mg_kg"] + cath) / T_ION * 100
ref = expected_runs["CL-1"]["element_totals_mg_kg"]
expected_runs["EK-1"]["impurity_reduction_percent"] = {
    el: (ref[el] - expected_runs["EK-1"]["element_totals_mg_kg"][el]) / ref[el] * 100 for el in impurity_totals["EK-1"]}

residuals = {"CL-1": [140, 120, 110, 105, 100], "EK-1": [45, 55, 65, 80, 95]}
res_rows = []
for run, finals in residuals.items():
    for j, final in enumerate(finals):
        res_rows.append([run, f"S{j+1}", 2 + 4 * j, "REE", 520, final])
    expected_runs[run]["removal_percent"] = [(520 - f) / 520 * 100 for f in finals]
write("leaching-residuals.csv", ["run", "position", "distance_cm", "element", "c_initial_mg_kg", "c_final_mg_kg"], res_rows)
out["leaching"] = expected_runs

# ---------------------------------------------------------------- seepage tests
vogel = lambda T: 0.02939 * math.exp(507.88 / (T + 273.15 - 149.3))
L, D_SPEC, D_PIPE = 4.0, 6.18, 0.8
A, a = math.pi * D_SPEC ** 2 / 4, math.pi * D_PIPE ** 2 / 4
tests = [("SP-W", "water", 0, "", 2.1e-4), ("SP-A3", "(NH4)2SO4", 3, "", 1.5e-4),
         ("SP-P31", "(NH4)2SO4", 1, "3%->1%", 1.8e-4), ("SP-M3", "MgSO4", 3, "", 1.2e-4)]
test_rows, reading_rows, expected_tests = [], [], {}
for code, solution, conc, path, k20 in tests:
    test_rows.append([code, "SEEP-S", "tailings", solution, conc, path, L, D_SPEC, D_PIPE, 1.55, "2024-05-10"])
    ks = []
    for n, T in enumerate([18.0, 22.0, 25.0], start=1):
        kT = k20 * vogel(20) / vogel(T) * (1 + rng.normal(0, 0.02))
        h1, dt = 100.0, 300.0
        h2 = round(h1 * math.exp(-kT * A * dt / (a * L)), 1)
        reading_rows.append([code, n, h1, h2, dt, T])
        k = a * L / (A * dt) * math.log(h1 / h2)
        ks.append(k * vogel(T) / vogel(20))
    expected_tests[code] = {"mean_k20_cm_s": float(np.mean(ks)), "sd_k20_cm_s": float(np.std(ks, ddof=1))}
write("seepage-tests.csv", ["test", "sample", "material", "solution", "concentration_percent", "path", "specimen_length_cm",
      "specimen_diameter_cm", "standpipe_diameter_cm", "dry_density_g_cm3", "tested_on"], test_rows)
write("head-readings.csv", ["test", "reading", "h1_cm", "h2_cm", "dt_s", "temperature_c"], reading_rows)
out["seepage"] = expected_tests

# ---------------------------------------------------------------- SWCC (pressure plate) of SP-W's tailings
def fx(psi, ts, a, n, m):
    return ts * (1.0 / np.log(np.e + (psi / a) ** n)) ** m

def fx_slope(psi, ts, a, n, m):
    x = (psi / a) ** n
    return -ts * m * np.log(np.e + x) ** (-m - 1) / (np.e + x) * n * x / psi

def vg(psi, ts, tr, al, n):
    return tr + (ts - tr) * (1 + (al * psi) ** n) ** (-(1 - 1 / n))

RHO = 1.55
suctions = np.array([0, 1, 3, 5, 10, 25, 50, 100, 200, 400, 800, 1500], dtype=float)
theta_true = fx(suctions, 0.41, 12.0, 1.7, 1.05) + rng.normal(0, 0.004, suctions.size)
theta_true[0] = 0.41
w_percent = np.round(theta_true / RHO * 100, 2)
swcc_rows = []
for j, (psi, w) in enumerate(zip(suctions, w_percent)):
    first = j == 0
    swcc_rows.append(["SWCC-W", "SEEP-S" if first else "", "SP-W" if first else "", "water" if first else "",
                      0 if first else "", "", f"{psi:g}", f"{w:.2f}", RHO if first else ""])
write("swcc.csv", ["test", "sample", "seepage_test", "solution", "concentration_percent", "path", "suction_kpa",
      "water_content_percent", "dry_density_g_cm3"], swcc_rows)
theta = w_percent / 100 * RHO
ts = theta[0]
p, _ = curve_fit(lambda s, a, n, m: fx(s, ts, a, n, m), suctions, theta, p0=[10, 2, 1],
                 bounds=([1e-6] * 3, [1e6, 50, 50]), xtol=1e-14, ftol=1e-14, gtol=1e-14, max_nfev=100000)
r = theta - fx(suctions, ts, *p)
r2 = 1 - np.sum(r ** 2) / np.sum((theta - theta.mean()) ** 2)
pv, _ = curve_fit(lambda s, al, n, tr: vg(s, ts, tr, al, n), suctions, theta, p0=[0.1, 1.5, 0.02],
                  bounds=([1e-8, 1.0001, 0], [100, 20, ts]), xtol=1e-14, ftol=1e-14, gtol=1e-14, max_nfev=100000)
rv = theta - vg(suctions, ts, pv[2], pv[0], pv[1])
r2v = 1 - np.sum(rv ** 2) / np.sum((theta - theta.mean()) ** 2)
ks = expected_tests["SP-W"]["mean_k20_cm_s"]
def integrand(y, ref):
    x = np.exp(y)
    return (fx(x, ts, *p) - ref) / x * fx_slope(x, ts, *p)
den = quad(integrand, math.log(0.01), math.log(1e6), args=(ts,), limit=500, epsabs=1e-15, epsrel=1e-12)[0]
ku = {}
for psi in [1.0, 10.0, 100.0, 1000.0]:
    num = quad(integrand, math.log(psi), math.log(1e6), args=(fx(psi, ts, *p),), limit=500, epsabs=1e-15, epsrel=1e-12)[0]
    mm = 1 - 1 / pv[1]
    se = (1 + (pv[0] * psi) ** pv[1]) ** (-mm)
    ku[f"{psi:g}"] = {"fxh": ks * num / den, "vgm": ks * se ** 0.5 * (1 - (1 - se ** (1 / mm)) ** mm) ** 2}
out["swcc"] = {"SWCC-W": {"theta_s": float(ts), "fx_a": float(p[0]), "fx_n": float(p[1]), "fx_m": float(p[2]), "fx_r2": float(r2),
                          "vg_alpha": float(pv[0]), "vg_n": float(pv[1]), "vg_theta_r": float(pv[2]), "vg_r2": float(r2v),
                          "k_s": ks, "k_u": ku}}

with open("expected.json", "w") as f:
    json.dump(out, f, indent=2, sort_keys=True)
print(json.dumps(out, indent=1, sort_keys=True))
