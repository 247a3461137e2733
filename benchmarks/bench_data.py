"""Time ``cnnlab.data.load`` against its floor: reading the cached arrays with ``np.load``.

Needs MNIST in the cache (``cnnlab data fetch mnist``). Prints best-of-K seconds and the ratio
of each load to the anchor measured in the same run. Run under the shared lock:

    flock /tmp/cnnlab-bench.lock .venv/bin/python benchmarks/bench_data.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from cnnlab.data import load
from cnnlab.data.cache import cache_dir

TRIALS = 5  # best of 5: the 2 shared cores make single timings noisy


def best_of(func: Callable[[], object], trials: int = TRIALS) -> float:
    times = []
    for _ in range(trials):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def anchor() -> None:
    with np.load(cache_dir() / "mnist.npz", allow_pickle=False) as npz:
        for key in npz.files:
            npz[key]


def main() -> None:
    floor = best_of(anchor)
    rows = [("np.load of mnist.npz (anchor)", floor)]
    rows.append(("load('mnist', val_fraction=0)", best_of(lambda: load("mnist", val_fraction=0))))
    rows.append(("load('mnist') (10% val)", best_of(lambda: load("mnist"))))
    rows.append(("load('digits')", best_of(lambda: load("digits"))))
    rows.append(("load('mnist1d') (cached)", best_of(lambda: load("mnist1d"))))
    print(f"{'what':38s} {'best s':>8s} {'× anchor':>9s}")
    for name, seconds in rows:
        print(f"{name:38s} {seconds:8.3f} {seconds / floor:9.1f}")


if __name__ == "__main__":
    main()
