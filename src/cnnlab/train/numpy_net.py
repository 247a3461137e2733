"""A spec's network as NumPy arrays, trained by hand: forward and backward through cnnlab.ops.

Every layer's maths is a :mod:`cnnlab.ops` function (``conv2d``/``conv2d_backward``,
``max_pool2d``/``max_pool2d_backward``, ``batch_norm``/``batch_norm_backward``, ``relu``,
``linear``...); this module only chains them, layer after layer, keeping what each backward
needs (its input) from the forward pass. Parameters are named like the torch model's
``state_dict`` (``conv1.weight``, ``bn1.running_mean``...), so a net starts from a torch
model's weights and its weights load back into one.

    >>> net = NumpyNet.from_model(models.build("lenet5", (1, 28, 28), 10))  # doctest: +SKIP
    >>> logits = net.forward(x)            # (N, 10)
    >>> grads = net.backward(grad_logits)  # {"conv1.weight": ..., ...}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from cnnlab import ops
from cnnlab.errors import InvalidArgumentError
from cnnlab.i18n import _
from cnnlab.models.layers import PlannedLayer

Arrays = dict[str, np.ndarray]
BN_MOMENTUM, BN_EPS = 0.1, 1e-5  # torch.nn.BatchNorm's defaults (the torch engine's too)


@dataclass
class Step:
    """One layer in a forward pass: the planned layer and the input its backward needs."""

    layer: PlannedLayer
    x: Any = None  # the layer's input (or its dropout mask)


def _p(net: NumpyNet, layer: PlannedLayer, name: str) -> np.ndarray | None:
    return net.state.get(f"{layer.name}.{name}")


def _conv(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    a = s.layer.module_args
    fn = ops.conv2d if s.layer.kind == "conv2d" else ops.conv1d
    w, b = _p(net, s.layer, "weight"), _p(net, s.layer, "bias")
    return fn(x, w, b, a["stride"], a["padding"], a["dilation"], a["groups"])


def _conv_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    a = s.layer.module_args
    fn = ops.conv2d_backward if s.layer.kind == "conv2d" else ops.conv1d_backward
    w, b = _p(net, s.layer, "weight"), _p(net, s.layer, "bias")
    first = s is net.steps[0]  # the network's input needs no gradient
    args = (a["stride"], a["padding"], a["dilation"], a["groups"])
    gx, gw, gb = fn(g, s.x, w, b, *args, input_grad=not first)
    return gx, {"weight": gw, **({"bias": gb} if b is not None else {})}


def _as_2d(x: np.ndarray) -> np.ndarray:
    """(N, C, L) signals pool as (N, C, 1, L) images; images stay as they are."""
    return x[:, :, None, :] if x.ndim == 3 else x


def _window(s: Step, x: np.ndarray) -> tuple:
    a = s.layer.module_args
    k, st, p = a["kernel_size"], a["stride"], a["padding"]
    return ((1, k), (1, st), (0, p)) if x.ndim == 3 else (k, st, p)


def _pool(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    fn = ops.max_pool2d if s.layer.kind.startswith("max") else ops.avg_pool2d
    y = fn(_as_2d(x), *_window(s, x))
    return y[:, :, 0] if x.ndim == 3 else y


def _pool_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    fn = ops.max_pool2d_backward if s.layer.kind.startswith("max") else ops.avg_pool2d_backward
    gx = fn(_as_2d(g) if g.ndim == 3 else g, _as_2d(s.x), *_window(s, s.x))
    return (gx[:, :, 0] if s.x.ndim == 3 else gx), {}


def _norm(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    rm, rv = _p(net, s.layer, "running_mean"), _p(net, s.layer, "running_var")
    if net.training:
        count = net.state[f"{s.layer.name}.num_batches_tracked"]  # 0-d int64, as torch's
        np.add(count, 1, out=count)
    w, b = _p(net, s.layer, "weight"), _p(net, s.layer, "bias")
    return ops.batch_norm(x, rm, rv, w, b, net.training, BN_MOMENTUM, BN_EPS)


def _norm_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    gx, gw, gb = ops.batch_norm_backward(g, s.x, _p(net, s.layer, "weight"), BN_EPS)
    return gx, {"weight": gw, "bias": gb}


def _dense(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    return ops.linear(x, _p(net, s.layer, "weight"), _p(net, s.layer, "bias"))


def _dense_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    gx, gw, gb = ops.linear_backward(g, s.x, _p(net, s.layer, "weight"))
    return gx, {"weight": gw, **({"bias": gb} if _p(net, s.layer, "bias") is not None else {})}


def _dropout(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    p = s.layer.module_args["p"]
    if not net.training or p == 0:
        s.x = None
        return x
    s.x = (net.rng.random(x.shape) >= p).astype(x.dtype) / (1 - p)  # kept values scaled up
    return x * s.x


def _dropout_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    return (g if s.x is None else g * s.x), {}


def _gap(net: NumpyNet, s: Step, x: np.ndarray) -> np.ndarray:
    return ops.global_avg_pool2d(_as_2d(x)).reshape(x.shape[:2])  # (N, C)


def _gap_back(net: NumpyNet, s: Step, g: np.ndarray) -> tuple[np.ndarray, Arrays]:
    gx = ops.global_avg_pool2d_backward(g[:, :, None, None], _as_2d(s.x))
    return gx.reshape(s.x.shape), {}


#: layer kind -> (forward(net, step, x), backward(net, step, grad_out) -> (grad_x, grads))
KINDS: dict[str, tuple[Callable, Callable]] = {
    "conv2d": (_conv, _conv_back),
    "conv1d": (_conv, _conv_back),
    "maxpool2d": (_pool, _pool_back),
    "maxpool1d": (_pool, _pool_back),
    "avgpool2d": (_pool, _pool_back),
    "avgpool1d": (_pool, _pool_back),
    "batchnorm2d": (_norm, _norm_back),
    "batchnorm1d": (_norm, _norm_back),
    "relu": (lambda net, s, x: ops.relu(x), lambda net, s, g: (ops.relu_backward(g, s.x), {})),
    "flatten": (lambda net, s, x: ops.flatten(x), lambda net, s, g: (g.reshape(s.x.shape), {})),
    "dense": (_dense, _dense_back),
    "dropout": (_dropout, _dropout_back),
    "globalavgpool": (_gap, _gap_back),
}


def check_supported(plan: list[PlannedLayer]) -> None:
    """InvalidArgumentError naming the first layer the NumPy engine cannot train."""
    for p in plan:
        if p.kind not in KINDS:
            raise InvalidArgumentError(
                _(
                    "the numpy engine cannot train layer {name} ({canonical}); expected "
                    "layers made of {kinds} (or --engine torch). Received: {kind}",
                    name=p.name,
                    canonical=p.canonical,
                    kinds=", ".join(sorted(KINDS)),
                    kind=p.kind,
                )
            )


@dataclass
class NumpyNet:
    """A planned network's weights and buffers as NumPy arrays (torch ``state_dict`` names)."""

    plan: list[PlannedLayer]
    state: Arrays  # parameters and buffers, e.g. "conv1.weight", "bn1.running_var"
    training: bool = True
    rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))
    steps: list[Step] = field(default_factory=list)  # the last forward pass, for backward

    @classmethod
    def from_model(cls, model: torch.nn.Module, dtype: type = np.float32, seed: int = 0):
        """The net of a cnnlab model (``models.build``), starting from a copy of its weights."""
        check_supported(model.plan)
        state = {}
        for k, v in model.state_dict().items():
            arr = v.detach().cpu().numpy()
            state[k] = arr.astype(dtype) if arr.dtype.kind == "f" else arr.copy()
        return cls(list(model.plan), state, rng=np.random.default_rng(seed))

    def params(self) -> list[str]:
        """Names of the trained parameters (weights, biases, batch-norm scales and shifts)."""
        trained = ("weight", "bias")
        return [k for k in self.state if k.rsplit(".", 1)[1] in trained]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The network's output for the batch ``x``; keeps what :meth:`backward` needs."""
        self.steps = []
        for layer in self.plan:
            step = Step(layer, x)
            x = KINDS[layer.kind][0](self, step, x)
            self.steps.append(step)
        return x

    def backward(self, grad: np.ndarray) -> Arrays:
        """Gradients of every parameter from the output's gradient (after :meth:`forward`)."""
        grads: Arrays = {}
        for step in reversed(self.steps):
            grad, own = KINDS[step.layer.kind][1](self, step, grad)
            grads.update({f"{step.layer.name}.{k}": v for k, v in own.items()})
            if grad is None:  # the first layer's input gradient: not needed, not computed
                break
        self.steps = []
        return grads

    def to_torch(self) -> dict[str, torch.Tensor]:
        """The weights as a torch ``state_dict`` (for ``model.safetensors``), float32."""
        return {
            k: torch.from_numpy(v.astype(np.float32 if v.dtype.kind == "f" else v.dtype, order="C"))
            for k, v in self.state.items()
        }
