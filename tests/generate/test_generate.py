"""Generating digits: training through fit, sampling, files, quality measures, the report."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image

from cnnlab.errors import CnnlabError, InvalidArgumentError
from cnnlab.generate import (
    GenerateConfig,
    frechet_distance,
    grid_labels,
    hidden_features,
    label_agreement,
    measure,
    morph,
    reconstruct,
    sample,
    write_morph,
    write_samples,
)
from cnnlab.train import TrainConfig, fit
from cnnlab.train.checkpoint import WEIGHTS
from cnnlab.viz.report import write_report


def test_fit_records_a_generative_run(gen_run):
    rows = gen_run.metrics
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    assert all(r["train_acc"] is None and r["test_acc"] is None for r in rows)
    assert rows[-1]["test_loss"] < rows[0]["train_loss"]  # it learned something
    assert json.loads((gen_run.path / "config.json").read_text())["status"] == "complete"
    assert (gen_run.path / WEIGHTS).is_file()


def test_resume_ends_with_the_same_weights(tmp_path, gen_run):
    from safetensors.torch import load_file

    cfg = TrainConfig(
        model=gen_run.config["spec"], dataset="digits", epochs=2, lr=0.01, threads=1, seed=3
    )
    whole = fit(cfg, out=tmp_path / "whole")

    def stop_after_first(event, info):
        if event == "epoch" and info["epoch"] == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fit(cfg, out=tmp_path / "parts", callback=stop_after_first)
    resumed = fit(cfg, out=tmp_path / "parts", resume=True)
    a, b = load_file(whole.path / WEIGHTS), load_file(resumed.path / WEIGHTS)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_samples_are_digits_of_the_data_sets_layout_and_seeded(gen_run):
    labels = grid_labels(20, None, 10)
    assert labels.tolist() == [k for k in range(10) for _ in range(2)]
    images = sample(gen_run, labels, seed=5)
    assert images.shape == (20, 1, 8, 8) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1
    np.testing.assert_array_equal(images, sample(gen_run, labels, seed=5))
    assert not np.array_equal(images, sample(gen_run, labels, seed=6))
    assert grid_labels(4, 7, 10).tolist() == [7, 7, 7, 7]


def test_temperature_scales_the_drawn_codes(gen_run):
    labels = grid_labels(20, None, 10)
    model, y = gen_run.model.eval(), torch.as_tensor(labels)
    gen = torch.Generator().manual_seed(3)
    z = torch.randn(len(y), model.latent.size, generator=gen)
    with torch.inference_mode():
        expected = model.decode(0.5 * z, y).numpy()
    np.testing.assert_allclose(sample(gen_run, labels, seed=3, temperature=0.5), expected,
                               atol=1e-6)  # fmt: skip
    assert not np.allclose(sample(gen_run, labels, seed=3, temperature=1.0), expected, atol=1e-3)
    frames = morph(gen_run, 1, 7, steps=5, seed=2, temperature=1e-6)
    a, b = frames[0], morph(gen_run, 1, 7, steps=5, seed=9, temperature=1e-6)[0]
    np.testing.assert_allclose(a, b, atol=1e-4)  # codes at the centre: the seed hardly matters
    for bad in (0, -1.0, 2.5, float("nan"), True, "0.8"):
        with pytest.raises(InvalidArgumentError, match="temperature must be a number in"):
            sample(gen_run, labels, temperature=bad)
    with pytest.raises(InvalidArgumentError, match="temperature"):
        GenerateConfig(temperature=3.0)


def test_generators_train_ten_epochs_by_default_and_classifiers_five():
    assert TrainConfig(model="conv-vae").epochs == TrainConfig(model="mlp-vae").epochs == 10
    assert TrainConfig(model="small-cnn").epochs == TrainConfig().epochs == 5
    assert TrainConfig(model="conv-vae", epochs=2).epochs == 2


def test_bad_labels_and_classifier_runs_are_refused(gen_run, judge_run):
    with pytest.raises(InvalidArgumentError, match=r"labels 0\.\.9\. Received: label=10"):
        sample(gen_run, [10])
    with pytest.raises(InvalidArgumentError, match="holds a classifier"):
        sample(judge_run, [1])
    with pytest.raises(InvalidArgumentError, match="count must be"):
        GenerateConfig(count=0)


def test_grid_npy_and_morph_files(gen_run, tmp_path):
    images = sample(gen_run, grid_labels(20, None, 10))
    png = write_samples(images, tmp_path / "grid.png", cols=2, scale=2)
    with Image.open(png) as picture:
        assert picture.format == "PNG"
        assert picture.size == (2 * (2 * 10 + 2), 2 * (10 * 10 + 2))  # 2 columns, 10 rows
    npy = write_samples(images, tmp_path / "s.npy")
    np.testing.assert_array_equal(np.load(npy, allow_pickle=False), images)
    frames = morph(gen_run, 3, 8, steps=5)
    assert frames.shape == (5, 1, 8, 8)
    gif = write_morph(frames, tmp_path / "m.gif")
    with Image.open(gif) as picture:
        assert picture.format == "GIF" and picture.n_frames == 5
    with pytest.raises(InvalidArgumentError, match=r"ending in \.png or \.npy"):
        write_samples(images, tmp_path / "x.jpg")


def test_reconstructions_are_closer_to_their_digit_than_to_others(gen_run):
    ds = gen_run.dataset()
    x, y = ds.test.x[:40], ds.test.y[:40]
    rebuilt = reconstruct(gen_run, x, y)
    own = np.abs(rebuilt - x).mean()
    shuffled = np.abs(rebuilt - np.roll(x, 1, axis=0)).mean()
    assert own < shuffled


def test_frechet_distance_against_its_closed_form():
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, size=(200_000, 1))
    b = rng.normal(3, 2, size=(200_000, 1))
    assert frechet_distance(a, b) == pytest.approx(10.0, rel=0.02)  # 3² + 1 + 4 − 2·2
    c = rng.normal(size=(500, 6))
    assert frechet_distance(c, c) == pytest.approx(0.0, abs=1e-6)
    scipy_linalg = pytest.importorskip("scipy.linalg")
    d = rng.normal(size=(500, 6)) @ rng.normal(size=(6, 6)) + 1
    ca, cd = np.cov(c, rowvar=False), np.cov(d, rowvar=False)
    root = scipy_linalg.sqrtm(ca @ cd).real
    want = np.sum((c.mean(0) - d.mean(0)) ** 2) + np.trace(ca + cd - 2 * root)
    assert frechet_distance(c, d) == pytest.approx(want, rel=1e-6)
    with pytest.raises(InvalidArgumentError, match="two sets"):
        frechet_distance(c, d[:, :3])


def test_measure_with_a_judge(gen_run, judge_run):
    ds = judge_run.dataset()
    features = hidden_features(judge_run, ds.test.x)
    assert features.shape == (len(ds.test.y), 32)
    agree, per = label_agreement(judge_run, ds.test.x, ds.test.y)
    assert agree > 0.8 and len(per) == 10  # real digits: the judge's own accuracy
    q = measure(gen_run, judge_run, real=ds.test.x, per_label=20)
    assert q.count == 200 and 0 <= q.agreement <= 1 and q.frechet > 0 and q.samples_per_s > 0
    real = frechet_distance(hidden_features(judge_run, ds.val.x), features)
    assert real < q.frechet  # real digits are closer to each other than generated ones


@pytest.mark.parametrize("lang", ["en", "es"])
def test_report_of_a_generative_run(gen_run, tmp_path, lang):
    html = write_report(gen_run, tmp_path / "r.html", lang=lang).read_text()
    for sid in ("samples", "walk", "reconstructions", "curves", "summary", "reproduce"):
        assert f'id="{sid}"' in html
    assert ("Latent walk" if lang == "en" else "Paseo por el espacio latente") in html
    assert "confusion" not in html


def test_a_generative_run_needs_labels(gen_run):
    from cnnlab.models import build

    with pytest.raises(CnnlabError, match="needs the number of labels"):
        build(gen_run.config["spec"], (1, 8, 8))
