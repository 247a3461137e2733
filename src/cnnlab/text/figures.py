"""Figures of a character CNN: a sentence coloured by its top kernels, and each kernel's n-grams."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnlab.i18n import N_, fixed, tr
from cnnlab.text.kernels import KernelView
from cnnlab.viz._common import SEQUENTIAL, new_figure

TEXT = {
    "title": N_("{cls} ({prob}): each character coloured by its top kernels' response"),
    "kernel": N_("kernel {k} (adds {w})"),
    "together": N_("top kernels"),
    "ngrams": N_("The character windows that excite each first-layer kernel most"),
}

SPACE = "␣"  # a space drawn so that it can be seen


def plot_kernel_view(view: KernelView, lang: str | None = None) -> Figure:
    """The sentence with each character's background the strength of the top kernels, then one
    row per top kernel: its response at each character (a heat map under the letters)."""
    chars = [SPACE if c == " " else c for c in view.text]
    n = max(len(chars), 1)
    fig = new_figure(max(6.0, 0.22 * n + 2.0), 1.2 + 0.45 * len(view.kernels))
    axes = fig.subplots(len(view.kernels) + 1, 1, squeeze=False)[:, 0]
    cls, prob = view.prediction.top[0]
    title = tr(TEXT, "title", lang, cls=cls, prob=fixed(100 * prob, 1, lang) + " %")
    rows = [view.strength, *view.responses]
    labels = [tr(TEXT, "together", lang), *(tr(TEXT, "kernel", lang, k=k, w=fixed(w, 2, lang))
                    for k, w in zip(view.kernels, view.weights, strict=True))]  # fmt: skip
    for ax, row, label in zip(axes, rows, labels, strict=True):
        top = float(np.max(row)) if len(row) else 1.0
        ax.imshow(np.asarray(row)[None, :n], cmap=SEQUENTIAL, aspect="auto", vmin=0,
                  vmax=top if top > 0 else 1.0)  # fmt: skip
        ax.set_xticks(range(len(chars)), chars, fontsize=9)
        ax.set_yticks([0], [label], fontsize=8)
    axes[0].set_title(title, fontsize=10)
    return fig


def plot_top_ngrams(ngrams: list[list], lang: str | None = None, cols: int = 4) -> Figure:
    """A grid of the kernels, each with its most exciting character windows and responses."""
    rows = -(-len(ngrams) // cols)
    fig = new_figure(3.0 * cols, 0.25 + 0.95 * rows)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, -0.4)
    for k, grams in enumerate(ngrams):
        r, c = divmod(k, cols)
        shown = ", ".join(f"{g.replace(' ', SPACE)}" for g, _ in grams[:4])
        best = fixed(grams[0][1], 2, lang) if grams else "-"
        ax.text(c + 0.03, r, f"#{k} ({best})", fontsize=8, weight="bold", va="top")
        ax.text(c + 0.03, r + 0.35, shown, fontsize=8, va="top", family="monospace")
    ax.set_title(tr(TEXT, "ngrams", lang), fontsize=10)
    return fig
