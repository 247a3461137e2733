"""How training went: curves, confusion matrix, the most confident mistakes, data samples."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.models import parameter_growth
from cnnlab.viz._common import grid_shape, hide_unused, new_figure, show_image, t

SPLIT_STYLE = {"train": "-o", "val": "--s", "test": ":^"}
GROWTH_SIZES = (8, 16, 28, 64, 128, 256, 512)  # image sides (pixels) of the growth chart
CONFUSION_GAMMA = 0.3  # color ∝ share ** 0.3: rare confusions stay visible


def plot_curves(metrics: Sequence[dict], lang: str | None = None) -> Figure:
    """Loss and accuracy per epoch for train, validation and test (splits with values only).

    ``metrics`` is the list of per-epoch records from ``metrics.jsonl``.
    """
    if not metrics:
        raise InvalidArgumentError(
            _("no metrics to plot; expected at least one epoch. Received: []")
        )
    epochs = [m["epoch"] for m in metrics]
    fig = new_figure(9.0, 3.6)
    ax_loss, ax_acc = fig.subplots(1, 2)
    for ax, what in ((ax_loss, "loss"), (ax_acc, "acc")):
        for split, style in SPLIT_STYLE.items():
            values = [m.get(f"{split}_{what}") for m in metrics]
            if all(v is None for v in values):
                continue
            y = [np.nan if v is None else float(v) for v in values]
            ax.plot(epochs, y, style, markersize=4, label=t(split, lang))
        ax.set_xlabel(t("epoch", lang))
        ax.set_ylabel(t("loss" if what == "loss" else "accuracy", lang))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        if len(epochs) < 15:
            ax.set_xticks(epochs)
    fig.suptitle(t("curves_title", lang), fontsize=11)
    return fig


def plot_confusion(
    confusion: np.ndarray, classes: Sequence[str], lang: str | None = None
) -> Figure:
    """Confusion matrix: counts written in the cells, color = share of the true class (row).

    Rows are true classes, columns predicted ones; labels are rotated so that 10+ classes stay
    readable, and counts are written only while the cells are large enough. The color scale is a
    power law (share ** 0.3), so that a class confused 1 % of the time still shows (0.25 of the
    way to dark) next to a diagonal near 1.
    """
    cm = np.asarray(confusion, dtype=np.int64)  # (K, K)
    k = cm.shape[0]
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)  # (K, K) row-normalized
    side = min(11.0, max(4.5, 0.45 * k + 2.0))
    fig = new_figure(side + 1.2, side)
    ax = fig.subplots()
    im = ax.imshow(share, cmap="Blues", norm=PowerNorm(CONFUSION_GAMMA, vmin=0, vmax=1))
    if k <= 30:
        size = 9 if k <= 12 else 6
        for (r, c), n in np.ndenumerate(cm):
            if n:
                color = "white" if im.norm(share[r, c]) > 0.6 else "black"
                ax.text(c, r, str(n), ha="center", va="center", fontsize=size, color=color)
    ax.set_xticks(range(k), [str(c) for c in classes], rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(k), [str(c) for c in classes], fontsize=8)
    ax.set_xlabel(t("pred_label", lang))
    ax.set_ylabel(t("true_label", lang))
    bar = fig.colorbar(im, ax=ax, shrink=0.8, label=t("row_share", lang))
    bar.set_ticks([0, 0.01, 0.05, 0.2, 0.5, 1.0], labels=["0", "0.01", "0.05", "0.2", "0.5", "1"])
    ax.set_title(t("confusion_title" if k <= 30 else "confusion_title_share", lang), fontsize=10)
    return fig


def confident_mistakes(y_true: np.ndarray, probs: np.ndarray, n: int = 12) -> np.ndarray:
    """Indices of wrong predictions, most confident first (at most ``n``)."""
    pred = probs.argmax(axis=1)  # (N,)
    wrong = np.flatnonzero(pred != y_true)
    order = np.argsort(-probs[wrong, pred[wrong]], kind="stable")
    return wrong[order][:n]


def plot_mistakes(
    images: np.ndarray,
    y_true: np.ndarray,
    probs: np.ndarray,
    classes: Sequence[str],
    n: int = 12,
    lang: str | None = None,
) -> Figure:
    """A gallery of the most confidently wrong images with true/predicted class and confidence."""
    idx = confident_mistakes(np.asarray(y_true), np.asarray(probs), n)
    rows, cols = grid_shape(max(len(idx), 1), 6)
    fig = new_figure(1.5 * cols + 0.4, 1.75 * rows + 0.6)
    axes = np.ravel(fig.subplots(rows, cols, squeeze=False))
    for ax, i in zip(axes, idx, strict=False):
        pred = int(probs[i].argmax())
        label = t(
            "mistake_label",
            lang,
            true=classes[int(y_true[i])],
            pred=classes[pred],
            p=float(probs[i, pred]),
        )
        show_image(ax, images[i], label)
    hide_unused(axes, len(idx))
    if not len(idx):
        axes[0].text(0.5, 0.5, t("no_mistakes", lang), ha="center", va="center")
    fig.suptitle(t("mistakes_title", lang), fontsize=11)
    return fig


def plot_samples(
    images: np.ndarray,
    labels: np.ndarray,
    classes: Sequence[str],
    per_class: int = 2,
    lang: str | None = None,
) -> Figure:
    """A few images of each class (the first ``per_class`` of each), titled with the class."""
    labels = np.asarray(labels)
    picks = [i for k in range(len(classes)) for i in np.flatnonzero(labels == k)[:per_class]]
    rows, cols = grid_shape(len(picks), 10)
    fig = new_figure(1.0 * cols + 0.4, 1.15 * rows + 0.6)
    axes = np.ravel(fig.subplots(rows, cols, squeeze=False))
    for ax, i in zip(axes, picks, strict=False):
        show_image(ax, images[i], str(classes[int(labels[i])]))
    hide_unused(axes, len(picks))
    fig.suptitle(t("samples_title", lang), fontsize=11)
    return fig


def plot_parameter_growth(
    sizes: Sequence[int] = GROWTH_SIZES,
    cnn: str = "small-cnn",
    lang: str | None = None,
    *,
    channels: int = 1,
    num_classes: int = 10,
    label: str | None = None,
    mark: int | None = None,
) -> Figure:
    """Parameters vs image side for an MLP (hidden 256-256) and a CNN, both axes log scale, from
    :func:`cnnlab.models.parameter_growth` (counted from the layers' shapes). ``label`` names
    the CNN in the legend (default: ``cnn``); ``mark`` draws a line at one image side."""

    rows = parameter_growth(sizes, cnn=cnn, channels=channels, num_classes=num_classes)
    name = textwrap.shorten(label or cnn, width=32, placeholder=" …")  # a spec can be long
    fig = new_figure(6.5, 4.2)
    ax = fig.subplots()
    x = [r.size for r in rows]
    ax.plot(x, [r.mlp_params for r in rows], "-o", label="MLP 256-256")
    conv = [r.conv_params for r in rows]
    ax.plot(x, [r.cnn_params for r in rows], "-s", label=f"CNN ({name})" if any(conv) else name)
    if any(conv):  # a model without conv layers has none to draw (log scale)
        ax.plot(x, conv, ":^", label=t("conv_only", lang, name=name))
    if mark is not None:
        ax.axvline(mark, color="grey", lw=1, ls="--", label=t("this_run", lang, size=mark))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(x, [str(s) for s in x])
    ax.xaxis.set_minor_formatter(NullFormatter())  # only the sizes drawn are labelled
    ax.set_xlabel(t("image_side", lang))
    ax.set_ylabel(t("parameters", lang))
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    ax.set_title(t("growth_title", lang), fontsize=11)
    return fig


def plot_run_growth(run: Any, lang: str | None = None) -> Figure:
    """:func:`plot_parameter_growth` for a run's own model, channels and classes, with a line at
    the run's image size; the sizes start there (smaller ones may not fit the network)."""
    c, h = run.input_shape[0], run.input_shape[-1]
    sizes = [h] + [s for s in GROWTH_SIZES if s >= 1.5 * h]  # labels apart on a log axis
    return plot_parameter_growth(
        sizes,
        cnn=run.config["spec"],
        lang=lang,
        channels=c,
        num_classes=run.num_classes,
        label=str(run.config.get("model", "")),
        mark=h,
    )
