"""What a trained network computes: learned kernels, feature maps, pooling winners.

The figures read the model itself: weights from its conv layers, activations from forward hooks
on its named children (``conv1``, ``relu1``, ``pool1``, ... for models built by
:func:`cnnlab.models.build`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, number, shape_text, unknown_name
from cnnlab.viz._common import (
    DIVERGING,
    SEQUENTIAL,
    cell_numbers,
    grid_shape,
    hide_unused,
    new_figure,
    show_image,
    symmetric_limit,
    t,
)

Preprocess = Callable[[np.ndarray], torch.Tensor]
POOL_NUMBERS_MAX = 16  # the pooling figure shows at most this many input cells a side


def as_batch(image: np.ndarray) -> np.ndarray:
    """(C, H, W) or (N, C, H, W) float image(s) -> (N, C, H, W) float32."""
    x = np.asarray(image, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]  # (1, C, H, W)
    if x.ndim != 4:
        raise InvalidArgumentError(
            _(
                "image must be (C, H, W) or (N, C, H, W); expected 3 or 4 dimensions. "
                "Received: shape {shape}",
                shape=x.shape,
            )
        )
    return x


def _prepare(x: np.ndarray, preprocess: Preprocess | None) -> torch.Tensor:
    return preprocess(x) if preprocess is not None else torch.as_tensor(x)


def layers_of(model: nn.Module, kind: type[nn.Module]) -> list[tuple[str, nn.Module]]:
    """Named children (recursively) of type ``kind``, in order."""
    return [(n, m) for n, m in model.named_modules() if isinstance(m, kind) and n]


def pick_layer(model: nn.Module, kind: type[nn.Module], name: str | None, last: bool = False):
    """The layer called ``name`` (or the first/last of ``kind``); errors name the choices."""
    found = layers_of(model, kind)
    if not found:
        raise InvalidArgumentError(
            _(
                "the model has no {kind} layer; expected a network with at least one. "
                "Received: {model}",
                kind=kind.__name__,
                model=type(model).__name__,
            )
        )
    if name is None:
        return found[-1] if last else found[0]
    for pair in found:
        if pair[0] == name:
            return pair
    raise unknown_name(_("{kind} layer", kind=kind.__name__), name, [pair[0] for pair in found])


def plot_kernels(
    model: nn.Module,
    layer: str | None = None,
    max_filters: int | None = None,
    max_channels: int = 8,
    lang: str | None = None,
) -> Figure:
    """The learned filters of one conv layer on a shared color scale centred on zero.

    ``max_filters`` defaults to 32 for single-channel inputs and 16 otherwise (16 rows of up to
    ``max_channels`` panels).

    One panel per filter for single-channel inputs; otherwise one row per filter and one column
    per input channel. A single colorbar gives the weight scale for every panel, and the title
    says how many filters and channels are shown when not all of them fit.
    """
    name, conv = pick_layer(model, nn.Conv2d, layer)
    full = conv.weight.detach().cpu().numpy()  # (C_out, C_in, kH, kW)
    if max_filters is None:
        max_filters = 32 if full.shape[1] == 1 else 16
    w = full[:max_filters, :max_channels]
    n_out, n_in = w.shape[:2]
    rows, cols = grid_shape(n_out, 8) if n_in == 1 else (n_out, n_in)
    cell = 0.75 if n_in == 1 else 0.5
    height = max(2.2, cell * rows + 0.9)
    fig = new_figure(max(4.0, cell * cols + 1.8), height)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    lim = symmetric_limit(w)
    panels = [(f, c) for f in range(n_out) for c in range(n_in)]
    for ax, (f, c) in zip(axes, panels, strict=False):
        im = ax.imshow(w[f, c], cmap=DIVERGING, vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        _kernel_label(ax, f, c, n_in, lang)
    hide_unused(axes, len(panels))
    fig.colorbar(im, ax=list(axes), shrink=min(0.8, 4.0 / height), label=t("weight", lang))
    fig.suptitle(_kernels_title(name, full.shape, w.shape, lang), fontsize=10)
    return fig


def _kernels_title(name: str, full: tuple, shown: tuple, lang: str | None) -> str:
    """Layer, filters × channels × kernel size, and how many are shown when not all fit."""
    key = "kernels_title_1" if full[1] == 1 else "kernels_title"
    title = t(key, lang, layer=name, n=full[0], c=full[1], k=shape_text(full[2:]))
    if shown[:2] != full[:2]:
        title += t("kernels_shown", lang, n=shown[0], c=shown[1])
    return title


def _kernel_label(ax, f: int, c: int, n_in: int, lang: str | None) -> None:
    """Filter number above (one channel) or left of the row (several); channel above columns."""
    if n_in == 1:
        ax.set_title(t("filter", lang, i=f), fontsize=7, pad=2)
        return
    if c == 0:
        ax.set_ylabel(t("filter", lang, i=f), fontsize=7, rotation=0, ha="right", va="center")
    if f == 0:
        ax.set_title(t("in_channel", lang, c=c), fontsize=7, pad=2)


def layer_outputs(model: nn.Module, x: torch.Tensor) -> list[tuple[str, nn.Module, torch.Tensor]]:
    """Run ``x`` through ``model`` and return every named child's output (forward hooks)."""
    outputs: list[tuple[str, nn.Module, torch.Tensor]] = []
    hooks = [
        child.register_forward_hook(
            lambda mod, _inp, out, name=name: outputs.append((name, mod, out.detach()))
        )
        for name, child in model.named_children()
    ]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    return outputs


