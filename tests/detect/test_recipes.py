"""The default detectors' recipes: turned faces, calibrated thresholds, faces that do not nest,
and the face training's rounds on a tiny setting."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from cnnlab.detect import faces, learn, load_detector
from cnnlab.detect.boxes import THRESHOLDS, best_threshold, f1_at
from cnnlab.detect.core import Detection, Found, _suppress, join_stacked
from cnnlab.detect.digits import Canvas
from cnnlab.detect.evaluate import exact_share


def test_a_turned_face_narrows_one_half_and_keeps_its_square():
    face = np.tile(np.arange(8.0), (3, 1))  # each column holds its own index
    assert np.array_equal(faces.turned(face, 1.0), face)
    half = faces.turned(face, 0.5)
    assert half.shape == face.shape
    assert half[0, 0] == 0 and half[0, -1] == pytest.approx(6.5)
    # the left half now takes 6 of the 8 columns: column 4 shows the source's 2.5, not 4
    assert half[0, 4] == pytest.approx(2.5)
    assert np.all(np.diff(half[0]) > 0)  # still left to right, nothing folded


def test_f1_and_the_best_threshold_by_hand():
    hits, scores = np.array([1, 0, 1, 0]), np.array([0.99, 0.9, 0.7, 0.6])
    # at 0.95: 1 of 1 kept is right, 1 of 2 true found → P 1, R 1/2, F1 2/3
    assert f1_at(hits, scores, 2, 0.95) == pytest.approx(2 / 3)
    # at 0.65: 2 of 3 kept are right, both true found → P 2/3, R 1, F1 0.8 (the best)
    assert f1_at(hits, scores, 2, 0.65) == pytest.approx(0.8)
    best = best_threshold(lambda t: f1_at(hits, scores, 2, t))
    assert 0.6 < best <= 0.7 and best in THRESHOLDS


def _reading(labels_scores: list[tuple[str, float]]) -> Detection:
    boxes = tuple(Found((10.0 * k, 0.0, 10.0 * k + 8, 20.0), label, score)
                  for k, (label, score) in enumerate(labels_scores))  # fmt: skip
    return Detection("x", 20, 60, boxes, (), 0.0, np.zeros((20, 60)))


def test_exact_reads_depend_on_the_threshold():
    canvas = Canvas(np.zeros((20, 60)), np.zeros((2, 4)), np.zeros((2, 4)), np.array([4, 2]))
    found = [_reading([("4", 0.99), ("7", 0.6), ("2", 0.95)])]  # a weak false "7" between
    assert exact_share(found, [(None, canvas)], 0.5) == 0.0
    assert exact_share(found, [(None, canvas)], 0.9) == 1.0
    assert exact_share(found, [(None, canvas)], 0.999) == 0.0


def test_a_face_box_inside_a_better_one_is_dropped(bar_run):
    det = load_detector(bar_run)
    whole, part = [0, 0, 40, 40.0], [0, 0, 20, 20.0]  # IoU 0.25 but part lies inside whole
    cells = [(np.array([whole, part]), np.array([0.9, 0.8]), np.array([1, 1]))]
    x = np.zeros((1, 40, 40), np.float32)
    assert len(_suppress(det, cells, det.defaults, x)) == 2
    assert len(_suppress(replace(det, what="faces"), cells, det.defaults, x)) == 1


def test_face_training_rounds_mine_and_calibrate(tmp_path, monkeypatch):
    monkeypatch.setattr(faces, "MINING", ("checkerboard", "coins"))
    monkeypatch.setattr(learn, "MINE_SIZES", (60, 120))
    monkeypatch.setattr(learn, "VAL_SCENES", 2)
    monkeypatch.setattr(learn, "write_report", lambda *a, **k: None)
    run = learn.train_faces(tmp_path / "f", rounds=((1, 0), (1, 1)), n_pos=300, n_neg=300)
    assert run.path == tmp_path / "f" / "final" and (tmp_path / "f" / "round1").is_dir()
    meta = json.loads((run.path / "detect.json").read_text())
    assert THRESHOLDS[0] <= meta["threshold"] <= THRESHOLDS[-1]
    assert meta["calibrated_on"].startswith("2 scenes, seed 5") and meta["hard_negatives"] >= 0
    assert load_detector(run).defaults.threshold == meta["threshold"]


def test_stacked_pieces_of_one_character_are_joined():
    boxes = np.array([[0, 10, 8, 20], [1, 0, 7, 9], [20, 0, 28, 20.0]])  # a "1" broken in two
    kept, grown = join_stacked(boxes, np.array([0, 1, 2]))
    assert kept.tolist() == [0, 2] and grown[0].tolist() == [0, 0, 8, 20]
    lines = np.array([[0, 0, 8, 10], [0, 30, 8, 40.0]])  # one character above another, far apart
    assert join_stacked(lines, np.array([0, 1]))[0].tolist() == [0, 1]
