"""Two figures of the deck's middle slides: named kernels on one photo, and the classification
head (flatten → K neurons → softmax) on one example.

>>> fig = plot_kernel_gallery(get_sample("camera"), ("sobel-x", "gaussian-5x5"))  # doctest: +SKIP
>>> fig = plot_head(run, run.dataset().test.x[0])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure

from cnnlab.i18n import local_number, shape_text
from cnnlab.ops import conv2d
from cnnlab.samples import get_kernel
from cnnlab.viz._common import DIVERGING, new_figure, show_image, symmetric_limit, t

GALLERY = ("gaussian-5x5", "sharpen", "sobel-x", "sobel-y", "laplacian")


def plot_kernel_gallery(
    image: np.ndarray, names: Sequence[str] = GALLERY, lang: str | None = None
) -> Figure:
    """The photo, then each named kernel slid over it (``cnnlab.ops.conv2d``, padding 'same').

    Each feature map has its own symmetric color scale (blue negative, red positive), so edges
    of both signs show; the kernel's numbers are printed in the title.
    """
    img = np.asarray(image, dtype=np.float64)  # (H, W) in [0, 1]
    fig = new_figure(2.3 * (len(names) + 1), 3.0)
    axes = fig.subplots(1, len(names) + 1)
    show_image(axes[0], img, t("gallery_photo", lang, shape=shape_text(img.shape)))
    for ax, name in zip(axes[1:], names, strict=True):
        k = get_kernel(name)
        out = conv2d(img[None, None], k[None, None], padding="same")[0, 0]  # (H, W)
        lim = symmetric_limit(out)
        ax.imshow(out, cmap=DIVERGING, vmin=-lim, vmax=lim)
        ax.set_title(f"{name}\n{shape_text(k.shape)}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(t("gallery_title", lang), fontsize=10)
    return fig


def head_values(run: Any, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The flattened vector (F,) and the softmax probabilities (K,) of one example."""
    model = run.model
    seen: dict[str, torch.Tensor] = {}
    flat = next(m for m in model.modules() if isinstance(m, torch.nn.Flatten))
    hook = flat.register_forward_hook(lambda _m, _i, out: seen.setdefault("flat", out.detach()))
    try:
        with torch.no_grad():
            logits = model(run.preprocess(np.asarray(image, dtype=np.float32)))[0]  # (K,)
    finally:
        hook.remove()
    return seen["flat"][0].numpy(), torch.softmax(logits, 0).numpy()


def plot_head(run: Any, image: np.ndarray, lang: str | None = None) -> Figure:
    """One example through a trained run's head: the flattened vector, then the K outputs'
    softmax, the predicted class highlighted."""
    vec, probs = head_values(run, image)
    fig = new_figure(10.0, 3.2)
    ax_img, ax_vec, ax_p = fig.subplots(1, 3, width_ratios=[1, 3, 2])
    pixels = np.asarray(image)
    show_image(ax_img, pixels[0] if pixels.ndim == 3 else pixels, t("head_input", lang))
    ax_vec.plot(vec, lw=0.8, color="#2457a6")
    ax_vec.set_title(t("head_flat", lang, n=len(vec)), fontsize=9)
    ax_vec.set_xlabel(t("head_index", lang), fontsize=8)
    top = int(probs.argmax())
    colors = ["#e4002b" if i == top else "#9aa5b8" for i in range(len(probs))]
    ax_p.bar(range(len(probs)), probs, color=colors)
    ax_p.set_xticks(range(len(probs)), run.classes, fontsize=7)
    ax_p.set_ylim(0, 1)
    p = local_number(f"{probs[top] * 100:.1f} %", lang)
    ax_p.set_title(t("head_softmax", lang, k=len(probs), top=run.classes[top], p=p), fontsize=9)
    return fig
