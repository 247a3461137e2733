"""The spec layers that make pictures: ``convt`` (transposed convolution), ``reshape`` (a flat
vector back into a feature map), ``latent`` (the code of a conditional VAE) and ``label`` (the
one-hot label joined as K more channels or features, so a layer sees which digit to make).

Formulas (PyTorch semantics)::

    convt:  H_out = (H − 1)·s − 2p + (k − 1) + output_padding + 1
            params = C_in·C_out·k² + C_out;  mult-adds = C_in·H·W·C_out·k² (each input value
            is spread over a k×k window of every output channel)
    latent(z) on F features with K labels: one dense layer from [features, one-hot label]
            (F + K) to the mean and log-variance of z (2z), then a draw
            z = mean + e^(logvar/2)·ε, given on with the one-hot label: out = z + K values;
            params = (F + K)·2z + 2z

Example: ``convt(32,4,stride=2,padding=1)`` on 64×7×7 gives 32×14×14 with 64·32·16 + 32 =
32,800 parameters. The planners register themselves in :mod:`cnnlab.models.layers` when this
module is imported (``cnnlab.models`` does so).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from cnnlab.i18n import _
from cnnlab.models.layers import FACTORIES, PLANNERS, Plan, Shape, _spatial, fmt_shape, shape_error
from cnnlab.models.spec import LayerSpec
from cnnlab.ops.conv_transpose import transposed_size


def _plan_convt(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    _spatial(layer, spec, shape, 2, layer.kind)
    c_in, out, k, s, p, op = (
        shape[0],
        v["out"],
        v["k"],
        v["stride"],
        v["padding"],
        v["output_padding"],
    )
    if op >= s:
        why = _("output_padding must be smaller than the stride; expected e.g. "
                "output_padding=1 with stride=2. Received: output_padding={op}", op=op)  # fmt: skip
        raise shape_error(layer, spec, why)
    sizes = tuple(transposed_size(n, k, s, p, op) for n in shape[1:])
    if min(sizes) < 1:
        raise shape_error(
            layer,
            spec,
            _(
                "padding={p} cuts the whole output of input {shape}; expected a smaller "
                "padding. Received: padding={p}",
                p=p,
                shape=fmt_shape(shape),
            ),
        )
    weights = c_in * out * k * k
    args = dict(
        in_channels=c_in,
        out_channels=out,
        kernel_size=k,
        stride=s,
        padding=p,
        output_padding=op,
        bias=v["bias"],
    )
    macs = weights * math.prod(shape[1:])
    return Plan("convt2d", (out, *sizes), weights + (out if v["bias"] else 0), macs, args)


def _plan_reshape(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    target = (v["c"], v["h"], v["w"])
    if math.prod(shape) != math.prod(target):
        raise shape_error(
            layer,
            spec,
            _(
                "input {shape} holds {n_shape} values but {target} needs {n_target}; "
                "expected sizes whose product is {n_shape}. Received: {text}",
                shape=fmt_shape(shape),
                n_shape=math.prod(shape),
                target=fmt_shape(target),
                n_target=math.prod(target),
                text=layer.text,
            ),
        )
    return Plan("reshape", target, 0, 0, dict(dim=1, unflattened_size=target))


def _plan_latent(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    if len(shape) != 1:
        raise shape_error(
            layer,
            spec,
            _(
                "input {shape} is not flat but latent needs a vector; expected a 1-D "
                "input (put flatten before latent). Received: input {shape}",
                shape=fmt_shape(shape),
            ),
        )
    f_in, z, k = shape[0], v["z"], v.get("classes") or 0
    params = (f_in + k) * 2 * z + 2 * z
    args = dict(in_features=f_in, size=z, num_classes=k)
    return Plan("latent", (z + k,), params, (f_in + k) * 2 * z, args)


def _plan_label(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    k = v.get("classes") or 0
    return Plan("label", (shape[0] + k, *shape[1:]), 0, 0, dict(num_classes=k))


def one_hot(y: torch.Tensor, k: int) -> torch.Tensor:
    """Labels (N,) as one-hot rows (N, K); a float (N, K) mix of labels is taken as it is
    (a morph from 3 to 8 passes through 0.5·onehot(3) + 0.5·onehot(8))."""
    if y.is_floating_point() and y.dim() == 2:
        return y  # (N, K)
    return nn.functional.one_hot(y, k).float()  # (N, K)


class LabelChannels(nn.Module):
    """``label``: the one-hot label joined to the input, as K more features of a vector or K
    more constant channels of a feature map: (N, C, H, W) → (N, C + K, H, W)."""

    def __init__(self, num_classes: int) -> None:
        super().__init__()
        self.num_classes = num_classes

    def forward(self, h: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        code = one_hot(y, self.num_classes).to(h.dtype)  # (N, K)
        code = code.view(*code.shape, *([1] * (h.dim() - 2))).expand(-1, -1, *h.shape[2:])
        return torch.cat([h, code], dim=1)


class Latent(nn.Module):
    """A conditional VAE's code: ``stats`` maps [features, one-hot label] to (mean, logvar)."""

    def __init__(self, in_features: int, size: int, num_classes: int) -> None:
        super().__init__()
        self.size, self.num_classes = size, num_classes
        self.stats = nn.Linear(in_features + num_classes, 2 * size)

    def one_hot(self, y: torch.Tensor) -> torch.Tensor:
        return one_hot(y, self.num_classes)  # (N, K)

    def encode(self, h: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mean, log-variance), each (N, z); the log-variance kept in [−10, 10]."""
        stats = self.stats(torch.cat([h, self.one_hot(y)], dim=1))  # (N, 2z)
        mean, logvar = stats.chunk(2, dim=1)
        return mean, logvar.clamp(-10.0, 10.0)

    def condition(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """What the decoder reads: [z, one-hot label], (N, z + K)."""
        return torch.cat([z, self.one_hot(y)], dim=1)


PLANNERS["convt"] = _plan_convt
PLANNERS["reshape"] = _plan_reshape
PLANNERS["latent"] = _plan_latent
PLANNERS["label"] = _plan_label
FACTORIES["convt2d"] = nn.ConvTranspose2d
FACTORIES["reshape"] = nn.Unflatten
FACTORIES["latent"] = Latent
FACTORIES["label"] = LabelChannels