def _map_row(fig, gs, row: int, maps: np.ndarray, label: str, n_cols: int, cmap: str) -> list:
    """One row of feature-map panels sharing one color scale, labelled on the left."""
    lo, hi = float(maps.min()), float(maps.max())
    axes = []
    for i in range(n_cols):
        ax = fig.add_subplot(gs[row, i])
        ax.set_xticks([])
        ax.set_yticks([])
        if i < len(maps):
            ax.imshow(maps[i], cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1e-9)
        else:
            ax.set_axis_off()
        if i == 0:
            ax.set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center", labelpad=4)
        axes.append(ax)
    return axes


def plot_feature_maps(
    model: nn.Module,
    image: np.ndarray,
    preprocess: Preprocess | None = None,
    max_channels: int = 8,
    lang: str | None = None,
) -> Figure:
    """Every layer's output for one input: conv, after the activation, after pooling.

    Each row is a layer (name, type, shape, value range); its first ``max_channels`` channels
    share one color scale. Layers whose output is no longer an image (flatten, dense) are skipped.
    """
    x = as_batch(image)[:1]  # (1, C, H, W)
    outs = [(n, m, o[0].numpy()) for n, m, o in layer_outputs(model, _prepare(x, preprocess))]
    outs = [o for o in outs if o[2].ndim == 3]  # (C, H, W) feature maps only
    fig = new_figure(1.0 * max_channels + 2.4, 1.05 * (len(outs) + 1) + 0.6)
    gs = fig.add_gridspec(len(outs) + 1, max_channels)
    ax = fig.add_subplot(gs[0, 0])
    show_image(ax, x[0])
    shape = shape_text(x.shape[1:])
    ax.set_ylabel(
        f"{t('input_image', lang)}\n{shape}",
        fontsize=7,
        rotation=0,
        ha="right",
        va="center",
        labelpad=4,
    )
    for row, (name, mod, out) in enumerate(outs, start=1):
        shape = shape_text(out.shape)
        span = t("range", lang, low=float(out.min()), high=float(out.max()))
        label = f"{name} ({type(mod).__name__})\n{shape}\n{span}"
        axes = _map_row(fig, gs, row, out[:max_channels], label, max_channels, SEQUENTIAL)
        if row == 1:
            for i, ax in enumerate(axes[: len(out)]):
                ax.set_title(t("channel", lang, i=i), fontsize=7, pad=2)
    shown = min(max_channels, max((len(o) for _, _, o in outs), default=0))
    fig.suptitle(t("features_title", lang, n=shown), fontsize=10)
    return fig


