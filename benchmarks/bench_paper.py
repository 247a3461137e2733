"""Photos of digits on any paper: `predict`'s accuracy on the same digits rendered as white
paper, as light-gray shaded paper with blue ink saved as JPEG, and as white on a black screen,
with the ink estimated from its paper (now) and with the border rule it replaced (before).

    flock /tmp/cnnlab-cpu.lock python benchmarks/bench_paper.py [--n 200]

Uses the renderings of tests/train/test_paper.py and the small CNN of its fixture (the 8×8
digits, 8 epochs).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "train"))

import test_paper as T  # noqa: E402

import cnnlab.train.images as images  # noqa: E402
from cnnlab.train import fit  # noqa: E402
from conftest import tiny_config  # noqa: E402

RENDERINGS = (T.white_paper, T.gray_paper_blue_ink, T.white_on_black)


def before(pixels):
    """The rule `predict` used before: dark-on-light decided from the border, no paper model."""
    gray = pixels @ images.np.array([0.299, 0.587, 0.114]) if pixels.ndim == 3 else pixels
    return images.light_on_dark(gray / 255.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    T.N = args.n
    folder = Path(tempfile.mkdtemp())
    run = fit(tiny_config(model="small-cnn", epochs=8, lr=0.02), out=folder / "digits")
    now = {r.__name__: T.accuracy(run, r, folder) for r in RENDERINGS}
    images.ink_map = before
    old = {r.__name__: T.accuracy(run, r, folder) for r in RENDERINGS}
    print("| rendering | now | before |\n|---|---:|---:|")
    for name in now:
        print(f"| {name} | {now[name]:.1%} | {old[name]:.1%} |")


if __name__ == "__main__":
    main()
