"""Where the model looked: Grad-CAM class activation maps (Selvaraju et al., 2017).

Grad-CAM weighs each channel ``k`` of the last conv layer's output ``A`` by the mean gradient of
the class score ``y_c`` over that channel, ``w_k = mean_ij ∂y_c/∂A_kij``, and keeps the positive
part of the weighted sum, ``ReLU(Σ_k w_k·A_k)``, upsampled to the input size.

It is implemented here with two torch hooks rather than taken from the ``grad-cam`` package,
because that package requires torchvision (and OpenCV), which cnnlab does not depend on; the
method itself is a dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from cnnlab.viz._common import new_figure, show_image, t, to_display
from cnnlab.viz.layers import Preprocess, _prepare, as_batch, pick_layer


@dataclass(frozen=True)
class CamResult:
    cam: np.ndarray  # (H, W) in [0, 1], the input's size
    target: int  # class explained
    probs: np.ndarray  # (K,) softmax of the model's output
    layer: str  # conv layer whose activations were weighed


def grad_cam(
    model: nn.Module, x: torch.Tensor, target: int | None = None, layer: str | None = None
) -> CamResult:
    """Grad-CAM of one normalized input ``x`` (1, C, H, W) for class ``target`` (default: the
    predicted class), on ``layer`` (default: the last conv layer)."""
    name, conv = pick_layer(model, nn.Conv2d, layer, last=True)
    saved: dict[str, torch.Tensor] = {}

    def keep(_mod, _inp, out):
        saved["act"] = out
        out.register_hook(lambda grad: saved.__setitem__("grad", grad))

    handle = conv.register_forward_hook(keep)
    try:
        with torch.enable_grad():
            logits = model(x.detach().clone().requires_grad_(True))  # (1, K)
            cls = int(logits[0].argmax()) if target is None else int(target)
            model.zero_grad(set_to_none=True)
            logits[0, cls].backward()
    finally:
        handle.remove()
    weights = saved["grad"].mean(dim=(2, 3), keepdim=True)  # (1, C, 1, 1)
    cam = F.relu((weights * saved["act"]).sum(dim=1, keepdim=True))  # (1, 1, h, w)
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    cam = cam.detach().numpy()  # (H, W)
    cam = cam / cam.max() if cam.max() > 0 else cam
    probs = torch.softmax(logits.detach()[0], dim=0).numpy()  # (K,)
    return CamResult(cam, cls, probs, name)


def plot_cams(
    model: nn.Module,
    images: np.ndarray,
    labels: list[int] | None,
    classes: list[str],
    preprocess: Preprocess | None = None,
    lang: str | None = None,
) -> Figure:
    """Each image above its Grad-CAM overlay, titled with true and predicted class."""
    x = as_batch(images)  # (N, C, H, W)
    n = len(x)
    fig = new_figure(max(4.0, 1.6 * n), 3.9)
    axes = fig.subplots(2, n, squeeze=False)
    layer = ""
    for i in range(n):
        res = grad_cam(model, _prepare(x[i : i + 1], preprocess))
        layer = res.layer
        true = classes[labels[i]] if labels is not None else "?"
        title = t(
            "cam_label", lang, true=true, pred=classes[res.target], p=float(res.probs[res.target])
        )
        show_image(axes[0, i], x[i], title)
        base = to_display(x[i])
        axes[1, i].imshow(base, cmap="gray" if base.ndim == 2 else None, vmin=0, vmax=1)
        axes[1, i].imshow(res.cam, cmap="jet", alpha=0.45, vmin=0, vmax=1)
        axes[1, i].set_xticks([])
        axes[1, i].set_yticks([])
    axes[0, 0].set_ylabel(t("input_image", lang), fontsize=8)
    axes[1, 0].set_ylabel("Grad-CAM", fontsize=8)
    fig.suptitle(t("cam_title", lang, layer=layer), fontsize=10)
    return fig
