"""Time cnnlab.ops (NumPy) against torch.nn.functional and a SciPy loop on MNIST-scale layers.

Run on a quiet machine, one benchmark at a time:

    flock /tmp/cnnlab-bench.lock .venv/bin/python benchmarks/bench_ops.py

Every contender runs in the same process with the same number of threads (``--threads``, for
both OpenBLAS and torch). Contenders alternate in blocks of trials, ``--rounds`` times, the order
flipped each round; the table shows each one's best trial (float32) and the ratios measured in
the same run. The header names the BLAS that NumPy runs (library, kernel architecture, threads).
Some machines pin OpenBLAS to older kernels with ``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE``;
to time the kernels OpenBLAS would pick itself, unset both for this command alone:

    flock /tmp/cnnlab-bench.lock env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        .venv/bin/python benchmarks/bench_ops.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

from cnnlab.ops import conv2d, max_pool2d

# (name, batch, C_in, C_out, kernel, input side): the three conv layers of a small MNIST CNN
CONV_LAYERS = [
    ("conv 1→32 3×3 on 28×28", 64, 1, 32, 3, 28),
    ("conv 32→64 3×3 on 26×26", 64, 32, 64, 3, 26),
    ("conv 6→16 5×5 on 14×14", 64, 6, 16, 5, 14),
]
POOL_SHAPE = (64, 24, 24, 24)  # (N, C, H, W), max-pool 2×2 stride 2
BLAS_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
PAUSE_S = 0.3  # before each block: lets the other library's spinning threads go to sleep


def best_of(fns: dict[str, Callable[[], object]], trials: int, rounds: int) -> dict[str, float]:
    """Best wall time in ms of each function over ``rounds`` blocks of ``trials`` timed calls.

    Contenders alternate block by block (the order flipped each round) rather than call by
    call, with a pause before each block: torch's OpenMP threads and OpenBLAS's threads both
    keep spinning for a while after a call (OpenBLAS up to about 0.1 s) and would steal the
    cores from the other library. A few untimed calls start each block.
    """
    best = dict.fromkeys(fns, float("inf"))
    names = list(fns)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            fn = fns[name]
            time.sleep(PAUSE_S)
            for _ in range(3):
                fn()
            for _ in range(trials):
                start = time.perf_counter()
                fn()
                best[name] = min(best[name], 1e3 * (time.perf_counter() - start))
    return best


def scipy_conv(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """A plain loop over (image, out channel, in channel) of scipy.signal.correlate2d."""
    n, c_out = x.shape[0], w.shape[0]
    out = np.empty(
        (n, c_out, x.shape[2] - w.shape[2] + 1, x.shape[3] - w.shape[3] + 1), dtype=x.dtype
    )  # (N, C_out, H_out, W_out)
    for i in range(n):
        for o in range(c_out):
            out[i, o] = sum(
                scipy.signal.correlate2d(x[i, c], w[o, c], "valid") for c in range(x.shape[1])
            )
    return out


def conv_rows(
    trials: int, rounds: int, scipy_trials: int
) -> list[tuple[str, float, float, float | None]]:
    rng = np.random.default_rng(0)
    rows = []
    for name, n, c_in, c_out, k, side in CONV_LAYERS:
        x = rng.normal(size=(n, c_in, side, side)).astype(np.float32)  # (N, C_in, H, W)
        w = rng.normal(size=(c_out, c_in, k, k)).astype(np.float32)
        b = rng.normal(size=c_out).astype(np.float32)
        xt, wt, bt = (torch.from_numpy(a) for a in (x, w, b))
        with torch.no_grad():
            expected = F.conv2d(xt, wt, bt).numpy()
            np.testing.assert_allclose(conv2d(x, w, b), expected, rtol=1e-4, atol=1e-3)
            fns = {"numpy": partial(conv2d, x, w, b), "torch": partial(F.conv2d, xt, wt, bt)}
            t = best_of(fns, trials, rounds)
        scipy_ms = None
        if scipy_trials:
            scipy_ms = best_of({"scipy": partial(scipy_conv, x, w)}, scipy_trials, 1)["scipy"]
        rows.append((name, t["numpy"], t["torch"], scipy_ms))
    return rows


def pool_row(trials: int, rounds: int) -> tuple[float, float]:
    x = np.random.default_rng(1).normal(size=POOL_SHAPE).astype(np.float32)
    xt = torch.from_numpy(x)  # contiguous NCHW: torch's default layout
    with torch.no_grad():
        np.testing.assert_array_equal(max_pool2d(x, 2), F.max_pool2d(xt, 2).numpy())
        t = best_of(
            {"numpy": lambda: max_pool2d(x, 2), "torch": lambda: F.max_pool2d(xt, 2)},
            trials,
            rounds,
        )
    return t["numpy"], t["torch"]


def set_threads(threads: int) -> str:
    """Give OpenBLAS (through threadpoolctl) and torch the same number of threads; describe BLAS."""
    torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return "BLAS unknown (threadpoolctl not installed; OpenBLAS threads not set)"
    threadpool_limits(threads, user_api="blas")
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(
        f"{'scipy' if 'scipy.libs' in i['filepath'] else 'numpy'}'s "
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')} kernels, "
        f"{i['num_threads']} threads)"
        for i in blas
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10, help="timed calls per block")
    parser.add_argument("--rounds", type=int, default=6, help="blocks per contender")
    parser.add_argument("--threads", type=int, default=2, help="threads for OpenBLAS and torch")
    parser.add_argument("--scipy-trials", type=int, default=2, help="best-of-K for the scipy loop")
    args = parser.parse_args()
    blas = set_threads(args.threads)
    env = ", ".join(f"{k}={os.environ.get(k, '(unset)')}" for k in BLAS_ENV)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}\nnumpy {np.__version__}; BLAS {blas}; {env}\n"
        f"torch {torch.__version__}: {torch.get_num_threads()} threads, "
        f"{torch.backends.cpu.get_cpu_capability()}"
    )
    print(
        f"float32, best of {args.rounds} rounds × {args.trials} calls "
        f"(scipy loop: best of {args.scipy_trials})\n"
    )
    print("| layer (batch 64) | numpy ms | torch ms | numpy/torch | scipy loop ms | scipy/numpy |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, np_ms, torch_ms, scipy_ms in conv_rows(args.trials, args.rounds, args.scipy_trials):
        sc = f"{scipy_ms:.0f} | {scipy_ms / np_ms:.0f}×" if scipy_ms else "– | –"
        print(f"| {name} | {np_ms:.3f} | {torch_ms:.3f} | {np_ms / torch_ms:.2f}× | {sc} |")
    np_ms, torch_ms = pool_row(args.trials, args.rounds)
    print(
        f"| max-pool 2×2 on {POOL_SHAPE} (torch NCHW) | {np_ms:.3f} | {torch_ms:.3f} | "
        f"{np_ms / torch_ms:.2f}× | – | – |"
    )


if __name__ == "__main__":
    main()
