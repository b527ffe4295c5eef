#!/usr/bin/env python3
"""Peer timing for benches/lambert.rs: scipy.special.lambertw, ns per call.

How to run (throwaway venv, nothing installed system-wide):

    python3 -m venv /tmp/venv-scipy && /tmp/venv-scipy/bin/pip install scipy numpy
    /tmp/venv-scipy/bin/python benches/peer/scipy_lambertw.py

Times k=0 and k=-1 (a) vectorized over an array of 1e6 arguments and (b) as scalar calls
in a Python loop (this includes interpreter and ufunc-dispatch overhead, which is what a
scalar caller pays). The arguments follow the same recipes as the Rust bench's grids:
W0 mixes (-1/e, 0) evenly spaced with log-spaced [1e-6, 1e6]; W-1 is z = -exp(-1-s), s in (0, 50].
lambertw returns complex128; its real part is what the Rust functions return.
"""

import math
import time

import numpy as np
import scipy
from scipy.special import lambertw

VECTOR_SIZE = 1_000_000
SCALAR_CALLS = 100_000
REPEATS = 5
NEG_INV_E = -0.36787944117144233


def w0_inputs(n):
    """W0 grid: even indices on (-1/e, 0), odd indices log-spaced on [1e-6, 1e6]."""
    fraction = (np.arange(n) // 2) / (n // 2)
    negative = NEG_INV_E * (1.0 - fraction) * (1.0 - 1e-9)
    positive = 10.0 ** (-6.0 + 12.0 * fraction)
    return np.where(np.arange(n) % 2 == 0, negative, positive)


def wm1_inputs(n):
    """W-1 grid: z = -exp(-1 - s), s evenly spaced on (0, 50]."""
    s = 50.0 * np.arange(1, n + 1) / n
    return -np.exp(-1.0 - s)


def best_seconds(action):
    """Best wall time of REPEATS runs of action()."""
    best = math.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    print(f"scipy {scipy.__version__}, numpy {np.__version__}")
    for k, inputs in ((0, w0_inputs), (-1, wm1_inputs)):
        vector = inputs(VECTOR_SIZE)
        seconds = best_seconds(lambda: lambertw(vector, k).real)
        print(f"lambertw k={k:2d} vectorized: {seconds / VECTOR_SIZE * 1e9:8.1f} ns/call")
        scalars = [float(z) for z in inputs(SCALAR_CALLS)]
        seconds = best_seconds(lambda: [lambertw(z, k).real for z in scalars])
        print(f"lambertw k={k:2d} scalar:     {seconds / SCALAR_CALLS * 1e9:8.1f} ns/call")


if __name__ == "__main__":
    main()
