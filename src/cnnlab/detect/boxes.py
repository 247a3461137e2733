"""Boxes as ``[x0, y0, x1, y1]`` in picture pixels: overlap, non-maximum suppression and the
detection scores (precision, recall, average precision at an IoU threshold).

IoU (intersection over union) of ``[0, 0, 2, 2]`` and ``[1, 0, 3, 2]``: the overlap is 1×2 = 2,
the union 4 + 4 − 2 = 6, so IoU = 1/3.

>>> round(float(iou(np.array([0, 0, 2, 2.]), np.array([[1, 0, 3, 2.]]))[0]), 4)
0.3333
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def iou(box: np.ndarray, boxes: np.ndarray, of_smaller: bool = False) -> np.ndarray:
    """IoU of one box (4,) with each of ``boxes`` (N, 4) → (N,); ``of_smaller=True`` divides
    the intersection by the smaller area instead (1 when one box lies inside the other)."""
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)  # (N,)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    if of_smaller:
        return inter / np.maximum(np.minimum(area, areas), 1e-12)
    return inter / np.maximum(area + areas - inter, 1e-12)


def nms(
    boxes: np.ndarray, scores: np.ndarray, overlap: float, of_smaller: bool = False
) -> np.ndarray:
    """Indices of the boxes kept, best first: each box drops every lower-scored box that
    overlaps it by IoU > ``overlap`` (``of_smaller``: by intersection over the smaller box,
    which also drops a box around part of a better one).

    >>> nms(np.array([[0, 0, 2, 2], [0, 0, 2, 1.9], [5, 5, 6, 6]]), np.array([.9, .8, .7]), .5)
    array([0, 2])
    """
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        best, order = order[0], order[1:]
        keep.append(best)
        order = order[iou(boxes[best], boxes[order], of_smaller) <= overlap]
    return np.array(keep, dtype=np.int64)


@dataclass(frozen=True)
class Scores:
    """How well found boxes match the true ones, at one IoU threshold."""

    precision: float  # share of the boxes kept at the threshold that hit a true box
    recall: float  # share of the true boxes hit
    ap: float  # average precision: area under the precision-recall curve (all points)
    true: int  # how many true boxes
    found: int  # how many boxes were kept


def match(found: np.ndarray, scores: np.ndarray, truth: np.ndarray, at: float) -> np.ndarray:
    """For each found box (best first by score), 1 if it hits a true box not hit before (IoU ≥
    ``at``), else 0 — the greedy matching of PASCAL VOC. Returned in the order of ``scores``
    sorted high to low."""
    order = np.argsort(-scores, kind="stable")
    used = np.zeros(len(truth), bool)
    hits = np.zeros(len(order), np.int64)
    for rank, i in enumerate(order):
        if len(truth) == 0:
            break
        overlaps = np.where(used, -1.0, iou(found[i], truth))
        j = int(np.argmax(overlaps))
        if overlaps[j] >= at:
            used[j], hits[rank] = True, 1
    return hits


def average_precision(hits: np.ndarray, scores: np.ndarray, n_true: int) -> float:
    """Area under the precision-recall curve of hits pooled over pictures (each hit 0/1 with
    its score), precision made non-increasing first (VOC 2010+ all-point AP)."""
    if n_true == 0:
        return float("nan")
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(hits[order])
    precision = tp / np.arange(1, len(order) + 1)
    recall = tp / n_true
    precision = np.maximum.accumulate(precision[::-1])[::-1] if len(order) else precision
    steps = np.diff(np.concatenate([[0.0], recall]))
    return float(np.sum(steps * precision))


def pooled_hits(
    found: list[tuple[np.ndarray, np.ndarray]], truth: list[np.ndarray], at: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Hits (0/1) and scores of the found boxes of several pictures, pooled: ``found[i]`` is
    (boxes (N, 4), scores (N,)) of picture i, ``truth[i]`` its true boxes (M, 4)."""
    all_hits, all_scores = [], []
    for (boxes, scores), true in zip(found, truth, strict=True):
        all_hits.append(match(boxes, scores, true, at))
        all_scores.append(np.sort(scores)[::-1])
    hits = np.concatenate(all_hits) if all_hits else np.zeros(0, np.int64)
    return hits, np.concatenate(all_scores) if all_scores else np.zeros(0)


def score_pictures(
    found: list[tuple[np.ndarray, np.ndarray]],
    truth: list[np.ndarray],
    at: float = 0.5,
    threshold: float = 0.0,
) -> Scores:
    """Precision and recall of the boxes scoring ≥ ``threshold`` and the average precision of
    all of them, over several pictures (see :func:`pooled_hits`)."""
    hits, scores = pooled_hits(found, truth, at)
    n_true = sum(len(t) for t in truth)
    kept = scores >= threshold
    return Scores(
        precision=float(hits[kept].sum() / max(kept.sum(), 1)),
        recall=float(hits[kept].sum() / max(n_true, 1)),
        ap=average_precision(hits, scores, n_true),
        true=n_true,
        found=int(kept.sum()),
    )


#: thresholds a calibration tries: 0.50, 0.51, …, 0.99, then finer steps towards 1
THRESHOLDS = np.r_[np.arange(50, 100) / 100, 0.993, 0.995, 0.997, 0.998, 0.999]


def best_threshold(quality) -> float:
    """The threshold of :data:`THRESHOLDS` where ``quality(threshold)`` is highest (the middle
    one of a tie).

    >>> best_threshold(lambda t: -abs(t - 0.7))
    0.7
    """
    values = np.array([quality(float(t)) for t in THRESHOLDS])
    best = np.flatnonzero(values >= values.max() - 1e-12)
    return float(THRESHOLDS[best[len(best) // 2]])


def f1_at(hits: np.ndarray, scores: np.ndarray, n_true: int, threshold: float) -> float:
    """F1 (harmonic mean of precision and recall) of the boxes scoring ≥ ``threshold``.

    >>> f1_at(np.array([1, 0, 1]), np.array([.9, .8, .4]), 2, 0.5)  # P 1/2, R 1/2
    0.5
    """
    kept = scores >= threshold
    tp = float(hits[kept].sum())
    return 2 * tp / max(float(kept.sum()) + n_true, 1.0)
