"""The models cnnlab ships: each loads through the safe run loader and still has the quality its
card states, measured again on a quick held-out subset, so a stale or broken file fails here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cnnlab import data, shipped
from cnnlab.train import load_run

#: how far a quick subset may fall below the card's full measurement
SLACK = {
    "test_accuracy": 0.015,
    "label_agreement": 0.06,
    "numbers_read_exactly": 0.12,
    "scene_ap": 0.12,
}
LIMIT_BYTES = 5_000_000


def test_every_shipped_model_is_there_with_its_card_and_within_the_size_limit():
    total = 0
    for name in shipped.NAMES:
        folder = shipped.folder(name)
        card = shipped.card(name)
        assert card["name"] == name and card["metrics"] and card["data"]["sha256"]
        assert card["parameters"] > 0 and card["train_seconds"] > 0
        total += sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        assert not list(folder.rglob("*.pt")) and not list(folder.rglob("*.pkl"))
    assert total <= LIMIT_BYTES, total


def test_a_missing_shipped_model_is_a_clear_error(monkeypatch, tmp_path):
    from cnnlab.errors import CheckpointError, UnknownNameError

    monkeypatch.setattr(shipped, "HERE", tmp_path)
    assert not shipped.available("faces")
    with pytest.raises(CheckpointError, match="shipped model faces is missing"):
        shipped.folder("faces")
    with pytest.raises(UnknownNameError, match=r"unknown shipped model 'fces'.*faces"):
        shipped.folder("fces")


@pytest.fixture(scope="module")
def mnist_test():
    ds = data.load("mnist", val_fraction=0.0)
    return ds.test.x[:2000], ds.test.y[:2000]


@pytest.mark.parametrize("name", ["lab-small-cnn", "lab-mlp"])
def test_lab_classifiers_keep_their_accuracy(name, mnist_test):
    run = load_run(shipped.folder(name))
    x, y = mnist_test
    acc = float((run.predict(x).argmax(axis=1) == y).mean())
    stated = shipped.card(name)["metrics"]["test_accuracy"]
    assert acc >= stated - SLACK["test_accuracy"], (acc, stated)


def test_generator_draws_the_digits_it_is_asked_for():
    from cnnlab.generate.quality import measure

    quality = measure(
        shipped.folder("conv-vae"), load_run(shipped.folder("lab-small-cnn")), per_label=30, seed=3
    )
    stated = shipped.card("conv-vae")["metrics"]["label_agreement"]
    assert quality.agreement >= stated - SLACK["label_agreement"], (quality.agreement, stated)


def test_face_finder_finds_the_photos_faces_and_scene_faces():
    from cnnlab.detect import evaluate, faces
    from cnnlab.detect.learn import cached_detector

    det = cached_detector("faces")
    assert det is not None and det.run.path == shipped.folder("faces")
    card = shipped.card("faces")["metrics"]
    scores = evaluate.face_scenes(det, faces.scenes(10, seed=1)).scores
    assert scores.ap >= card["scene_ap"] - SLACK["scene_ap"], (scores.ap, card)


def test_digit_finder_reads_held_out_numbers(mnist_test):
    from cnnlab.detect import digits, evaluate
    from cnnlab.detect.learn import cached_detector

    det = cached_detector("digits")
    x, y = mnist_test
    canvases = digits.test_canvases(x[:, 0], y, 40, seed=2)
    scores = evaluate.digit_canvases(det, canvases)
    stated = shipped.card("digits")["metrics"]["numbers_read_exactly"]
    assert scores.exact >= stated - SLACK["numbers_read_exactly"], (scores.exact, stated)


def test_char_cnn_names_the_language_of_held_out_sentences():
    ds = data.load("languages", val_fraction=0.0)
    run = load_run(shipped.folder("char-cnn"))
    pick = np.random.default_rng(0).choice(len(ds.test.y), 600, replace=False)
    acc = float((run.predict(ds.test.x[pick]).argmax(axis=1) == ds.test.y[pick]).mean())
    stated = shipped.card("char-cnn")["metrics"]["test_accuracy"]
    assert acc >= stated - SLACK["test_accuracy"], (acc, stated)


def test_shipped_runs_hold_only_safe_files():
    """safetensors weights and JSON: nothing a loader could unpickle."""
    for name in shipped.NAMES:
        for path in shipped.folder(name).rglob("*"):
            if path.is_file():
                assert path.suffix in {".json", ".jsonl", ".safetensors"}, path
                if path.suffix == ".json":
                    json.loads(path.read_text(encoding="utf-8"))
