"""Figures from a real trained run: non-blank, expected size and panel count, bilingual labels."""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pytest
import torch
from PIL import Image

from cnnlab import viz
from cnnlab.errors import InvalidArgumentError, UnknownNameError
from cnnlab.train import evaluate
from cnnlab.viz.cam import grad_cam


def pixels(fig) -> np.ndarray:
    with Image.open(io.BytesIO(viz.figure_bytes(fig, "png", dpi=100))) as im:
        return np.asarray(im.convert("RGB"))


def image_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_images()]


def check_picture(fig, min_std: float = 8.0) -> np.ndarray:
    px = pixels(fig)
    w, h = fig.get_size_inches() * 100
    assert px.shape[:2] == (round(h), round(w))
    assert px.std() > min_std  # not blank
    return px


@pytest.fixture(scope="module")
def ev(digits_run):
    return evaluate(digits_run)


def test_kernels_one_panel_per_filter_and_channel(digits_run):
    fig = viz.plot_kernels(digits_run.model, lang="en")
    check_picture(fig)
    assert len(image_axes(fig)) == 16  # conv1: 16 filters over 1 channel
    fig2 = viz.plot_kernels(digits_run.model, "conv2", max_filters=4, max_channels=5, lang="es")
    check_picture(fig2)
    assert len(image_axes(fig2)) == 4 * 5
    assert "Kernels aprendidos de conv2" in fig2.get_suptitle()
    assert "32 filtros × 16 canales" in fig2.get_suptitle() and "4 × 5" in fig2.get_suptitle()
    assert "subset" not in fig.get_suptitle() and "showing" not in fig.get_suptitle()
    row_labels = [ax.get_ylabel() for ax in image_axes(fig2)[::5]]
    assert row_labels == [f"filtro {i}" for i in range(4)]
    colorbars = [ax for ax in fig2.axes if ax.get_label() == "<colorbar>"]
    assert len(colorbars) == 1
    lo, hi = image_axes(fig2)[0].get_images()[0].get_clim()
    assert lo == -hi  # symmetric scale


def test_feature_maps_one_row_per_layer(digits_run, ev):
    fig = viz.plot_feature_maps(digits_run.model, ev.x[0], digits_run.preprocess, max_channels=6)
    check_picture(fig)
    layers = [
        n
        for n, _, o in viz.layer_outputs(digits_run.model, digits_run.preprocess(ev.x[:1]))
        if o.dim() == 4
    ]
    assert len(layers) == 8  # conv, bn, relu, pool twice
    assert len(image_axes(fig)) == 1 + sum(min(6, 16 if i < 4 else 32) for i in range(8))
    labels = " ".join(ax.get_ylabel() for ax in fig.axes)
    assert "conv1 (Conv2d)" in labels and "16×8×8" in labels and "pool2 (MaxPool2d)" in labels
    out = viz.layer_outputs(digits_run.model, digits_run.preprocess(ev.x[:1]))[0][2]
    assert f"[{out.min():.2g}, {out.max():.2g}]" in labels  # conv1's value range
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == [f"ch {i}" for i in range(6)]


