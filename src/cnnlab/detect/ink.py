"""Written characters on an ink map (ink 1, paper 0): a character's tight box from the window that
found it, its faint stroke ends included, pieces of one character joined, and a second look at
each character re-centred the way MNIST centres its digits.

Hysteresis, as in Canny's edge finder: ink above ``level`` is surely a stroke; fainter ink above
``low`` counts only where it touches a sure stroke, so the faint end of a 7's bar joins its box
while the paper's faint smudges do not.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from cnnlab.train import Run
from cnnlab.train.images import center_ink

SIDE = 28  # the second look's input side: MNIST's
BOX = 20 / 28  # the share of the side a centred digit's longer side takes, as in MNIST
#: the second look reads a box grown by this share of its height on every side (validation:
#: 0.08-0.16 read 1-3 points more numbers exactly than the box as found; 0.22 no better)
GROW = 0.12


def tight(ink: np.ndarray, box: np.ndarray, level: float = 0.3, low: float = 0.1) -> np.ndarray:
    """A written character's box: the ink inside the central 20/28 of a window (MNIST's digit
    box), trimmed to the run of inked columns and rows around its centre, then grown by the
    fainter ink (above ``low``) joined to it inside the window."""
    x0, y0, x1, y1 = box
    m = (x1 - x0) * 4 / 28
    c0, r0 = max(int(x0 + m), 0), max(int(y0 + m), 0)
    c1, r1 = min(math.ceil(x1 - m), ink.shape[1]), min(math.ceil(y1 - m), ink.shape[0])
    if c1 <= c0 or r1 <= r0:
        return box
    inked = ink[r0:r1, c0:c1] > level
    gap = max(2, round((x1 - x0) / 28))  # a break in a stroke: 1 pixel in 28, at least 2
    cols = _run_around(inked.any(axis=0), gap)
    rows = _run_around(inked[:, cols[0] : cols[1]].any(axis=1), gap) if cols else None
    if not cols or not rows:
        return box
    core = np.array([c0 + cols[0], r0 + rows[0], c0 + cols[1], r0 + rows[1]], np.float64)
    return grown(ink, core, box, level, low) if low < level else core


def grown(ink: np.ndarray, core: np.ndarray, window: np.ndarray, level: float,
          low: float) -> np.ndarray:  # fmt: skip
    """``core`` (a box of sure ink) grown to hold the ink above ``low`` connected to its sure
    strokes, looking no further than the ``window`` that found it."""
    x0, y0, x1, y1 = (round(float(v)) for v in window)
    c0, r0 = max(x0, 0), max(y0, 0)
    c1, r1 = min(x1, ink.shape[1]), min(y1, ink.shape[0])
    if c1 <= c0 or r1 <= r0:
        return core
    region = ink[r0:r1, c0:c1]  # (h, w)
    labels, _ = ndimage.label(region > low, structure=np.ones((3, 3)))
    a0, b0 = max(int(core[0]) - c0, 0), max(int(core[1]) - r0, 0)
    a1, b1 = int(core[2]) - c0, int(core[3]) - r0
    inside = labels[b0:b1, a0:a1][region[b0:b1, a0:a1] > level]
    joined = np.isin(labels, inside[inside > 0])
    if not joined.any():
        return core
    rows, cols = np.flatnonzero(joined.any(axis=1)), np.flatnonzero(joined.any(axis=0))
    found = np.array([c0 + cols[0], r0 + rows[0], c0 + cols[-1] + 1, r0 + rows[-1] + 1], float)
    return np.r_[np.minimum(core[:2], found[:2]), np.maximum(core[2:], found[2:])]


def _run_around(mask: np.ndarray, gap: int = 2) -> tuple[int, int] | None:
    """[start, end) of the inked run (gaps up to ``gap`` bridged) nearest the middle."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    starts, ends = np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]] + 1
    mid = len(mask) / 2
    dist = np.maximum(0, np.maximum(starts - mid, mid - ends))
    best = int(np.argmin(dist - 1e-3 * (ends - starts)))
    return int(starts[best]), int(ends[best])


def join_stacked(boxes: np.ndarray, order: np.ndarray, gap: float = 0.3):
    """Written characters stand side by side, not one on top of another: a box (``order``: best
    first) sharing half its columns with a better one and at most ``gap`` of the taller height
    above or below it is another piece of that character, and the better box grows to hold it.
    Returns (indices kept, all boxes with the kept ones grown).

    >>> join_stacked(np.array([[0, 10, 8, 20], [1, 0, 7, 9.]]), np.array([0, 1]))[1][0].tolist()
    [0.0, 0.0, 8.0, 20.0]
    """
    boxes, kept = boxes.astype(np.float64), []
    for k in order:
        b = boxes[k]
        for m in kept:
            o = boxes[m]
            shared = min(b[2], o[2]) - max(b[0], o[0])
            apart = max(b[1], o[1]) - min(b[3], o[3])  # vertical distance (< 0: overlapping)
            if (shared >= 0.5 * min(b[2] - b[0], o[2] - o[0])
                    and apart <= gap * max(b[3] - b[1], o[3] - o[1])):  # fmt: skip
                boxes[m] = np.r_[np.minimum(b[:2], o[:2]), np.maximum(b[2:], o[2:])]
                break
        else:
            kept.append(int(k))
    return np.array(kept, np.int64), boxes


def centred(ink: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The ink inside ``box`` as MNIST draws a digit: its longer side scaled to 20 pixels, its
    centre of mass in the middle of 28 × 28. (28, 28) float32 in [0, 1]."""
    x0, y0 = max(math.floor(box[0]), 0), max(math.floor(box[1]), 0)
    x1, y1 = min(math.ceil(box[2]), ink.shape[1]), min(math.ceil(box[3]), ink.shape[0])
    crop = ink[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else np.zeros((1, 1), np.float32)
    return center_ink(crop, SIDE, SIDE, BOX, by_mass=True)


def second_look(reader: Run, ink: np.ndarray, boxes: np.ndarray,
                grow: float = GROW) -> np.ndarray:  # fmt: skip
    """Class probabilities (n, K) of ``reader`` (a classifier of 28 × 28 centred digits) for the
    characters in ``boxes`` (n, 4) of ``ink``, each box first grown by ``grow`` of its height on
    every side (a box found is often cut short at a faint stroke end)."""
    if len(boxes) == 0:
        return np.zeros((0, reader.num_classes), np.float32)
    boxes = np.asarray(boxes, np.float64)
    grown = boxes + np.array([-1, -1, 1, 1]) * grow * (boxes[:, 3:4] - boxes[:, 1:2])
    x = np.stack([centred(ink, b) for b in grown])[:, None]  # (n, 1, 28, 28)
    return reader.predict(x)
