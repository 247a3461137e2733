"""Time ``cnnlab deck --quick`` from a fresh cache (the data fetched too), with one epoch of
``cnnlab train --model small-cnn --dataset mnist`` in the same run as the machine's anchor.

Target: the whole quick page in at most 120 s on two cores. Usage:
``python benchmarks/deck_quick.py [--out runs/bench-deck]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 120.0


def timed(args: list[str], env: dict[str, str]) -> float:
    """Seconds one ``cnnlab`` command takes (it must succeed)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cnnlab", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/bench-deck", type=Path)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "CNNLAB_CACHE": cache}  # a fresh cache: MNIST is fetched again
        deck = timed(["deck", "--quick", "--lang", "en", "--out", str(args.out / "deck")], env)
        anchor = timed(["train", "--model", "small-cnn", "--dataset", "mnist", "--epochs", "1",
                        "--no-report", "--out", str(args.out / "anchor")], env)  # fmt: skip
    verdict = "met" if deck <= TARGET_S else "MISSED"
    print("| what | seconds |\n|---|---:|")
    print(f"| cnnlab deck --quick, fresh cache | {deck:.1f} |")
    print(f"| anchor: cnnlab train small-cnn, 1 epoch (same cache) | {anchor:.1f} |")
    print(f"\nratio deck / anchor: {deck / anchor:.1f}; target <= {TARGET_S:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
