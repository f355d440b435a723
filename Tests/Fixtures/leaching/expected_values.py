#!/usr/bin/env python3
"""Independent numbers for the leaching/seepage tests (numpy + scipy, not the Swift code).

Run: python3 Tests/Fixtures/leaching/expected_values.py
Each block prints the inputs (so the Swift tests use the very same data) and the expected values.
"""
import numpy as np
from scipy.optimize import curve_fit
from scipy.integrate import quad, trapezoid

np.set_printoptions(precision=10, suppress=False)

def fx(psi, ts, a, n, m):
    return ts * (1.0 / np.log(np.e + (psi / a) ** n)) ** m

def fx_slope(psi, ts, a, n, m):
    x = (psi / a) ** n
    l = np.log(np.e + x)
    return -ts * m * l ** (-m - 1) / (np.e + x) * n * x / psi

def vg(psi, ts, tr, alpha, n):
    m = 1 - 1 / n
    return tr + (ts - tr) * (1 + (alpha * psi) ** n) ** (-m)

suctions = np.array([0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 1500], dtype=float)
rng = np.random.default_rng(20240509)

print("== Fredlund-Xing: true thetaS=0.40 a=20 n=1.8 m=1.1, noise sd 0.003 ==")
ts, a, n, m = 0.40, 20.0, 1.8, 1.1
theta_fx = fx(suctions, ts, a, n, m) + rng.normal(0, 0.003, suctions.size)
theta_fx[0] = ts  # the saturated step: theta_s is taken as measured
print("theta =", [round(float(v), 6) for v in theta_fx])
theta_fx = np.round(theta_fx, 6)
p, _ = curve_fit(lambda s, a, n, m: fx(s, ts, a, n, m), suctions, theta_fx, p0=[10, 2, 1],
                 bounds=([1e-6, 1e-6, 1e-6], [1e6, 50, 50]), xtol=1e-14, ftol=1e-14, gtol=1e-14, max_nfev=100000)
res = theta_fx - fx(suctions, ts, *p)
r2 = 1 - np.sum(res ** 2) / np.sum((theta_fx - theta_fx.mean()) ** 2)
print("curve_fit a n m =", repr(p[0]), repr(p[1]), repr(p[2]), "R2 =", repr(r2))

print("== van Genuchten: true thetaS=0.42 thetaR=0.05 alpha=0.08 n=1.6, noise sd 0.003 ==")
ts2, tr2, al2, n2 = 0.42, 0.05, 0.08, 1.6
theta_vg = vg(suctions, ts2, tr2, al2, n2) + rng.normal(0, 0.003, suctions.size)
theta_vg[0] = ts2
theta_vg = np.round(theta_vg, 6)
print("theta =", [float(v) for v in theta_vg])
p2, _ = curve_fit(lambda s, al, n, tr: vg(s, ts2, tr, al, n), suctions, theta_vg, p0=[0.05, 1.5, 0.02],
                  bounds=([1e-8, 1.0001, 0], [100, 20, ts2]), xtol=1e-14, ftol=1e-14, gtol=1e-14, max_nfev=100000)
res2 = theta_vg - vg(suctions, ts2, p2[2], p2[0], p2[1])
r22 = 1 - np.sum(res2 ** 2) / np.sum((theta_vg - theta_vg.mean()) ** 2)
print("curve_fit alpha n thetaR =", repr(p2[0]), repr(p2[1]), repr(p2[2]), "R2 =", repr(r22))

print("== Fredlund-Xing-Huang k_r (scipy.integrate.quad), curve thetaS=0.40 a=20 n=1.8 m=1.1, psi_aev=0.01 ==")
def integrand(y, ref):
    x = np.exp(y)
    return (fx(x, ts, a, n, m) - ref) / x * fx_slope(x, ts, a, n, m)
b = np.log(1e6)
den = quad(integrand, np.log(0.01), b, args=(ts,), limit=500, epsabs=1e-14, epsrel=1e-12)[0]
for psi in [1.0, 10.0, 100.0, 1000.0]:
    num = quad(integrand, np.log(psi), b, args=(fx(psi, ts, a, n, m),), limit=500, epsabs=1e-14, epsrel=1e-12)[0]
    print(f"psi={psi}: kr = {num/den!r}")

print("== van Genuchten-Mualem k_r: alpha=0.08 n=1.6 ==")
for psi in [1.0, 10.0, 100.0]:
    mm = 1 - 1 / n2
    se = (1 + (al2 * psi) ** n2) ** (-mm)
    kr = se ** 0.5 * (1 - (1 - se ** (1 / mm)) ** mm) ** 2
    print(f"psi={psi}: Se={se!r} kr={kr!r}")

print("== hand case: FX theta at psi = a = 20 kPa: 0.40*(1/ln(e+1))**1.1 ==")
print(repr(0.40 * (1 / np.log(np.e + 1)) ** 1.1))

print("== energy: trapezoid of U*I over t ==")
t = np.array([0, 2, 4, 6, 12, 12.5, 24, 30, 48])
U = np.array([20, 20, 20, 20, 20, 0, 0, 20, 20])
I = np.array([42, 38, 35, 33, 30, 0, 0, 28, 25])  # mA
wh = trapezoid(U * I / 1000.0, t)
print("kWh =", repr(wh / 1000), " per m3 for a column d=8 cm h=20 cm:", repr(wh / 1000 / (np.pi * 16 * 20 * 1e-6)))

print("== viscosity (Vogel) ratio to 20 C at 10, 25, 30 ==")
vog = lambda T: 0.02939 * np.exp(507.88 / (T + 273.15 - 149.3))
for T in [10, 25, 30]:
    print(T, repr(vog(T)), repr(vog(T) / vog(20)))
