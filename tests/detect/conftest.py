"""A tiny detection task that trains in seconds: bars in a dark picture, a vertical bar is "1"
and a horizontal bar "7", on 12×12 windows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnlab.data.dataset import build_dataset
from cnnlab.train import TrainConfig, fit

SIDE = 12
BAR_SPEC = "conv(8,3) relu maxpool(2) conv(16,3) relu flatten dense(16) relu dense"


def bar(kind: str, dy: int = 0, dx: int = 0, side: int = SIDE) -> np.ndarray:
    """A side × side window with a bar of ``kind`` ("1" vertical, "7" horizontal) moved by
    (dy, dx) from the centre."""
    img = np.zeros((side, side), np.float32)
    c = side // 2
    if kind == "1":
        img[max(c - 4 + dy, 0) : max(c + 4 + dy, 0), max(c - 1 + dx, 0) : max(c + 1 + dx, 0)] = 1
    else:
        img[max(c - 1 + dy, 0) : max(c + 1 + dy, 0), max(c - 4 + dx, 0) : max(c + 4 + dx, 0)] = 1
    return img


def bar_crops(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for _ in range(n):
        kind = int(rng.integers(3))
        if kind:
            xs.append(bar("1" if kind == 1 else "7", *rng.integers(-1, 2, 2)))
        else:
            far = rng.choice([-1, 1], 2) * rng.integers(4, 9, 2)
            xs.append(bar(str(rng.choice(["1", "7"])), *far) if rng.random() < 0.7
                      else np.zeros((SIDE, SIDE), np.float32))  # fmt: skip
        ys.append(kind)
    x = np.stack(xs)[:, None] + np.abs(rng.normal(0, 0.05, (n, 1, SIDE, SIDE))).astype(np.float32)
    return np.clip(x, 0, 1).astype(np.float32), np.array(ys, np.int64)


@pytest.fixture(scope="session")
def bar_run(tmp_path_factory):
    """BAR_SPEC trained on 3,000 bar crops (classes background, 1, 7), with a detect.json."""
    x, y = bar_crops(3000)
    ds = build_dataset("bars", "image", (x[:2700], y[:2700]), (x[2700:], y[2700:]),
                       ["background", "1", "7"], val_fraction=0.0)  # fmt: skip
    folder = tmp_path_factory.mktemp("detect") / "bars"
    cfg = TrainConfig(model=BAR_SPEC, dataset="bars", epochs=4, batch_size=64, lr=0.01, seed=0,
                      threads=1)  # fmt: skip
    run = fit(cfg, out=folder, data=ds)
    meta = {"what": "bars", "input": "gray", "threshold": 0.6, "min_size": 12, "max_size": 12}
    (folder / "detect.json").write_text(json.dumps(meta))
    return run


@pytest.fixture
def bars_picture() -> tuple[np.ndarray, list[tuple[str, int, int]]]:
    """A 36×96 dark picture with bars "1", "7", "1" whose windows start at the listed places."""
    img = np.zeros((36, 96), np.float32)
    places = [("1", 12, 8), ("7", 12, 40), ("1", 16, 72)]
    for kind, top, left in places:
        img[top : top + SIDE, left : left + SIDE] = np.maximum(
            img[top : top + SIDE, left : left + SIDE], bar(kind)
        )
    return np.uint8(img * 255), places
