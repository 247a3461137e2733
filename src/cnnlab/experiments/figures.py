"""Figures of a comparison (matplotlib; every function returns a Figure, nothing is shown).

CNNs are drawn with solid lines and circles, models without convolutions dashed with squares.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnlab.experiments.results import CompareResult, ModelSummary
from cnnlab.experiments.text import TEXT
from cnnlab.i18n import number, tr
from cnnlab.viz._common import new_figure


def _style(m: ModelSummary) -> dict:
    return {"linestyle": "-" if m.has_conv else "--", "marker": "o" if m.has_conv else "s"}


def draw_shift(ax, result: CompareResult, lang: str | None = None) -> None:
    """Accuracy against shift, one line per model, a band of ± one std over seeds."""
    for m in result.models:
        mean = np.array([s.mean for s in m.shift])  # (S,)
        std = np.array([s.std for s in m.shift])  # (S,)
        x = np.array(result.shifts[: len(mean)])
        (line,) = ax.plot(x, mean, label=m.model, markersize=4, **_style(m))
        ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.15)
    ax.set_xticks(list(result.shifts))
    ax.set_xlabel(tr(TEXT, "f_shift_x", lang))
    ax.set_ylabel(tr(TEXT, "accuracy", lang))
    ax.set_ylim(0, 1.02)
    ax.set_title(tr(TEXT, "f_shift_title", lang), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)


def draw_permutation(ax, result: CompareResult, lang: str | None = None) -> None:
    """Grouped bars: accuracy on original and on permuted pixels, error bars ± one std."""
    x = np.arange(len(result.models))
    width = 0.38
    orig = [m.accuracy for m in result.models]
    perm = [m.permuted for m in result.models]
    ax.bar(x - width / 2, [s.mean for s in orig], width, yerr=[s.std for s in orig],
           label=tr(TEXT, "original", lang), color="#4c72b0", capsize=3)  # fmt: skip
    if all(p is not None for p in perm):
        ax.bar(x + width / 2, [p.mean for p in perm], width, yerr=[p.std for p in perm],
               label=tr(TEXT, "permuted", lang), color="#dd8452", capsize=3)  # fmt: skip
    for i, (o, p) in enumerate(zip(orig, perm, strict=True)):
        ax.text(
            i - width / 2, o.mean / 2, number(o.mean, ".1%", lang), ha="center", fontsize=7,
            rotation=90,
        )  # fmt: skip
        if p is not None:
            ax.text(
                i + width / 2, p.mean / 2, number(p.mean, ".1%", lang), ha="center", fontsize=7,
                rotation=90,
            )  # fmt: skip
    ax.set_xticks(x, [m.model for m in result.models])
    ax.set_ylabel(tr(TEXT, "accuracy", lang))
    ax.set_ylim(0, 1.05)
    ax.set_title(tr(TEXT, "f_perm_title", lang), fontsize=10)
    ax.legend(fontsize=8, loc="lower right")


def draw_growth(ax, result: CompareResult, lang: str | None = None) -> None:
    """Parameters against input side (log–log), one line per model."""
    for m in result.models:
        pts = [(g.size, g.params) for g in m.growth if g.params is not None]
        if pts:
            ax.plot(*zip(*pts, strict=True), label=m.model, markersize=4, **_style(m))
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    sizes = sorted({g.size for m in result.models for g in m.growth})
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel(tr(TEXT, "f_growth_x" if result.kind == "image" else "f_growth_x_sequence", lang))
    ax.set_ylabel(tr(TEXT, "params", lang))
    ax.set_title(tr(TEXT, "f_growth_title", lang), fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)


def draw_params_accuracy(ax, result: CompareResult, lang: str | None = None) -> None:
    """Test accuracy against parameters (log x), ± one std."""
    for m in result.models:
        ax.errorbar(m.params, m.accuracy.mean, yerr=m.accuracy.std, capsize=3,
                    marker=_style(m)["marker"], label=m.model)  # fmt: skip
        ax.annotate(m.model, (m.params, m.accuracy.mean), textcoords="offset points",
                    xytext=(5, -10), fontsize=8)  # fmt: skip
    ax.set_xscale("log")
    ax.set_xlabel(tr(TEXT, "params", lang))
    ax.set_ylabel(tr(TEXT, "accuracy", lang))
    ax.set_title(tr(TEXT, "f_params_title", lang), fontsize=10)
    ax.grid(alpha=0.3, which="both")


def plot_shift(result: CompareResult, lang: str | None = None) -> Figure:
    """Accuracy against shift of the test images."""
    fig = new_figure(5.0, 3.6)
    draw_shift(fig.subplots(), result, lang)
    return fig


def plot_permutation(result: CompareResult, lang: str | None = None) -> Figure:
    """Original against permuted-pixel accuracy per model."""
    fig = new_figure(5.0, 3.6)
    draw_permutation(fig.subplots(), result, lang)
    return fig


def plot_parameters(result: CompareResult, lang: str | None = None) -> Figure:
    """Accuracy against parameters, and parameters against input size."""
    fig = new_figure(9.5, 3.6)
    left, right = fig.subplots(1, 2)
    draw_params_accuracy(left, result, lang)
    draw_growth(right, result, lang)
    return fig


def plot_overview(result: CompareResult, lang: str | None = None) -> Figure:
    """The three findings side by side: permutation, shift, parameter growth."""
    with_perm = all(m.permuted is not None for m in result.models)
    fig = new_figure(13.5 if with_perm else 9.5, 3.8)
    axes = list(fig.subplots(1, 3 if with_perm else 2))
    if with_perm:
        draw_permutation(axes.pop(0), result, lang)
    draw_shift(axes[0], result, lang)
    draw_growth(axes[1], result, lang)
    fig.suptitle(tr(TEXT, "title", lang, dataset=result.dataset), fontsize=11)
    return fig
