#!/usr/bin/env python3
"""Reference table of the real Lambert W function, from mpmath at 50 significant digits.

Usage (from the crate root):

    python3 scripts/lambert_w_table.py > tests/data/lambert_w_table.csv

Output: CSV with columns ``branch,z,w``; branch is 0 (principal, W0) or -1 (lower, W-1).
Every z is an exact double chosen first; mpmath then evaluates W at that exact double, and
w is the correctly rounded double of the result. Both numbers are printed with ``repr``
(shortest round-trip), so the Rust side parses exactly the doubles written here.

Regions covered (a few hundred rows):
  * W0 on log-spaced |z| in [1e-300, 1e-3], both signs, plus subnormal z;
  * W0 on a grid of (-1/e, 10] and log-spaced up to 1e300, plus f64::MAX;
  * both branches at z = fl(-1/e) + k ulp and at z = fl(-1/e + delta), delta in [1e-16, 1e-3];
  * W-1 on a grid of (-1/e, -0.01] and log-spaced |z| down to 1e-300, plus subnormal z.

The double nearest -1/e, fl(-1/e) = -0.36787944117144233, lies 1.24e-17 *below* -1/e, so
strictly W is complex there (-1 +- 8.2e-9 i). mesonet follows Boost.Math and SciPy and maps
that double to the branch point, W = -1, which is also the correctly rounded real part; the
k = 0 row records this convention.
"""

import sys

from mpmath import mp, mpf, lambertw, e as E_CONST

mp.dps = 50

NEG_INV_E = float(-1 / E_CONST)  # fl(-1/e) = -0.36787944117144233


def logspace(lo_exp, hi_exp, n):
    """n doubles log-spaced from 10**lo_exp to 10**hi_exp (inclusive)."""
    step = (mpf(hi_exp) - lo_exp) / (n - 1)
    return [float(mpf(10) ** (lo_exp + i * step)) for i in range(n)]


def linspace(lo, hi, n):
    """n doubles evenly spaced from lo to hi (inclusive)."""
    return [float(mpf(lo) + (mpf(hi) - lo) * i / (n - 1)) for i in range(n)]


def w_exact(branch, z):
    """W_branch at the exact double z, as a correctly rounded double."""
    if z == NEG_INV_E:
        return -1.0  # convention at fl(-1/e), see the module docstring
    value = lambertw(mpf(z), branch)
    assert abs(value.imag) == 0, (branch, z, value)
    return float(value.real)


def ulp_steps(z, k):
    """The double k ulps above z (towards +inf)."""
    import math

    for _ in range(k):
        z = math.nextafter(z, math.inf)
    return z


def rows():
    """Yields (branch, z) pairs covering the regions of the module docstring."""
    tiny = logspace(-300, -3, 40)
    subnormal = [5e-324, 1e-320, 2.5e-310, 2.2250738585072014e-308]
    for z in tiny + subnormal:
        yield 0, z
        yield 0, -z
    for z in linspace(-0.36, 10, 60):
        yield 0, z
    for z in logspace(1, 300, 40) + [1.7976931348623157e308]:
        yield 0, z
    near_branch = [ulp_steps(NEG_INV_E, k) for k in (0, 1, 2, 3, 5, 10, 100, 1000, 100000)]
    near_branch += [float(-1 / E_CONST + delta) for delta in logspace(-16, -3, 27)]
    for z in near_branch:
        yield 0, z
        yield -1, z
    for z in linspace(-0.36, -0.01, 36):
        yield -1, z
    for z in logspace(-300, -2, 50) + subnormal:
        yield -1, -z


def main():
    out = sys.stdout
    out.write("branch,z,w\n")
    for branch, z in rows():
        out.write(f"{branch},{z!r},{w_exact(branch, z)!r}\n")


if __name__ == "__main__":
    main()
