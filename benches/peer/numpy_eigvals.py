"""Times numpy.linalg.eigvals on the matrix benches/eigen.rs wrote (target/eigen_matrix_1000.bin).

Usage: python3 benches/peer/numpy_eigvals.py [path] [repeats]
Prints one JSON line: numpy version, BLAS, seconds (median of repeats), threads.
"""
import json
import os
import statistics
import sys
import time

import numpy as np

path = sys.argv[1] if len(sys.argv) > 1 else "target/eigen_matrix_1000.bin"
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 10
raw = np.fromfile(path, dtype="<f8")
n = int(round(raw.size ** 0.5))
m = raw.reshape(n, n)
np.linalg.eigvals(m)  # warm-up
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    np.linalg.eigvals(m)
    times.append(time.perf_counter() - t0)
config = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
blas = config.get("Build Dependencies", {}).get("blas", {}).get("name", "unknown") if isinstance(config, dict) else "unknown"
print(json.dumps({
    "numpy": np.__version__,
    "blas": blas,
    "n": n,
    "seconds_median": statistics.median(times),
    "seconds_min": min(times),
    "threads_env": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
}))