def test_pooling_marks_one_winner_per_window(digits_run, ev):
    fig = viz.plot_pooling(digits_run.model, ev.x[0], digits_run.preprocess, lang="es")
    check_picture(fig)
    before, after = fig.axes[:2]
    boxes = before.patches
    assert len(boxes) == after.get_images()[0].get_array().size == 16  # 4×4 windows
    b = before.get_images()[0].get_array()
    a = after.get_images()[0].get_array()
    winners = [b[round(p.get_y() + 0.5), round(p.get_x() + 0.5)] for p in boxes]
    np.testing.assert_allclose(winners, a.ravel())  # in reading order, one per window
    rows = [round(p.get_y() + 0.5) // 2 for p in boxes]
    cols = [round(p.get_x() + 0.5) // 2 for p in boxes]
    assert sorted(zip(rows, cols, strict=True)) == [(r, c) for r in range(4) for c in range(4)]
    assert len(after.texts) == 16 and len(before.texts) == 64  # values written in the cells
    assert before.get_images()[0].get_clim() == after.get_images()[0].get_clim()
    assert after.get_title() == "después 4×4" and "filas" not in before.get_title()
    with pytest.raises(InvalidArgumentError, match="channel is out of range"):
        viz.pool_winners(digits_run.model, ev.x[0], digits_run.preprocess, channel=99)


def test_pooling_on_a_large_map_shows_a_window_aligned_crop():
    from cnnlab.models import build

    torch.manual_seed(0)
    model = build("conv(4,3,padding=same) relu maxpool(2) flatten dense(10)", (1, 28, 28), 10)
    image = np.random.default_rng(0).random((1, 28, 28)).astype(np.float32)
    _, c, b_full, a_full, _ = viz.pool_winners(model.eval(), image)
    fig = viz.plot_pooling(model, image, lang="en")
    check_picture(fig)
    before, after = fig.axes[:2]
    b = before.get_images()[0].get_array()
    a = after.get_images()[0].get_array()
    assert b.shape == (16, 16) and a.shape == (8, 8) and len(before.patches) == 64
    assert f"before 28×28 (channel {c})" in before.get_title()
    r0, c0 = (int(v) for v in re.findall(r"rows (\d+)–\d+, columns (\d+)", before.get_title())[0])
    assert r0 % 2 == 0 and c0 % 2 == 0  # aligned to the 2×2 windows
    np.testing.assert_array_equal(b, b_full[r0 : r0 + 16, c0 : c0 + 16])
    np.testing.assert_array_equal(a, a_full[r0 // 2 : r0 // 2 + 8, c0 // 2 : c0 // 2 + 8])
    assert a.max() == a_full.max()  # the crop holds the strongest output
    winners = [b[round(p.get_y() + 0.5), round(p.get_x() + 0.5)] for p in before.patches]
    np.testing.assert_allclose(winners, a.ravel())
    assert f"rows {r0 // 2}–{r0 // 2 + 7}" in after.get_title()


def test_grad_cam_highlights_and_predicts(digits_run, ev):
    x = digits_run.preprocess(ev.x[:1])
    res = grad_cam(digits_run.model, x)
    assert res.layer == "conv2" and res.cam.shape == (8, 8)
    assert res.cam.min() >= 0 and res.cam.max() == pytest.approx(1.0)
    assert res.target == int(ev.probs[0].argmax())
    np.testing.assert_allclose(res.probs, ev.probs[0], atol=1e-5)
    assert all(
        p.grad is None or torch.isfinite(p.grad).all() for p in digits_run.model.parameters()
    )
    fig = viz.plot_cams(
        digits_run.model,
        ev.x[:4],
        list(ev.y_true[:4]),
        digits_run.classes,
        digits_run.preprocess,
        "es",
    )
    check_picture(fig)
    assert len(image_axes(fig)) == 8 and "Dónde miró" in fig.get_suptitle()
    assert any(ax.get_ylabel() == "relevancia" for ax in fig.axes)


def test_grad_cam_on_a_model_built_in_inference_mode(digits_run, ev):
    """A model whose weights were made under torch.inference_mode still gets a map, and
    Grad-CAM leaves the model's gradients alone."""
    import copy

    with torch.inference_mode():
        frozen = copy.deepcopy(digits_run.model)
        for p in frozen.parameters():
            p.data = p.data.clone()  # inference tensors: no autograd through them
    assert all(p.is_inference() for p in frozen.parameters())
    x = digits_run.preprocess(ev.x[:1])
    res = grad_cam(frozen, x)
    expected = grad_cam(digits_run.model, x)
    np.testing.assert_allclose(res.cam, expected.cam, atol=1e-6)
    assert res.cam.max() == pytest.approx(1.0)
    assert all(p.grad is None for p in frozen.parameters())
    with torch.inference_mode():
        inside = grad_cam(digits_run.model, x)  # also when called inside inference mode
    np.testing.assert_allclose(inside.cam, expected.cam, atol=1e-6)


def test_grad_cam_layer_and_target_choices(digits_run, ev):
    x = digits_run.preprocess(ev.x[:1])
    res = grad_cam(digits_run.model, x, target=3, layer="relu1")
    assert res.layer == "relu1" and res.target == 3 and res.cam.shape == (8, 8)
    with pytest.raises(UnknownNameError, match="relu1"):
        grad_cam(digits_run.model, x, layer="relu9")
    with pytest.raises(InvalidArgumentError, match="target class is out of range"):
        grad_cam(digits_run.model, x, target=10)
    with pytest.raises(InvalidArgumentError, match=r"\(N, C, H, W\) output"):
        grad_cam(digits_run.model, x, layer="dense1")


def test_training_figures(digits_run, ev):
    fig = viz.plot_curves(digits_run.metrics, lang="es")
    check_picture(fig)
    assert len(fig.axes) == 2 and fig.axes[0].get_xlabel() == "época"
    assert len(fig.axes[1].get_lines()) == 3  # train, validation, test
    fig = viz.plot_confusion(ev.confusion, digits_run.classes)
    check_picture(fig)
    counts = [int(t.get_text()) for t in fig.axes[0].texts]
    assert sum(counts) == len(ev.y_true)
    assert fig.axes[0].get_xticklabels()[0].get_rotation() == 45


def test_confusion_stays_readable_with_many_classes():
    rng = np.random.default_rng(0)
    cm = np.diag(rng.integers(300, 400, 26)) + (rng.random((26, 26)) < 0.1) * 3
    fig = viz.plot_confusion(cm, [f"class-{c}" for c in "abcdefghijklmnopqrstuvwxyz"])
    check_picture(fig)
    ax = fig.axes[0]
    assert len(ax.get_xticklabels()) == 26 and "counts" in ax.get_title()
    assert sum(int(t.get_text()) for t in ax.texts) == cm.sum()  # every nonzero count written
    image = ax.get_images()[0]
    rare = image.cmap(image.norm(0.01))  # a class confused 1 % of the time
    assert np.abs(np.array(rare[:3]) - np.array(image.cmap(image.norm(0.0))[:3])).max() > 0.1
    big = viz.plot_confusion(np.eye(47, dtype=int) * 5, [str(i) for i in range(47)], "es")
    assert len(big.axes[0].texts) == 0 and "conteos" not in big.axes[0].get_title()
    assert "escala potencia" in big.axes[1].get_ylabel()


def test_mistakes_are_wrong_and_sorted_by_confidence(digits_run, ev):
    idx = viz.confident_mistakes(ev.y_true, ev.probs, n=12)
    assert len(idx) and (ev.y_pred[idx] != ev.y_true[idx]).all()
    conf = ev.probs[idx, ev.y_pred[idx]]
    assert (np.diff(conf) <= 0).all()
    fig = viz.plot_mistakes(ev.x, ev.y_true, ev.probs, digits_run.classes, n=12)
    check_picture(fig)
    assert len(image_axes(fig)) == len(idx)
    first = image_axes(fig)[0].get_title()
    assert f"true {ev.y_true[idx[0]]}" in first and f"pred {ev.y_pred[idx[0]]}" in first


def test_samples_and_parameter_growth():
    x = np.random.default_rng(0).random((30, 1, 8, 8))
    fig = viz.plot_samples(x, np.arange(30) % 3, ["a", "b", "c"], per_class=2)
    check_picture(fig)
    assert len(image_axes(fig)) == 6
    fig = viz.plot_parameter_growth((8, 28, 64, 128), lang="es")
    check_picture(fig, min_std=3.0)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log" and "Parámetros" in ax.get_title()
    assert ax.get_ylabel() == "parámetros (escala log)"
    mlp, cnn = (line.get_ydata() for line in ax.get_lines()[:2])
    assert (np.diff(mlp) > 0).all() and mlp[-1] > 10 * cnn[-1]


def test_run_growth_marks_the_runs_size(digits_run):
    from cnnlab.models import parameter_growth

    fig = viz.plot_run_growth(digits_run, lang="en")
    check_picture(fig, min_std=3.0)
    ax = fig.axes[0]
    mlp, cnn, _conv, mark = ax.get_lines()
    assert list(mark.get_xdata()) == [8, 8] and "this run's input (8)" in mark.get_label()
    rows = parameter_growth(list(mlp.get_xdata()), cnn=digits_run.config["spec"])
    assert [r.cnn_params for r in rows] == list(cnn.get_ydata())
    spec_start = digits_run.config["model"][:20]
    assert mlp.get_xdata()[0] == 8 and spec_start in cnn.get_label()
    assert len(cnn.get_label()) < 48  # a long spec is shortened so the legend fits
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. constrained_layout collapsing under a huge legend
        fig.canvas.draw()
    shown = [lab.get_text() for lab in ax.get_xticklabels(minor=True) if lab.get_text()]
    assert shown == [] and ax.get_xticklabels()[0].get_text() == "8"


def test_save_figure_png_and_svg(tmp_path, digits_run):
    fig = viz.plot_kernels(digits_run.model)
    png = viz.save_figure(fig, tmp_path / "k.png")
    svg = viz.save_figure(fig, tmp_path / "k.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()[:500]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.png", "k.svg"]  # no temp files left
    with pytest.raises(InvalidArgumentError, match="unknown figure format"):
        viz.save_figure(fig, tmp_path / "k.bmp")


def test_unknown_layer_suggests(digits_run):
    with pytest.raises(UnknownNameError, match="conv1"):
        viz.plot_kernels(digits_run.model, "conv3")
