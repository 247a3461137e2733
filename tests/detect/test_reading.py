"""Recipe version 3: faint stroke ends join a character's box, each character is read a second
time re-centred as MNIST centres its digits, and faces are also seen turned and partly hidden."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest
import torch
from scipy import ndimage

from cnnlab.detect import digits, faces, load_detector
from cnnlab.detect.core import class_maps, reread
from cnnlab.detect.ink import centred, second_look, tight


def test_a_faint_stroke_end_joins_the_box_and_a_faint_smudge_does_not():
    ink = np.zeros((28, 28), np.float32)
    ink[4:24, 12:16] = 1.0  # the sure stroke of a "1"
    ink[24:27, 12:16] = 0.2  # its faint end, below the first cut (0.3)
    ink[4:8, 20:23] = 0.2  # a faint smudge beside it, touching nothing sure
    box = np.array([0, 0, 28, 28.0])
    assert tight(ink, box, low=0.3).tolist() == [12, 4, 16, 24]  # no hysteresis: cut short
    assert tight(ink, box).tolist() == [12, 4, 16, 27]


def test_a_character_is_centred_as_mnist_centres_its_digits():
    ink = np.zeros((60, 80), np.float32)
    ink[10:50, 30:40] = 1.0  # a bar 40 tall, 10 wide
    ink[10:50, 60:70] = 1.0  # another character outside the box
    out = centred(ink, np.array([25, 5, 45, 55.0]))
    rows, cols = np.flatnonzero(out.max(axis=1) > 0.5), np.flatnonzero(out.max(axis=0) > 0.5)
    assert out.shape == (28, 28) and rows[-1] - rows[0] + 1 == 20  # longer side scaled to 20
    assert cols[-1] - cols[0] + 1 <= 6  # the other character was left out
    cy, cx = ndimage.center_of_mass(out)
    assert abs(cy - 13.5) <= 1 and abs(cx - 13.5) <= 1


def test_reader_crops_are_centred_digits_with_their_labels():
    rng = np.random.default_rng(0)
    x = np.zeros((10, 28, 28), np.float32)
    for k in range(10):
        x[k, 4 + k % 3 : 24, 10 : 12 + k] = 1.0  # ten different blocks
    for varied in (False, True):
        x_out, y_out = digits.reader_crops(x, np.arange(10), 30, int(rng.integers(9)), varied)
        assert x_out.shape[1:] == (1, 28, 28) and len(x_out) == len(y_out) >= 30
        assert set(y_out.tolist()) <= set(range(10))
        mass = np.array([ndimage.center_of_mass(c[0]) for c in x_out])
        assert np.all(np.abs(mass - 13.5) <= 2)


def test_a_varied_digit_keeps_its_place_and_differs_in_slant_stroke_and_ink():
    digit = np.zeros((28, 28), np.float32)
    digit[4:24, 12:15] = 1.0  # a "1" three pixels wide
    rng = np.random.default_rng(3)
    seen = [digits.varied_digit(digit, rng) for _ in range(200)]
    for v in seen:
        assert v.shape == (28, 28) and v.min() >= 0 and v.max() <= 1
        assert np.all(np.abs(np.array(ndimage.center_of_mass(v)) - 13.5) <= 3)
    inked = np.array([(v > 0.5).sum() for v in seen])
    assert inked.min() < 60 < inked.max()  # thinner and thicker than its 60 pixels
    assert min(v.max() for v in seen) < 0.7  # some fainter
    assert max(abs(np.corrcoef(v.ravel(), digit.ravel())[0, 1]) for v in seen) < 1  # turned


class _Reader:
    """A stand-in reader whose classes come in another order than the detector's."""

    classes = ("7", "1")

    def predict(self, x):
        return np.tile([0.9, 0.1], (len(x), 1))  # every character looks like a 7


def test_the_reader_classes_map_onto_the_detector_classes():
    ink = np.zeros((28, 56), np.float32)
    ink[4:24, 10:14] = ink[4:24, 38:42] = 1.0
    boxes = np.array([[10, 4, 14, 24], [38, 4, 42, 24.0]])
    labels = reread(_Reader(), ["background", "1", "7"], ink, boxes)
    assert labels.tolist() == [2, 2]


