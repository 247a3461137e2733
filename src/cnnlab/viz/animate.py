"""The sliding kernel: a kernel moving over an input while the feature map fills in, cell by cell.

Every value comes from :func:`cnnlab.ops.explain.explain_conv` (one record per output cell), so
the dot product written under the picture is the one that produced the cell. Frames are drawn by
blitting: the static picture is drawn once; each frame paints the new cells onto a kept canvas and
draws only the moving window and the formula on top, so 306 frames take seconds.

>>> from cnnlab.samples import get_sample, get_kernel
>>> anim = animate_conv(get_sample("bidoof-worked"), get_kernel("deck"))  # doctest: +SKIP
>>> anim.n_frames, anim.output[0, 0]  # doctest: +SKIP
(306, 750.0)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, shape_text
from cnnlab.ops._args import as_pair, resolve_padding
from cnnlab.ops.explain import ConvStep, convolve_image, explain_conv, format_number
from cnnlab.viz import _video
from cnnlab.viz._common import DIVERGING, SEQUENTIAL, cell_numbers, new_figure, t, text_color

NUMBERS_MAX_CELLS = 24  # numbers are written in cells only when both sides are at most this
FORMULA_TERMS = 9  # products written out before "…"
ANIMATION_DPI = 80  # frame pixels per inch: small frames keep the GIF small and fast
MAX_FRAMES_NUMBERS = 400  # default frame limit for small grids (the deck's 306 cells fit)
MAX_FRAMES_LARGE = 120  # default for large inputs: about 15 s at 8 fps and a few MB of GIF
LOCATOR_SHARE = 0.05  # on large inputs the window is outlined at least this share of the side


@dataclass(eq=False)
class ConvAnimation:
    """The frames of a sliding-kernel animation and the data behind each one.

    Frame ``f`` shows output cells ``0 .. frame_ends[f]`` (reading order) filled in and the window
    of ``steps[frame_ends[f]]``; ``steps`` explains every cell of small grids, and at least the
    cells that frames end on.
    """

    image: np.ndarray  # (H, W) input as given
    padded: np.ndarray  # (Hp, Wp) input with its padding zeros
    steps: dict[int, ConvStep]  # by cell index (reading order)
    output: np.ndarray  # (H_out, W_out) the whole feature map
    frame_ends: list[int]
    figure: Figure
    dilation: tuple[int, int]
    _artists: dict = field(default_factory=dict, repr=False)

    @property
    def n_frames(self) -> int:
        return len(self.frame_ends)

    @property
    def cells_per_frame(self) -> int:
        """Output cells added by each frame (the frame stride; the last frame may add fewer)."""
        return self.frame_ends[0] + 1

    def map_at(self, frame: int) -> np.ndarray:
        """The feature map as shown by ``frame``: computed cells, NaN where not reached yet."""
        shown = np.full(self.output.size, np.nan)
        last = self.frame_ends[frame]
        shown[: last + 1] = self.output.ravel()[: last + 1]
        return shown.reshape(self.output.shape)

    def frames(self) -> Iterator[np.ndarray]:
        """Render every frame as an (H, W, 3) uint8 RGB array."""
        yield from _render(self, range(self.n_frames))

    def last_frame(self) -> np.ndarray:
        """Render only the final frame (the whole feature map)."""
        return next(_render(self, [self.n_frames - 1]))

    def gif(self, fps: float = 8.0) -> bytes:
        """The animation as GIF bytes (for embedding in a page)."""
        return _video.gif_bytes(self.frames(), self.last_frame(), fps)

    def save(self, path: str | os.PathLike, fps: float = 8.0) -> Path:
        """Write a GIF (or an MP4 when an ffmpeg writer is available) atomically."""
        return _video.write_frames(path, self.frames, self.last_frame, fps=fps)


def frame_ends(n_cells: int, every: int | None, max_frames: int) -> list[int]:
    """Index of the last cell shown by each frame: every ``every`` cells, always ending on the last.

    Without ``every``, a stride is chosen so that there are at most ``max_frames`` frames.
    ``frame_ends(10, 4, 100) == [3, 7, 9]``.
    """
    if max_frames < 1:
        raise InvalidArgumentError(
            _("max_frames must be at least 1. Received: {value}", value=max_frames)
        )
    if every is None:
        every = max(1, math.ceil(n_cells / max_frames))
    if every < 1:
        raise InvalidArgumentError(
            _(
                "every must be at least 1 (one frame every N output cells). Received: "
                "every={every}",
                every=every,
            )
        )
    ends = list(range(every - 1, n_cells, every))
    if not ends or ends[-1] != n_cells - 1:
        ends.append(n_cells - 1)
    if len(ends) > max_frames:
        need = math.ceil(n_cells / max_frames)
        raise InvalidArgumentError(
            _(
                "{frames} frames is more than max_frames={max_frames}; expected --every {need} "
                "or more for {cells} output cells. Received: every={every}",
                frames=len(ends),
                max_frames=max_frames,
                need=need,
                cells=n_cells,
                every=every,
            )
        )
    return ends


def conv_steps(
    image: np.ndarray,
    kernel: np.ndarray,
    stride=1,
    padding=0,
    dilation=1,
    mode: str = "correlate",
    cells: list[int] | None = None,
) -> tuple[dict[int, ConvStep], np.ndarray]:
    """explain_conv records by cell index (reading order) and the feature map.

    With ``cells=None`` every cell is explained and the map is assembled from their totals;
    otherwise only ``cells`` are explained and the map comes from :func:`cnnlab.ops.convolve_image`.
    """
    first = explain_conv(image, kernel, 0, 0, stride, padding, dilation, mode)
    rows, cols = first.output_shape
    wanted = range(rows * cols) if cells is None else cells
    steps = {
        i: explain_conv(image, kernel, i // cols, i % cols, stride, padding, dilation, mode)
        for i in wanted
    }
    if cells is None:
        output = np.array([steps[i].total for i in wanted], dtype=np.float64)
        return steps, output.reshape(rows, cols)
    return steps, convolve_image(image, kernel, stride, padding, dilation, mode)  # (H_out, W_out)


def animate_conv(
    image,
    kernel,
    stride=1,
    padding=0,
    dilation=1,
    *,
    mode: str = "correlate",
    every: int | None = None,
    max_frames: int | None = None,
    numbers: bool | None = None,
    lang: str | None = None,
) -> ConvAnimation:
    """Build the animation of ``kernel`` sliding over the 2-D ``image`` (nothing rendered yet).

    Small grids (both sides of the padded input at most 24) get every cell explained and
    numbers written in the cells, and by default one frame per output cell (up to 400); larger
    ones are explained at the frames' cells only and get at most 120 frames unless
    ``max_frames`` says otherwise. ``every`` fixes the frame stride (output cells per frame).
    """
    img = np.asarray(image, dtype=np.float64)
    ker = np.asarray(kernel, dtype=np.float64)
    first = explain_conv(img, ker, 0, 0, stride, padding, dilation, mode)
    n_cells = first.output_shape[0] * first.output_shape[1]
    dil = as_pair(dilation, "dilation", 1)
    stride_pair = as_pair(stride, "stride", 1)
    pads = resolve_padding(padding, ker.shape, stride_pair, dil, mirror=mode == "convolve")
    padded = np.pad(img, pads)  # (Hp, Wp)
    if numbers is None:
        numbers = max(padded.shape) <= NUMBERS_MAX_CELLS
    if max_frames is None:
        max_frames = MAX_FRAMES_NUMBERS if numbers else MAX_FRAMES_LARGE
    ends = frame_ends(n_cells, every, max_frames)
    cells = None if numbers else ends
    steps, output = conv_steps(img, ker, stride, padding, dilation, mode, cells)
    label = dict(s=format_pair(stride), p=format_pair(padding), d=format_pair(dilation))
    fig, artists = _build_figure(padded, first.kernel, output, numbers, label, lang)
    return ConvAnimation(img, padded, steps, output, ends, fig, dil, artists)


def format_pair(value) -> str:
    """``1 -> "1"``, ``(1, 2) -> "1×2"``, ``"same" -> "same"``."""
    if isinstance(value, str | int):
        return str(value)
    a, b = value
    return str(a) if a == b else f"{a}×{b}"


def _shape(a: np.ndarray) -> str:
    return shape_text(a.shape)


def _plain(ax, title: str, shape: tuple[int, int]) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xticks(range(shape[1]) if shape[1] <= NUMBERS_MAX_CELLS else [])
    ax.set_yticks(range(shape[0]) if shape[0] <= NUMBERS_MAX_CELLS else [])
    ax.tick_params(labelsize=6, length=0)


def _layout(padded, ker, output, numbers) -> tuple[Figure, list]:
    """Figure and axes (input, kernel, map). Small grids: every cell the same size, so a window
    and its output cell line up; large ones: the map drawn as tall as the input."""
    hp, wp = padded.shape
    ho, wo = output.shape
    scale = 0.27 if numbers else min(0.27, 5.0 / max(hp, wp))  # inches per input cell
    out_w = wo if numbers else wo * hp / ho  # in input cells
    ker_w = max(ker.shape[1], 0.22 * wp)
    fig = new_figure(max(8.0, scale * (wp + out_w + ker_w) + 2.5), max(4.2, scale * hp + 1.8))
    fig.set_dpi(ANIMATION_DPI)
    gs = fig.add_gridspec(1, 3, width_ratios=[wp, ker_w, out_w])
    return fig, [fig.add_subplot(gs[0, i]) for i in range(3)]


def _build_figure(padded, ker, output, numbers, label, lang) -> tuple[Figure, dict]:
    """The static picture (input, kernel, empty map) and the artists that move."""
    fig, (ax_in, ax_k, ax_out) = _layout(padded, ker, output, numbers)
    in_img = ax_in.imshow(padded, cmap="gray", interpolation="nearest")
    _plain(ax_in, t("input", lang, shape=_shape(padded)), padded.shape)
    lim = float(np.abs(ker).max()) or 1.0
    k_img = ax_k.imshow(ker, cmap=DIVERGING, vmin=-lim, vmax=lim, interpolation="nearest")
    _plain(ax_k, t("kernel", lang, shape=_shape(ker)), ker.shape)
    if ker.size <= 49:
        cell_numbers(ax_k, ker, k_img, format_number)
    lo, hi = float(output.min()), float(output.max())
    out_img = ax_out.imshow(
        np.ma.masked_all(output.shape),
        animated=not numbers,
        cmap=SEQUENTIAL,
        vmin=lo,
        vmax=hi if hi > lo else lo + 1,
        interpolation="nearest",
    )
    ax_out.set_facecolor("#eeeeee")
    _plain(ax_out, t("feature_map", lang, shape=_shape(output)), output.shape)
    if numbers:
        cell_numbers(ax_in, padded, in_img, format_number)
    kernel_label = f"{ker.shape[0]}×{ker.shape[1]}"
    fig.suptitle(t("anim_title", lang, k=kernel_label, out=_shape(output), **label), fontsize=11)
    fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))  # room for the formula underneath
    artists = _moving_artists(fig, ax_in, ax_out, ker.shape, out_img, lang)
    grow = 0.0 if numbers else LOCATOR_SHARE  # cells a side, as a share of the longer side
    artists.update(numbers=numbers, min_in=grow * max(padded.shape))
    artists.update(min_out=grow * max(output.shape))
    return fig, artists


def _moving_artists(fig, ax_in, ax_out, kshape, out_img, lang) -> dict:
    box = dict(fill=False, edgecolor="#e4002b", linewidth=1.6, animated=True)
    taps = [ax_in.add_patch(Rectangle((0, 0), 1, 1, **box)) for _ in range(kshape[0] * kshape[1])]
    return dict(
        taps=taps,
        window=ax_in.add_patch(Rectangle((0, 0), 1, 1, **box)),
        target=ax_out.add_patch(Rectangle((0, 0), 1, 1, **box)),
        cell=ax_out.add_patch(Rectangle((0, 0), 1, 1, linewidth=0, animated=True)),
        value=ax_out.text(0, 0, "", ha="center", va="center", fontsize=6, animated=True),
        formula=fig.text(0.5, 0.03, "", ha="center", va="center", fontsize=10, animated=True),
        out_img=out_img,
        lang=lang,
    )


def _outline(patch: Rectangle, row: float, col: float, h: float, w: float, least: float) -> None:
    """Outline cells ``row .. row+h-1``, ``col .. col+w-1``, grown about their centre to at least
    ``least`` cells a side (so that a 3×3 window stays visible on a 512×512 picture), and draw."""
    side_h, side_w = max(h, least), max(w, least)
    patch.set_bounds(col - 0.5 - (side_w - w) / 2, row - 0.5 - (side_h - h) / 2, side_w, side_h)
    patch.axes.draw_artist(patch)


def _paint_cell(anim: ConvAnimation, index: int) -> None:
    """Draw output cell ``index`` (its color and its number) onto the canvas."""
    a, step = anim._artists, anim.steps[index]
    norm, cmap = a["out_img"].norm, a["out_img"].cmap
    rgba = cmap(norm(step.total))
    a["cell"].set_xy((step.col - 0.5, step.row - 0.5))
    a["cell"].set_facecolor(rgba)
    ax = a["cell"].axes
    ax.draw_artist(a["cell"])
    if a["numbers"]:
        a["value"].set_position((step.col, step.row))
        a["value"].set_text(format_number(step.total))
        a["value"].set_color(text_color(rgba))
        ax.draw_artist(a["value"])


def _draw_window(anim: ConvAnimation, index: int) -> None:
    """Draw the moving parts: the window's taps (and an outline on large inputs), the current
    output cell, the formula."""
    a, step = anim._artists, anim.steps[index]
    (r0, c0), (dr, dc) = step.input_origin, anim.dilation
    kh, kw = step.kernel.shape
    for i, patch in enumerate(a["taps"]):
        _outline(patch, r0 + (i // kw) * dr, c0 + (i % kw) * dc, 1, 1, 0)
    if not a["numbers"]:
        _outline(a["window"], r0, c0, (kh - 1) * dr + 1, (kw - 1) * dc + 1, a["min_in"])
    _outline(a["target"], step.row, step.col, 1, 1, a["min_out"])
    head = t("cell", a["lang"], r=step.row, c=step.col)
    a["formula"].set_text(f"{head}  {step.formula(max_terms=FORMULA_TERMS)}")
    anim.figure.draw_artist(a["formula"])


def _render(anim: ConvAnimation, frames) -> Iterator[np.ndarray]:
    """Yield the requested frames (in increasing order) as RGB arrays."""
    canvas = anim.figure.canvas
    canvas.draw()  # the static picture, once
    kept = canvas.copy_from_bbox(anim.figure.bbox)
    painted, out_img = -1, anim._artists["out_img"]
    for f in frames:
        canvas.restore_region(kept)
        if anim._artists["numbers"]:  # small grid: paint the new cells once, keep them
            for index in range(painted + 1, anim.frame_ends[f] + 1):
                _paint_cell(anim, index)
            kept = canvas.copy_from_bbox(anim.figure.bbox)
        else:  # large grid: one image of the map so far
            out_img.set_data(np.ma.masked_invalid(anim.map_at(f)))
            out_img.axes.draw_artist(out_img)
        painted = anim.frame_ends[f]
        _draw_window(anim, painted)
        yield np.asarray(canvas.buffer_rgba())[..., :3].copy()  # (H, W, 3)
