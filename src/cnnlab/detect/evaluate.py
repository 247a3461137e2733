"""Scoring detectors on pictures whose true boxes are known: the held-out face scenes (against
scikit-image's cascade, measured in the same run) and the canvases of MNIST test digits."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cnnlab.detect import faces
from cnnlab.detect.boxes import Scores, best_threshold, f1_at, iou, pooled_hits, score_pictures
from cnnlab.detect.core import DetectConfig, Detection, Detector, detect
from cnnlab.detect.digits import read_boxes


@dataclass(frozen=True)
class Measured:
    """A detector's scores on a set of pictures and its time per picture."""

    name: str
    scores: Scores
    ms_per_picture: float


def _timed(find, pictures) -> tuple[list, float]:
    t0, found = time.perf_counter(), []
    for p in pictures:
        found.append(find(p))
    return found, 1000 * (time.perf_counter() - t0) / max(len(pictures), 1)


def face_scenes(detector: Detector, scenes: list[faces.Scene], sizes=(24, 120)) -> Measured:
    """The face model on the held-out scenes: P/R at its threshold, AP over all its boxes."""
    pairs, ms = _face_boxes(detector, scenes, sizes)
    scores = score_pictures(pairs, [s.boxes for s in scenes], 0.5, detector.defaults.threshold)
    return Measured("cnnlab fully-convolutional CNN", scores, ms)


def _face_boxes(detector: Detector, scenes: list[faces.Scene], sizes) -> tuple[list, float]:
    """Every box scoring ≥ 0.05 in each scene, as (boxes (N, 4), scores (N,)), and ms/scene."""
    low = DetectConfig(threshold=0.05, min_size=sizes[0], max_size=sizes[1])
    found, ms = _timed(lambda s: detect(detector, s.pixels, low), scenes)
    pairs = [(np.array([b.box for b in d.boxes]).reshape(-1, 4),
              np.array([b.score for b in d.boxes])) for d in found]  # fmt: skip
    return pairs, ms


def calibrate_faces(detector: Detector, scenes: list[faces.Scene], sizes=(24, 120)) -> float:
    """The threshold of highest F1 at IoU 0.5 on validation ``scenes``."""
    pairs, _ = _face_boxes(detector, scenes, sizes)
    hits, scores = pooled_hits(pairs, [s.boxes for s in scenes], 0.5)
    n_true = sum(len(s.boxes) for s in scenes)
    return best_threshold(lambda t: f1_at(hits, scores, n_true, t))


def cascade_scenes(scenes: list[faces.Scene], fit: list[faces.Scene],
                   sizes=(24, 120)) -> tuple[Measured, Measured]:  # fmt: skip
    """scikit-image's LBP cascade on the scenes, as it boxes and with its boxes mapped onto the
    scenes' box convention (scale and shift fitted on ``fit``, scenes of training faces). It
    gives no scores, so its AP is that of one list of equally sure boxes."""
    found, ms = _timed(lambda s: faces.cascade_boxes(s.pixels, *sizes), scenes)
    mapping = _fit_mapping([faces.cascade_boxes(s.pixels, *sizes) for s in fit],
                           [s.boxes for s in fit])  # fmt: skip
    truth = [s.boxes for s in scenes]
    raw = score_pictures([(b, np.ones(len(b))) for b in found], truth, 0.5, 0.5)
    mapped = score_pictures([(_apply(b, mapping), np.ones(len(b))) for b in found], truth, 0.5,
                            0.5)  # fmt: skip
    return Measured("scikit-image LBP cascade", raw, ms), \
        Measured("scikit-image LBP cascade, boxes fitted", mapped, ms)  # fmt: skip


def _fit_mapping(found: list[np.ndarray], truth: list[np.ndarray]) -> np.ndarray:
    """Median (size ratio, centre shift x, centre shift y) from cascade boxes to true boxes."""
    rows = []
    for boxes, true in zip(found, truth, strict=True):
        for b in boxes:
            if len(true) and iou(b, true).max() > 0.2:
                t = true[int(np.argmax(iou(b, true)))]
                side = b[2] - b[0]
                rows.append(((t[2] - t[0]) / side, ((t[0] + t[2]) - (b[0] + b[2])) / 2 / side,
                             ((t[1] + t[3]) - (b[1] + b[3])) / 2 / side))  # fmt: skip
    return np.median(np.array(rows), axis=0) if rows else np.array([1.0, 0.0, 0.0])


def _apply(boxes: np.ndarray, m: np.ndarray) -> np.ndarray:
    side = boxes[:, 2] - boxes[:, 0]
    cx = (boxes[:, 0] + boxes[:, 2]) / 2 + m[1] * side
    cy = (boxes[:, 1] + boxes[:, 3]) / 2 + m[2] * side
    half = m[0] * side / 2
    return np.stack([cx - half, cy - half, cx + half, cy + half], axis=1).reshape(-1, 4)


@dataclass(frozen=True)
class DigitScores:
    """The digit finder on canvases: mean AP over the ten digits and whole numbers read right."""

    map50: float  # mean over digits of the AP at IoU 0.5
    per_digit: tuple[float, ...]
    exact: float  # share of canvases whose whole number is read exactly
    ms_per_picture: float
    canvases: int


def digit_canvases(detector: Detector, canvases) -> DigitScores:
    """Score ``canvases`` (pixels, Canvas) pairs from :func:`digits.test_canvases`."""
    found, ms = _timed(lambda c: detect(detector, c[0], DetectConfig(threshold=0.05)), canvases)
    aps = []
    for d in range(10):
        pairs, truth = [], []
        for det, (_, canvas) in zip(found, canvases, strict=True):
            mine = [b for b in det.boxes if b.label == str(d)]
            pairs.append((np.array([b.box for b in mine]).reshape(-1, 4),
                          np.array([b.score for b in mine])))  # fmt: skip
            truth.append(canvas.boxes[canvas.labels == d])
        aps.append(score_pictures(pairs, truth, 0.5).ap)
    exact = exact_share(found, canvases, detector.defaults.threshold)
    return DigitScores(float(np.nanmean(aps)), tuple(aps), exact, ms, len(canvases))


def exact_share(found: list[Detection], canvases, threshold: float) -> float:
    """Share of ``canvases`` whose whole number is read exactly from the boxes ≥ ``threshold``
    (boxes below it are dropped after suppression, which gives what detecting at it gives)."""
    exact = 0
    for det, (_, canvas) in zip(found, canvases, strict=True):
        kept = [b for b in det.boxes if b.score >= threshold]
        text = read_boxes(np.array([b.box for b in kept]).reshape(-1, 4), [b.label for b in kept])
        exact += text == canvas.text
    return exact / max(len(canvases), 1)


def calibrate_digits(detector: Detector, canvases) -> float:
    """The threshold at which most validation ``canvases`` are read exactly."""
    found = [detect(detector, c[0], DetectConfig(threshold=0.05)) for c in canvases]
    return best_threshold(lambda t: exact_share(found, canvases, t))