def test_a_detector_loads_the_reader_its_record_names(bar_run, tmp_path):
    folder = tmp_path / "bars"
    shutil.copytree(bar_run.path, folder)
    shutil.copytree(bar_run.path, folder / "reader")
    meta = json.loads((folder / "detect.json").read_text())
    assert load_detector(folder).reader is None
    (folder / "detect.json").write_text(json.dumps({**meta, "reader": "reader"}))
    reader = load_detector(folder).reader
    assert reader is not None and [str(c) for c in reader.classes] == ["background", "1", "7"]


def test_a_hidden_face_keeps_one_side_and_changes_the_other():
    face = np.full((25, 25), 0.5, np.float32)
    for seed in range(20):
        out = faces.hidden(face, np.random.default_rng(seed))
        changed = np.abs(out - face) > 0.1
        assert out.shape == face.shape and changed.any()
        cols = np.flatnonzero(changed.any(axis=0))
        assert cols[0] == 0 or cols[-1] == 24  # from one side
        assert len(cols) <= 0.35 * 25 + 1  # at most 35 % of the width


def test_varied_scenes_keep_their_boxes_and_plain_ones_stay_as_before():
    plain = faces.scenes(3, seed=4)
    again = faces.scenes(3, seed=4, varied=0.0)
    varied = faces.scenes(3, seed=4, varied=1.0)
    for p, a, v in zip(plain, again, varied, strict=True):
        assert np.array_equal(p.pixels, a.pixels)
        assert np.array_equal(p.boxes, v.boxes)
    assert any(not np.array_equal(p.pixels, v.pixels) for p, v in zip(plain, varied, strict=True))


@pytest.mark.parametrize("far", [0.4, 0.7])
def test_turned_faces_stay_in_their_square(far):
    face = np.random.default_rng(0).random((25, 25))
    out = faces.turned(face, far)
    assert out.shape == face.shape and out.min() >= face.min() and out.max() <= face.max()


def test_mirrored_scores_are_the_mean_of_each_window_and_its_mirror_image(bar_run):
    det = replace(load_detector(bar_run), mirror=True)
    rng = np.random.default_rng(0)
    x = rng.random((1, 20, 27)).astype(np.float32)  # 27 - 12 is no multiple of the stride
    maps = class_maps(det, x, (20, 27))  # (K, h, w)
    win, model = det.net.window, bar_run.model
    mean, std = float(bar_run.config["mean"][0]), float(bar_run.config["std"][0])
    for i, j in [(0, 0), (1, maps.shape[2] - 1), (maps.shape[1] - 1, 2)]:
        crop = x[:, win.stride * i :][:, : win.height, win.stride * j :][:, :, : win.width]
        both = torch.from_numpy((np.stack([crop, crop[..., ::-1]]) - mean) / std)
        with torch.no_grad():
            want = torch.softmax(model(both.float()), dim=1).mean(dim=0).numpy()
        assert np.allclose(maps[:, i, j], want, atol=1e-5)
    plain = class_maps(replace(det, mirror=False), x, (20, 27))
    assert not np.allclose(plain, maps, atol=1e-3)


class _Seen:
    """A stand-in reader that keeps what it was shown."""

    classes, num_classes = ("1",), 1

    def predict(self, x):
        self.x = x
        return np.ones((len(x), 1), np.float32)


def test_the_second_look_takes_in_a_stroke_end_the_box_cut_short():
    ink = np.zeros((40, 40), np.float32)
    ink[8:32, 18:22] = 1.0  # an upside-down "T": a bar 24 tall …
    ink[29:32, 14:26] = 0.5  # … whose faint foot the box found leaves out
    box, seen = np.array([[18, 8, 22, 29.0]]), _Seen()
    second_look(seen, ink, box, grow=0.0)
    bar = (seen.x[0, 0] > 0.2).sum(axis=1).max()  # a bar only
    second_look(seen, ink, box)  # grown by 12 % of its 21 rows on every side: the foot is in
    assert seen.x.shape == (1, 1, 28, 28) and (seen.x[0, 0] > 0.2).sum(axis=1).max() >= bar + 3
