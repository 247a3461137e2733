"""A trained classifier as a sliding window over a whole picture.

A CNN trained on small crops already *is* a sliding window: its convolutions and poolings slide
over a picture of any size, like the deck's kernel slides over Bidoof. Only the head is tied to
the crop's size, and it becomes a convolution too: the first ``dense`` after ``flatten`` sees a
C×h×w block, which is a convolution with C input channels and an h×w kernel (the same weights,
reshaped); later ``dense`` layers are 1×1 convolutions and ``globalavgpool`` an h×w average
pool. One pass over a picture then gives a map of class scores, one cell per crop position,
``stride`` pixels apart (the product of the strides of the convolutions and poolings).

Exact when nothing pads: cell (i, j) equals the classifier applied to the crop whose top-left
corner is (stride·i, stride·j). With padding, a crop sees zeros at its border where the whole
picture has pixels, so the cells differ a little from the crops' own scores.

>>> from cnnlab.models import build
>>> fully_convolutional(build("conv(4,3) relu maxpool(2) flatten dense(2)", (1, 8, 8))).window
Window(height=8, width=8, stride=2, exact=True)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _, shape_text

#: layers copied unchanged: they work on a picture of any size
_KEEP = {"conv2d", "maxpool2d", "avgpool2d", "batchnorm2d", "relu", "tanh", "sigmoid", "gelu"}


class NotImageClassifierError(InvalidArgumentError):
    """A model that cannot slide over a picture (not a 2-D image classifier)."""


@dataclass(frozen=True)
class Window:
    """The crop the classifier was trained on and how far apart its map's cells are."""

    height: int  # pixels of the training crop
    width: int
    stride: int  # pixels between neighbouring cells of the score map
    exact: bool  # True when nothing pads: every cell equals its crop's own scores


class FullyConv(nn.Module):
    """The classifier with its head as convolutions: (N, C, H, W) → (N, K, h, w) logits."""

    def __init__(self, body: nn.Sequential, window: Window) -> None:
        super().__init__()
        self.body = body
        self.window = window

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)  # (N, K, h, w)


def fully_convolutional(model: nn.Module) -> FullyConv:
    """The fully-convolutional twin of a cnnlab image classifier (same weights, eval mode)."""
    plan = getattr(model, "plan", None)
    shape = tuple(getattr(model, "input_shape", ()))
    if plan is None or len(shape) != 3:
        raise NotImageClassifierError(
            _("sliding a model over a picture needs a 2-D image classifier; expected a cnnlab "
              "model of input C×H×W. Received: input shape {shape}",
              shape=shape_text(shape) if shape else _("unknown"))
        )
    layers: list[nn.Module] = []
    stride, exact, block = 1, True, None  # block: (C, h, w) the next dense layer sees
    for planned, module in zip(plan, model.children(), strict=True):
        kind = planned.kind
        if kind in _KEEP:
            layers.append(copy.deepcopy(module))
            stride *= _step(module)
            exact = exact and not _pads(module)
        elif kind == "flatten":
            block = planned.in_shape if len(planned.in_shape) == 3 else (*planned.in_shape, 1, 1)
        elif kind == "globalavgpool":
            layers.append(nn.AvgPool2d(tuple(planned.in_shape[1:]), stride=1))
            block = (planned.in_shape[0], 1, 1)
        elif kind == "dense":
            layers.append(_dense_as_conv(module, block or (module.in_features, 1, 1)))
            block = None
        elif kind == "batchnorm1d":
            layers.append(_batchnorm_2d(module))
        elif kind != "dropout":  # dropout does nothing in eval mode
            raise NotImageClassifierError(
                _("layer {layer} cannot slide over a picture; expected 2-D layers (conv, pooling, "
                  "batchnorm, activations, dense). Received: {spec}", layer=planned.canonical,
                  spec=model.spec)
            )
    window = Window(int(shape[1]), int(shape[2]), stride, exact)
    return FullyConv(nn.Sequential(*layers), window).eval()


def _step(module: nn.Module) -> int:
    stride = getattr(module, "stride", 1)
    pair = stride if isinstance(stride, tuple) else (stride, stride)
    if pair[0] != pair[1]:
        raise NotImageClassifierError(
            _("a layer strides {down} down and {across} across; expected equal strides. "
              "Received: {module}", down=pair[0], across=pair[1], module=str(module))
        )
    return int(pair[0])


def _pads(module: nn.Module) -> bool:
    padding = getattr(module, "padding", 0)
    return padding == "same" or any(int(p) for p in ((padding,) if isinstance(padding, int)
                                                     else padding))  # fmt: skip


def _dense_as_conv(dense: nn.Linear, block: tuple[int, ...]) -> nn.Conv2d:
    """``dense`` over a flattened C×h×w block = a convolution with an h×w kernel."""
    c, h, w = (int(v) for v in block)
    conv = nn.Conv2d(c, dense.out_features, (h, w), bias=dense.bias is not None)
    with torch.no_grad():
        conv.weight.copy_(dense.weight.reshape(dense.out_features, c, h, w))  # (K, C, h, w)
        if dense.bias is not None:
            conv.bias.copy_(dense.bias)
    return conv


def _batchnorm_2d(norm: nn.BatchNorm1d) -> nn.BatchNorm2d:
    """The same per-feature normalization, applied to each cell of a map."""
    out = nn.BatchNorm2d(norm.num_features, eps=norm.eps, affine=norm.affine)
    out.load_state_dict(norm.state_dict())
    return out


def crop_scores(model: nn.Module, x: torch.Tensor, window: Window) -> torch.Tensor:
    """The classifier applied crop by crop at every cell's position (the slow way, to check the
    one pass against): (1, C, H, W) → (1, K, h, w) logits."""
    if x.shape[0] != 1:
        raise InvalidArgumentError(
            _("one picture at a time. Received: batch of {n}", n=int(x.shape[0]))
        )
    rows = (x.shape[2] - window.height) // window.stride + 1
    cols = (x.shape[3] - window.width) // window.stride + 1
    crops = [
        x[0, :, i * window.stride : i * window.stride + window.height,
          j * window.stride : j * window.stride + window.width]
        for i in range(rows) for j in range(cols)
    ]  # fmt: skip
    with torch.no_grad():
        logits = model(torch.stack(crops))  # (rows·cols, K)
    return logits.T.reshape(1, -1, rows, cols)
