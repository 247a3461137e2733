"""Predicting from PNG/JPEG files: MNIST-style preprocessing, engines, bad images."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnnlab.errors import InputFileError, InvalidArgumentError
from cnnlab.train.images import center_ink, light_on_dark, load_image, predict_files


def render_dark_on_light(x: np.ndarray, path, scale: int = 8, margin: int = 13) -> None:
    """Save a (H, W) image in [0, 1] (light ink on black) as a big dark-on-light PNG."""
    big = np.kron(x, np.ones((scale, scale)))  # (H*scale, W*scale)
    big = np.pad(big, ((margin, 2 * margin), (3 * margin, margin)))
    Image.fromarray((255 - np.round(big * 255)).astype(np.uint8)).save(path)


def mnist_like_digit() -> np.ndarray:
    """A 28×28 ring 20 pixels tall whose center of mass is the image center (like MNIST)."""
    yy, xx = np.mgrid[0:28, 0:28]
    r = np.hypot((yy - 13.5) / 10, (xx - 13.5) / 7)
    return np.clip(1.0 - np.abs(r - 0.8) * 5, 0, 1).astype(np.float32)


def test_mnist_preprocessing_round_trips_a_centered_digit(tmp_path):
    digit = mnist_like_digit()
    render_dark_on_light(digit, tmp_path / "d.png", scale=5)
    back = load_image(tmp_path / "d.png", (1, 28, 28), "digit")[0]  # (28, 28)
    assert back.shape == (28, 28) and back.min() >= 0 and back.max() <= 1
    rows = np.flatnonzero(back.max(axis=1) > 0.1)
    assert 19 <= rows[-1] - rows[0] + 1 <= 21  # longer side scaled into the 20-pixel box
    cy, cx = np.argwhere(back > 0).mean(axis=0)
    assert abs(cy - 13.5) < 1.5 and abs(cx - 13.5) < 1.5
    assert np.corrcoef(back.ravel(), digit.ravel())[0, 1] > 0.85


def test_light_on_dark_and_empty_pictures():
    assert light_on_dark(np.zeros((4, 4))).max() == 0.0
    assert light_on_dark(np.ones((4, 4))).max() == 0.0  # white paper → no ink
    assert center_ink(np.zeros((9, 9)), 28, 28, 20 / 28, True).sum() == 0.0


def test_digit_pngs_from_the_data_set_are_classified(digits_run, tmp_path):
    ds = digits_run.dataset()
    paths, labels = [], []
    for i in range(40):
        path = tmp_path / f"digit{i}.png"
        render_dark_on_light(ds.test.x[i, 0], path)
        paths.append(str(path))
        labels.append(int(ds.test.y[i]))
    results = predict_files(digits_run, paths, top=3, engine="torch")
    assert all(len(r["top"]) == 3 for r in results)
    assert all(r["top"][0]["prob"] >= r["top"][1]["prob"] >= r["top"][2]["prob"] for r in results)
    hits = [int(r["top"][0]["class"]) == y for r, y in zip(results, labels, strict=True)]
    assert np.mean(hits) >= 0.7  # chance is 0.1


def test_torch_and_onnx_engines_agree(digits_run):
    pytest.importorskip("onnxruntime")
    x = digits_run.dataset().test.x[:64]
    p_torch = digits_run.predict(x, engine="torch")
    p_onnx = digits_run.predict(x, engine="onnx")
    np.testing.assert_allclose(p_onnx, p_torch, atol=1e-5)
    np.testing.assert_allclose(digits_run.predict(x[:1], engine="onnx"), p_torch[:1], atol=1e-5)


def test_bad_images_are_refused(digits_run, tmp_path):
    text = tmp_path / "note.png"
    text.write_text("not an image")
    with pytest.raises(InputFileError, match="not a PNG or JPEG"):
        predict_files(digits_run, [str(text)])
    big = tmp_path / "big.png"
    Image.new("L", (9000, 5000)).save(big)
    with pytest.raises(InputFileError, match="too large"):
        predict_files(digits_run, [str(big)])
    with pytest.raises(InvalidArgumentError, match="top must be at least 1"):
        predict_files(digits_run, [str(big)], top=0)
