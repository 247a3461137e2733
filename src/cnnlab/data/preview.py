"""A figure of sample inputs per class (``cnnlab data show``)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnlab.data.dataset import Dataset
from cnnlab.data.textsets import decode
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _


def sample_grid(ds: Dataset, per_class: int = 8, seed: int = 0, title: str = "") -> Figure:
    """One row per class, ``per_class`` random training samples in each, the class name at left.

    Images are drawn in gray (or RGB); sequences as line plots; texts written out, one line each.
    Returns the Figure (not shown).
    """
    if not 1 <= per_class <= 64:
        raise InvalidArgumentError(
            _("per_class must be in 1..64. Received: per_class={per_class}", per_class=per_class)
        )
    if ds.kind == "text":
        return _text_grid(ds, per_class, seed, title)
    rng = np.random.default_rng(seed)
    rows = ds.num_classes
    fig = Figure(figsize=(1.0 * per_class + 1.2, 1.0 * rows + 0.6), layout="constrained")
    axes = np.asarray(fig.subplots(rows, per_class, squeeze=False))
    for label, name in enumerate(ds.classes):
        idx = np.flatnonzero(ds.train.y == label)
        picks = rng.permutation(idx)[:per_class]
        for col in range(per_class):
            ax = axes[label, col]
            ax.set_xticks([])
            ax.set_yticks([])
            if col < len(picks):
                _draw(ax, ds.train.x[picks[col]], ds.kind)
            else:
                ax.set_axis_off()
        axes[label, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    if title:
        fig.suptitle(title)
    return fig


def _draw(ax, sample: np.ndarray, kind: str) -> None:
    if kind == "sequence":
        ax.plot(sample[0], color="black", linewidth=1)  # (L,)
        return
    if sample.shape[0] == 1:
        ax.imshow(sample[0], cmap="gray", vmin=0.0, vmax=1.0)  # (H, W)
    else:
        ax.imshow(np.clip(sample.transpose(1, 2, 0), 0.0, 1.0))  # (H, W, 3)


def _text_grid(ds: Dataset, per_class: int, seed: int, title: str) -> Figure:
    """A block of ``per_class`` training texts per class, the class name first."""
    rng = np.random.default_rng(seed)
    lines = []
    for label, name in enumerate(ds.classes):
        picks = rng.permutation(np.flatnonzero(ds.train.y == label))[:per_class]
        lines.append(name)
        lines += [f"    {decode(ds.train.x[i])[:110]}" for i in picks]
    fig = Figure(figsize=(12, 0.22 * len(lines) + 0.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    for row, line in enumerate(lines):
        weight = "normal" if line.startswith(" ") else "bold"
        ax.text(0, 1 - (row + 0.5) / len(lines), line, fontsize=9, va="center", weight=weight)
    if title:
        fig.suptitle(title)
    return fig
