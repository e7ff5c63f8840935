#!/usr/bin/env python3
"""Fits the polynomial coefficients of src/core/mathf.rs (weighted minimax by Lawson's algorithm).

Run:  pip install numpy && python3 scripts/fit_mathf.py   (as run for mathf.rs: Python 3, numpy 2.4)
It prints the coefficients rounded to f32 (the Q, P, LN2_HI and LN2_LO of mathf.rs) and the max
relative error of the rounded polynomial in f64 (the approximation error alone, before the f32
evaluation rounds; the tests in mathf.rs measure the whole function).

exp:  e^r = 1 + r + r^2 * Q(r),  Q of degree 4,  r in [-ln2/2, ln2/2] (a little wider, since
      the reduction rounds x*log2(e) in f32).  Weight r^2/e^r makes the error relative to e^r.
tanh: tanh(x) = x + x^3 * P(x^2),  P of degree DEG_T,  x in [0, TANH_SMALL].  Weight
      x^3/tanh(x) makes the error relative to tanh(x).
"""
from fractions import Fraction

import numpy as np

TANH_SMALL = 0.625  # must match TANH_SMALL in mathf.rs
DEG_T = 4


def lawson(t, f, w, deg, iters=400):
    """Coefficients c (low to high) minimising max_i |w_i (sum_k c_k t_i^k - f_i)|."""
    a = np.vander(t, deg + 1, increasing=True) * w[:, None]
    b = f * w
    u = np.ones_like(t) / len(t)
    for _ in range(iters):
        s = np.sqrt(u)
        c, *_ = np.linalg.lstsq(a * s[:, None], b * s, rcond=None)
        e = np.abs(a @ c - b)
        u = u * e
        u /= u.sum()
    return c


def report(name, c32, t, f, w):
    err = np.abs((np.vander(t, len(c32), increasing=True) @ c32.astype(np.float64) - f) * w)
    print(f"{name}: max rel error {err.max():.3e} = {err.max() / 2.0**-24:.3f} ulp(2^-24)")
    for i, v in enumerate(c32):
        print(f"  c{i} = {np.float32(v)!r:>24}  ({float(v).hex()})")


# exp: Q(r) = (e^r - 1 - r)/r^2 (series near 0 to avoid cancellation)
h = np.log(2) / 2 * 1.001
r = np.cos(np.linspace(0, np.pi, 20001)) * h
r = r[np.abs(r) > 1e-4]
fq = (np.expm1(r) - r) / r**2
w = r**2 / np.exp(r)
cq = lawson(r, fq, w, 4).astype(np.float32)
report("exp Q(r)", cq, r, fq, w)

# tanh: P(s) = (tanh(x) - x)/x^3, s = x^2
x = np.linspace(1e-3, TANH_SMALL, 20001)
s = x * x
fp = (np.tanh(x) - x) / x**3
w = x**3 / np.tanh(x)
cp = lawson(s, fp, w, DEG_T).astype(np.float32)
report(f"tanh P(x^2) deg {DEG_T} on [0, {TANH_SMALL}]", cp, s, fp, w)

# Cody-Waite split of ln 2: LN2_HI has 16 significant bits, so n * LN2_HI is exact in f32 for
# |n| < 2^8 (the reduction uses |n| <= 150); LN2_LO is the f32 nearest to ln2 - LN2_HI.
LN2 = Fraction("0.6931471805599453094172321214581765680755001343602552541206800094933936")
hi = np.float32(round(LN2 * 2**16) / 2**16)
lo = np.float32(float(LN2 - Fraction(float(hi))))
print(f"LN2_HI = {hi!r} ({float(hi).hex()}),  LN2_LO = {lo!r} ({float(lo).hex()})")
print(f"  |LN2_HI + LN2_LO - ln2| = {abs(float(Fraction(float(hi)) + Fraction(float(lo)) - LN2)):.2e}")
