"""Where the model looked: Grad-CAM class activation maps (Selvaraju et al., 2017).

Grad-CAM weighs each channel ``k`` of a conv layer's output ``A`` by the mean gradient of the
class score ``y_c`` over that channel, ``w_k = mean_ij ∂y_c/∂A_kij``, and keeps the positive part
of the weighted sum, ``ReLU(Σ_k w_k·A_k)``, upsampled to the input size. The default ``A`` is the
output of the last conv layer.

It is implemented here with one forward hook rather than taken from the ``grad-cam`` package,
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
from torch.func import functional_call

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import N_, _, unknown_name
from cnnlab.viz._common import new_figure, show_image, t, to_display
from cnnlab.viz.layers import Preprocess, _prepare, as_batch, pick_layer


@dataclass(frozen=True)
class CamResult:
    cam: np.ndarray  # (H, W) in [0, 1], the input's size
    target: int  # class explained
    probs: np.ndarray  # (K,) softmax of the model's output
    layer: str  # layer whose activations were weighed


def cam_layer(model: nn.Module, name: str | None = None) -> tuple[str, nn.Module]:
    """The layer Grad-CAM weighs: the one called ``name``, or the last conv layer.

    The raw conv output is the default because it keeps negative evidence: on the digits and
    MNIST runs the rectified output (``relu2``) gives an all-zero map for about one test image in
    ten, the conv output for none.
    """
    if name is None:
        return pick_layer(model, nn.Conv2d, None, last=True)
    found = {n: m for n, m in model.named_modules() if n}
    if name not in found:
        raise unknown_name(N_("layer"), name, list(found))
    return name, found[name]


def _forward_on_copies(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """``model(x)`` on cloned weights, so that gradients flow even when the model was built under
    ``torch.inference_mode`` and its own parameters' ``.grad`` stay untouched."""
    state = {**dict(model.named_parameters()), **dict(model.named_buffers())}
    copies = {k: v.detach().clone() for k, v in state.items()}
    return functional_call(model, copies, (x.detach().clone().requires_grad_(True),))


def grad_cam(
    model: nn.Module, x: torch.Tensor, target: int | None = None, layer: str | None = None
) -> CamResult:
    """Grad-CAM of one normalized input ``x`` (1, C, H, W) for class ``target`` (default: the
    predicted class), on ``layer`` (default: the last conv layer)."""
    name, module = cam_layer(model, layer)
    saved: dict[str, torch.Tensor] = {}
    handle = module.register_forward_hook(lambda _m, _i, out: saved.__setitem__("act", out))
    try:
        with torch.inference_mode(False), torch.enable_grad():
            logits = _forward_on_copies(model, x)  # (1, K)
            cls = int(logits[0].argmax()) if target is None else int(target)
            if not 0 <= cls < logits.shape[1]:
                raise InvalidArgumentError(_(
                    "target class is out of range; expected 0 <= target < {count}. "
                    "Received: target={target}", count=logits.shape[1], target=target))  # fmt: skip
            (grad,) = torch.autograd.grad(logits[0, cls], saved["act"])
    finally:
        handle.remove()
    act = saved["act"].detach()  # (1, C, h, w)
    if act.dim() != 4:
        raise InvalidArgumentError(
            _(
                "Grad-CAM needs a layer with (N, C, H, W) output; expected a conv layer or one "
                "after it. Received: {name} with output shape {shape}",
                name=name,
                shape=tuple(act.shape),
            )
        )
    weights = grad.mean(dim=(2, 3), keepdim=True)  # (1, C, 1, 1)
    cam = F.relu((weights * act).sum(dim=1, keepdim=True))  # (1, 1, h, w)
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    cam = cam.numpy()  # (H, W)
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
    fig = new_figure(max(4.0, 1.6 * n + 1.0), 3.9)
    axes = fig.subplots(2, n, squeeze=False)
    layer, heat = "", None
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
        heat = axes[1, i].imshow(res.cam, cmap="jet", alpha=0.45, vmin=0, vmax=1)
        axes[1, i].set_xticks([])
        axes[1, i].set_yticks([])
    axes[0, 0].set_ylabel(t("input_image", lang), fontsize=8)
    axes[1, 0].set_ylabel("Grad-CAM", fontsize=8)
    fig.colorbar(heat, ax=list(axes[1]), shrink=0.9, label=t("cam_scale", lang))
    fig.suptitle(t("cam_title", lang, layer=layer), fontsize=10)
    return fig
