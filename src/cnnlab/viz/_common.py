"""Shared pieces of the figures: the Agg backend, atomic saving, bilingual labels, layouts.

Every figure function in :mod:`cnnlab.viz` returns a :class:`matplotlib.figure.Figure` built with
the object-oriented API (no ``pyplot`` state, never shown); :func:`save_figure` writes it.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are files, never windows

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import ScalarFormatter

from cnnlab.errors import InvalidArgumentError
from cnnlab.fileio import atomic_write_bytes
from cnnlab.i18n import _, local_number, number, resolve_lang, tr
from cnnlab.viz.text import TEXT

FORMATS = ("png", "svg")
DIVERGING = "RdBu_r"  # learned weights: negative blue, positive red, zero white
SEQUENTIAL = "viridis"  # activations and feature maps


def t(key: str, lang: str | None = None, **fmt) -> str:
    """Translate a figure label (see :mod:`cnnlab.viz.text`)."""
    return tr(TEXT, key, lang, **fmt)


def new_figure(width: float, height: float) -> Figure:
    """A Figure with an Agg canvas attached, sized in inches, not registered with pyplot."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = 100) -> bytes:
    """Render ``fig`` to PNG or SVG bytes."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidArgumentError(
            _(
                "unknown figure format {fmt!r}; expected one of: {known}. Received: {fmt!r}",
                fmt=fmt,
                known=", ".join(FORMATS),
            )
        )
    localize_ticks(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white")
    return buf.getvalue()


class LocalScalarFormatter(ScalarFormatter):
    """matplotlib's tick numbers in one language's marks: ``0,5`` on a Spanish figure."""

    def __init__(self, lang: str, **kwargs):
        super().__init__(**kwargs)
        self.lang = lang

    def __call__(self, x, pos=None) -> str:
        return local_number(super().__call__(x, pos), self.lang)

    def get_offset(self) -> str:
        return local_number(super().get_offset(), self.lang)


def localize_ticks(fig: Figure, lang: str | None = None) -> Figure:
    """Write the plain-number ticks of every axis of ``fig`` in ``lang`` (default: the current
    language); English keeps matplotlib's own. Log and category axes are left as they are."""
    lang = resolve_lang(lang)
    if lang == "en":
        return fig
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            old = axis.get_major_formatter()
            if type(old) is ScalarFormatter:
                offset, math_text = old.get_useOffset(), old.get_useMathText()
                axis.set_major_formatter(
                    LocalScalarFormatter(lang, useOffset=offset, useMathText=math_text)
                )
    return fig


def save_figure(fig: Figure, path: str | os.PathLike, dpi: int = 100) -> Path:
    """Write ``fig`` to ``path`` (PNG or SVG, chosen by the suffix) atomically; return the path."""
    target = Path(path)
    atomic_write_bytes(target, figure_bytes(fig, target.suffix or ".png", dpi=dpi))
    return target


def grid_shape(n: int, max_cols: int = 8) -> tuple[int, int]:
    """Rows and columns for ``n`` panels, ``max_cols`` wide at most: grid_shape(10) is (2, 8)."""
    cols = max(1, min(n, max_cols))
    return math.ceil(max(n, 1) / cols), cols


def symmetric_limit(values: np.ndarray) -> float:
    """Largest absolute value (1.0 for an all-zero array), for a color scale centred on zero."""
    vmax = float(np.max(np.abs(values))) if values.size else 0.0
    return vmax if vmax > 0 else 1.0


def to_display(image: np.ndarray) -> np.ndarray:
    """(C, H, W) or (H, W) image -> (H, W) grey or (H, W, 3) RGB in [0, 1] for ``imshow``."""
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 3 and img.shape[0] == 1:
        img = img[0]  # (H, W)
    elif img.ndim == 3:
        img = np.moveaxis(img[:3], 0, -1)  # (H, W, 3)
    lo, hi = float(img.min()), float(img.max())
    if lo < 0.0 or hi > 1.0:
        img = (img - lo) / (hi - lo) if hi > lo else np.zeros_like(img)
    return img


def show_image(ax, image: np.ndarray, title: str | None = None) -> None:
    """Draw an input image without ticks (grey for one channel)."""
    img = to_display(image)
    ax.imshow(img, cmap="gray" if img.ndim == 2 else None, vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title, fontsize=9)


def text_color(rgba) -> str:
    """Black or white, whichever reads better on the color ``rgba`` (by its luminance)."""
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def cell_numbers(ax, values: np.ndarray, image, fmt=None, fontsize: float = 6) -> None:
    """Write each value of ``values`` (H, W) in its cell of ``image`` (an ``imshow`` result),
    white on dark colors and black on light ones; ``fmt`` formats a value (default ``.3g``)."""
    fmt = fmt or (lambda v: number(float(v), ".3g"))
    for (r, c), v in np.ndenumerate(values):
        color = text_color(image.cmap(image.norm(v)))
        ax.text(c, r, fmt(v), ha="center", va="center", fontsize=fontsize, color=color)


def hide_unused(axes, used: int) -> None:
    """Turn off the panels of a grid beyond the first ``used``."""
    for ax in list(np.ravel(axes))[used:]:
        ax.set_axis_off()
