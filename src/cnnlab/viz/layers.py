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
from torch import nn

from cnnlab.errors import InvalidArgumentError, unknown_name
from cnnlab.viz._common import (
    DIVERGING,
    SEQUENTIAL,
    grid_shape,
    hide_unused,
    new_figure,
    show_image,
    symmetric_limit,
    t,
)

Preprocess = Callable[[np.ndarray], torch.Tensor]


def as_batch(image: np.ndarray) -> np.ndarray:
    """(C, H, W) or (N, C, H, W) float image(s) -> (N, C, H, W) float32."""
    x = np.asarray(image, dtype=np.float32)
    if x.ndim == 3:
        x = x[None]  # (1, C, H, W)
    if x.ndim != 4:
        raise InvalidArgumentError(
            f"image must be (C, H, W) or (N, C, H, W); expected 3 or 4 dimensions. "
            f"Received: shape {x.shape}"
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
            f"the model has no {kind.__name__} layer; expected a network with at least one. "
            f"Received: {type(model).__name__}"
        )
    if name is None:
        return found[-1] if last else found[0]
    for pair in found:
        if pair[0] == name:
            return pair
    raise unknown_name(f"{kind.__name__} layer", name, [n for n, _ in found])


def plot_kernels(
    model: nn.Module,
    layer: str | None = None,
    max_filters: int = 32,
    max_channels: int = 8,
    lang: str | None = None,
) -> Figure:
    """The learned filters of one conv layer on a shared color scale centred on zero.

    One panel per filter for single-channel inputs; otherwise one row per filter and one column
    per input channel. A single colorbar gives the weight scale for every panel.
    """
    name, conv = pick_layer(model, nn.Conv2d, layer)
    w = conv.weight.detach().cpu().numpy()  # (C_out, C_in, kH, kW)
    w = w[:max_filters, :max_channels]
    n_out, n_in = w.shape[:2]
    rows, cols = grid_shape(n_out, 8) if n_in == 1 else (n_out, n_in)
    cell = 0.75 if n_in == 1 else 0.55
    fig = new_figure(max(4.0, cell * cols + 1.2), max(2.2, cell * rows + 0.9))
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    lim = symmetric_limit(w)
    panels = [(f, c) for f in range(n_out) for c in range(n_in)]
    for ax, (f, c) in zip(axes, panels, strict=False):
        im = ax.imshow(w[f, c], cmap=DIVERGING, vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        if n_in == 1 or c == 0:
            ax.set_title(t("filter", lang, i=f), fontsize=7, pad=2)
        if n_in > 1 and f == 0:
            ax.set_xlabel(t("in_channel", lang, c=c), fontsize=7)
            ax.xaxis.set_label_position("top")
    hide_unused(axes, len(panels))
    fig.colorbar(im, ax=list(axes), shrink=0.8, label=t("weight", lang))
    k = "×".join(str(s) for s in conv.weight.shape[2:])
    total = conv.weight.shape[0]
    fig.suptitle(t("kernels_title", lang, layer=name, n=total, k=k), fontsize=10)
    return fig


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


def _map_row(fig, gs, row: int, maps: np.ndarray, label: str, n_cols: int, cmap: str) -> None:
    """One row of feature-map panels sharing one color scale, labelled on the left."""
    lo, hi = float(maps.min()), float(maps.max())
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
    shape = "×".join(map(str, x.shape[1:]))
    ax.set_ylabel(
        f"{t('input_image', lang)}\n{shape}",
        fontsize=7,
        rotation=0,
        ha="right",
        va="center",
        labelpad=4,
    )
    for row, (name, mod, out) in enumerate(outs, start=1):
        shape = "×".join(map(str, out.shape))
        label = f"{name} ({type(mod).__name__})\n{shape}\n[{out.min():.2g}, {out.max():.2g}]"
        _map_row(fig, gs, row, out[:max_channels], label, max_channels, SEQUENTIAL)
    fig.suptitle(t("features_title", lang), fontsize=10)
    return fig


def plot_pooling(
    model: nn.Module,
    image: np.ndarray,
    preprocess: Preprocess | None = None,
    layer: str | None = None,
    channel: int | None = None,
    lang: str | None = None,
) -> Figure:
    """Max pooling before and after, with the winning cell of every window marked.

    The channel defaults to the most active one (largest mean input to the pooling layer).
    """
    name, pool = pick_layer(model, nn.MaxPool2d, layer)
    outs = layer_outputs(model, _prepare(as_batch(image)[:1], preprocess))
    names = [n for n, _, _ in outs]
    before = outs[names.index(name) - 1][2][0] if names.index(name) else None
    if before is None:
        raise InvalidArgumentError(f"pooling layer {name} is the first layer; nothing to show")
    c = int(before.mean(dim=(1, 2)).argmax()) if channel is None else channel
    after, idx = F.max_pool2d(
        before[c : c + 1],
        pool.kernel_size,
        pool.stride,
        pool.padding,
        pool.dilation,
        ceil_mode=pool.ceil_mode,
        return_indices=True,
    )
    b, a = before[c].numpy(), after[0].numpy()  # (H, W), (H_out, W_out)
    wins = np.unravel_index(idx[0].numpy().ravel(), b.shape)  # winners' (rows, cols)
    fig = new_figure(8.0, 4.2)
    ax_b, ax_a = fig.subplots(1, 2, width_ratios=[b.shape[1], a.shape[1] * 1.6])
    lo, hi = float(b.min()), float(b.max())
    ax_b.imshow(b, cmap=SEQUENTIAL, vmin=lo, vmax=hi)
    ax_b.scatter(
        wins[1], wins[0], s=70, marker="s", facecolors="none", edgecolors="#e4002b", linewidths=1.8
    )
    step = pool.stride if isinstance(pool.stride, int) else pool.stride[0]
    for k in np.arange(-0.5, max(b.shape), step):
        ax_b.axhline(k, color="white", lw=0.4, alpha=0.6)
        ax_b.axvline(k, color="white", lw=0.4, alpha=0.6)
    ax_b.set_xlim(-0.5, b.shape[1] - 0.5)
    ax_b.set_ylim(b.shape[0] - 0.5, -0.5)
    ax_a.imshow(a, cmap=SEQUENTIAL, vmin=lo, vmax=hi)
    shape_b, shape_a = "×".join(map(str, b.shape)), "×".join(map(str, a.shape))
    ax_b.set_title(t("pool_before", lang, shape=shape_b, c=c), fontsize=9)
    ax_a.set_title(t("pool_after", lang, shape=shape_a), fontsize=9)
    for ax in (ax_b, ax_a):
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(t("pool_title", lang, layer=name), fontsize=10)
    return fig