def pool_winners(
    model: nn.Module,
    image: np.ndarray,
    preprocess: Preprocess | None = None,
    layer: str | None = None,
    channel: int | None = None,
) -> tuple[str, int, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """One max-pooling layer's input and output for one channel, and each window's winner.

    Returns ``(layer name, channel, before (H, W), after (H_out, W_out), (rows, cols))`` where
    ``before[rows[i], cols[i]] == after.ravel()[i]``. The channel defaults to the most active one
    (largest mean input to the pooling layer).
    """
    name, pool = pick_layer(model, nn.MaxPool2d, layer)
    outs = layer_outputs(model, _prepare(as_batch(image)[:1], preprocess))
    names = [n for n, _, _ in outs]
    if names.index(name) == 0:
        raise InvalidArgumentError(_(
            "pooling layer {name} is the model's first layer; expected a layer before it to "
            "show. Received: layers {names}", name=name, names=", ".join(names)))  # fmt: skip
    before = outs[names.index(name) - 1][2][0]  # (C, H, W)
    c = int(before.mean(dim=(1, 2)).argmax()) if channel is None else int(channel)
    if not 0 <= c < before.shape[0]:
        raise InvalidArgumentError(_(
            "channel is out of range; expected 0 <= channel < {count}. Received: "
            "channel={channel}", count=before.shape[0], channel=channel))  # fmt: skip
    after, idx = F.max_pool2d(
        before[c : c + 1],
        pool.kernel_size,
        pool.stride,
        pool.padding,
        pool.dilation,
        ceil_mode=pool.ceil_mode,
        return_indices=True,
    )  # (1, H_out, W_out) each
    b, a = before[c].numpy(), after[0].numpy()
    return name, c, b, a, np.unravel_index(idx[0].numpy().ravel(), b.shape)


def _window_grid(ax, shape: tuple[int, int], stride) -> None:
    """Thin white lines between pooling windows (every ``stride`` cells)."""
    sr, sc = _pair(stride)
    for y in np.arange(-0.5, shape[0], sr)[1:]:
        ax.axhline(y, color="white", lw=0.6, alpha=0.7)
    for x in np.arange(-0.5, shape[1], sc)[1:]:
        ax.axvline(x, color="white", lw=0.6, alpha=0.7)


def _pair(value) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def pool_crop(pool: nn.MaxPool2d, b: np.ndarray, a: np.ndarray, wins, size: int = 16):
    """The part of a pooling picture to draw: everything while both sides of ``b`` are at most
    ``size``; otherwise about ``size``×``size`` input cells, aligned to the windows, around the
    largest output (pools without padding or dilation). Returns ``(b, a, winners, box)`` with
    winners in the crop's coordinates and ``box`` = the first and last rows and columns kept,
    ``((row0, row1, col0, col1) of b, (row0, row1, col0, col1) of a)``, or None.
    """
    (kh, kw), (sr, sc) = _pair(pool.kernel_size), _pair(pool.stride)
    flat = _pair(pool.padding) == (0, 0) and _pair(pool.dilation) == (1, 1)
    if max(b.shape) <= size or not flat:
        return b, a, wins, None
    nr = min(a.shape[0], max(1, (size - kh) // sr + 1))  # windows kept, each way
    nc = min(a.shape[1], max(1, (size - kw) // sc + 1))
    r, c = np.unravel_index(int(np.argmax(a)), a.shape)
    r0 = int(np.clip(r - nr // 2, 0, a.shape[0] - nr))
    c0 = int(np.clip(c - nc // 2, 0, a.shape[1] - nc))
    rows = slice(r0 * sr, min(b.shape[0], (r0 + nr - 1) * sr + kh))
    cols = slice(c0 * sc, min(b.shape[1], (c0 + nc - 1) * sc + kw))
    out_r, out_c = np.divmod(np.arange(a.size), a.shape[1])
    keep = (out_r >= r0) & (out_r < r0 + nr) & (out_c >= c0) & (out_c < c0 + nc)  # reading order
    winners = (wins[0][keep] - rows.start, wins[1][keep] - cols.start)
    box = (rows.start, rows.stop - 1, cols.start, cols.stop - 1), (r0, r0 + nr - 1, c0, c0 + nc - 1)
    return b[rows, cols], a[r0 : r0 + nr, c0 : c0 + nc], winners, box


def plot_pooling(
    model: nn.Module,
    image: np.ndarray,
    preprocess: Preprocess | None = None,
    layer: str | None = None,
    channel: int | None = None,
    lang: str | None = None,
) -> Figure:
    """Max pooling before and after on one color scale, the winning cell of every window
    outlined and every value written; a large map is shown as a 16×16 crop around its
    strongest output (the title gives the rows and columns)."""
    name, c, b_full, a_full, wins_full = pool_winners(model, image, preprocess, layer, channel)
    pool = pick_layer(model, nn.MaxPool2d, name)[1]
    b, a, wins, box = pool_crop(pool, b_full, a_full, wins_full, POOL_NUMBERS_MAX)
    fig = new_figure(9.0, 4.8)
    ax_b, ax_a = fig.subplots(1, 2, width_ratios=[b.shape[1], a.shape[1] * 1.6])
    lo, hi = float(b_full.min()), float(b_full.max())
    hi = hi if hi > lo else lo + 1e-9
    im_b = ax_b.imshow(b, cmap=SEQUENTIAL, vmin=lo, vmax=hi)
    im_a = ax_a.imshow(a, cmap=SEQUENTIAL, vmin=lo, vmax=hi)
    _window_grid(ax_b, b.shape, pool.stride)
    for r, col in zip(*wins, strict=True):
        ax_b.add_patch(Rectangle((col - 0.5, r - 0.5), 1, 1, fill=False, ec="#e4002b", lw=2))
    short = lambda v: number(float(v), ".2g", lang)  # noqa: E731
    cell_numbers(ax_b, b, im_b, short, fontsize=6 if max(b.shape) > 10 else 7)
    cell_numbers(ax_a, a, im_a, short, fontsize=8)
    shape_b, shape_a = shape_text(b_full.shape), shape_text(a_full.shape)
    titles = [t("pool_before", lang, shape=shape_b, c=c), t("pool_after", lang, shape=shape_a)]
    for i, part in enumerate(box or ()):
        titles[i] += t("pool_crop", lang, r0=part[0], r1=part[1], c0=part[2], c1=part[3])
    ax_b.set_title(titles[0], fontsize=9)
    ax_a.set_title(titles[1], fontsize=9)
    for ax in (ax_b, ax_a):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.colorbar(im_a, ax=[ax_b, ax_a], shrink=0.8, label=t("activation", lang))
    fig.suptitle(t("pool_title", lang, layer=name), fontsize=10)
    return fig
