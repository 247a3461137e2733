"""Shape propagation for spec layers: check arguments, compute output shapes, parameters and
multiply-adds without building anything, then make the matching ``torch.nn`` module.

Shapes exclude the batch: ``(C, H, W)`` for images, ``(C, L)`` for sequences, ``(F,)`` for flat
vectors. Formulas (PyTorch semantics, floor division)::

    H_out = (H + 2·padding − dilation·(k − 1) − 1) // stride + 1
    conv params      = C_out·(C_in/groups)·k^d + C_out (bias)        d = 1 or 2 spatial dims
    conv mult-adds   = C_out·H_out·W_out·(C_in/groups)·kH·kW         (per image, bias not counted)
    dense params     = in·out + out;  dense mult-adds = in·out
    batchnorm params = 2·C (scale and shift; running statistics are buffers)

Pooling, activations, batchnorm, dropout and flatten count 0 multiply-adds (comparisons and
element-wise work are not multiply-adds). Example: conv(6,5,padding=2) on 1×28×28 gives 6×28×28,
6·1·25 + 6 = 156 parameters and 6·28·28·1·25 = 117,600 multiply-adds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
from torch import nn

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _, shape_text, suggest
from cnnlab.models.spec import SIGNATURES, LayerSpec, SpecError, UnknownLayerError, located
from cnnlab.models.textlayers import TEXT_FACTORIES, plan_embedding, plan_ngrambag
from cnnlab.ops._args import positions

Shape = tuple[int, ...]

EXAMPLES = {
    "conv": "conv(16,3)",
    "conv1d": "conv1d(25,5,stride=2)",
    "maxpool": "maxpool(2)",
    "avgpool": "avgpool(2)",
    "dense": "dense(128)",
    "dropout": "dropout(0.25)",
    "embedding": "embedding(16)",
    "ngrambag": "ngrambag(3,1024)",
}
PREFIX = {"conv1d": "conv", "maxpool": "pool", "avgpool": "pool", "globalavgpool": "gap"}
PREFIX |= {"batchnorm": "bn", "dropout": "drop", "globalmaxpool": "gmp", "ngrambag": "bag"}
PREFIX |= {"embedding": "embed"}
EXAMPLES |= {"convt": "convt(32,4,stride=2,padding=1)", "reshape": "reshape(64,7,7)"}
EXAMPLES |= {"latent": "latent(16)"}


@dataclass(frozen=True)
class PlannedLayer:
    """A spec layer after shape propagation: everything a summary row or a module needs."""

    name: str  # child name in the model, e.g. "conv1"
    kind: str  # concrete kind, e.g. "conv2d", "maxpool1d", "dense"
    layer: LayerSpec
    canonical: str  # e.g. "conv(6,5,padding=2)"
    in_shape: Shape
    out_shape: Shape
    params: int
    mult_adds: int
    module_args: dict = field(default_factory=dict)


def fmt_shape(shape: Shape) -> str:
    """``(32, 3, 3)`` → ``'32×3×3'``."""
    return shape_text(shape)


def bind(layer: LayerSpec, spec: str) -> dict[str, object]:
    """Match positional and key=value arguments to the layer's parameters and convert them."""
    names, required, defaults = SIGNATURES[layer.kind]
    example = EXAMPLES.get(layer.kind, layer.kind)
    if len(layer.args) > len(names):
        raise located(
            SpecError,
            _("layer {index} {text}: {kind} takes at most {n} arguments ({names}); expected "
              "e.g. {example}. Received: {text}", index=layer.index, text=layer.text,
              kind=layer.kind, n=len(names), names=", ".join(names) or _("none"), example=example),
            spec,
            layer.position,
        )  # fmt: skip
    raw = dict(zip(names, layer.args, strict=False))
    positions = dict(zip(names, layer.arg_positions, strict=False))
    for (key, value), pos in zip(layer.kwargs, layer.arg_positions[len(layer.args) :], strict=True):
        if key not in names:
            exc = located(UnknownLayerError, _unknown_arg(layer, key, names), spec, pos)
            raise exc
        if key in raw:
            twice = _("argument {key} given twice in {text}", key=key, text=layer.text)
            raise located(SpecError, twice, spec, pos)
        raw[key], positions[key] = value, pos
    missing = [n for n in names[:required] if n not in raw]
    if missing:
        raise located(
            SpecError,
            _("layer {index} {text}: {kind} needs {n} arguments ({names}), missing {missing}; "
              "expected e.g. {example}. Received: {text}", index=layer.index, text=layer.text,
              kind=layer.kind, n=required, names=", ".join(names[:required]),
              missing=", ".join(missing), example=example),
            spec,
            layer.position,
        )  # fmt: skip
    values = dict(defaults)
    for key, text in raw.items():
        values[key] = _convert(layer, key, text, spec, positions[key])
    return values


def _unknown_arg(layer: LayerSpec, key: str, names: tuple[str, ...]) -> str:

    known = ", ".join(names) or _("none")
    return _("unknown argument {key!r} for {kind}; expected one of: {known}.{hint} Received: "
             "{key!r}", key=key, kind=layer.kind, known=known,
             hint=suggest(key, names))  # fmt: skip


def _convert(layer: LayerSpec, key: str, text: str, spec: str, pos: int) -> object:
    low = text.lower()
    try:
        if key == "bias":
            if low in ("true", "1", "yes"):
                return True
            if low in ("false", "0", "no"):
                return False
            raise ValueError
        if key == "p":
            p = float(text)
            if not 0.0 <= p < 1.0:
                raise ValueError
            return p
        if key == "padding" and layer.kind in ("conv", "conv1d") and low in ("same", "valid"):
            return 0 if low == "valid" else "same"
        number = int(text)
        if number < (0 if key in ("padding", "output_padding") else 1):
            raise ValueError
        return number
    except ValueError:
        want = {
            "bias": _("true or false"),
            "p": _("a probability 0 <= p < 1"),
            "padding": _("a whole number >= 0 or same/valid")
            if layer.kind.startswith("conv") else _("a whole number >= 0"),
        }.get(key, _("a whole number >= 1"))  # fmt: skip
        raise located(
            SpecError,
            _("layer {index} {layer}: {key} must be {want}; expected e.g. {example}. Received: "
              "{key}={text}", index=layer.index, layer=layer.text, key=key, want=want,
              example=EXAMPLES.get(layer.kind, layer.kind), text=text),
            spec,
            pos,
        ) from None  # fmt: skip


def shape_error(layer: LayerSpec, spec: str, message: str) -> ShapeError:
    """``layer 5 conv(32,5): <message>`` with the caret under the layer."""
    text = _("layer {index} {text}: {message}", index=layer.index, text=layer.text, message=message)
    return located(ShapeError, text, spec, layer.position)


def _spatial(layer: LayerSpec, spec: str, shape: Shape, want: int, what: str) -> None:
    if len(shape) == want + 1:
        return
    names = {1: _("C×L (channels × length)"), 2: _("C×H×W (channels × height × width)")}[want]
    hint = _("put it before flatten") if len(shape) == 1 else _("check conv vs conv1d")
    if want == 1 and len(shape) == 3:
        hint = _("use conv/pooling for images, conv1d for sequences")
    raise shape_error(
        layer,
        spec,
        _("input {shape} is {ndim}-D but {what} needs a {names} feature map; expected a "
          "{want}-D input ({hint}). Received: input {shape}", shape=fmt_shape(shape),
          ndim=len(shape), what=what, names=names, want=want + 1, hint=hint),
    )  # fmt: skip


def _window(layer: LayerSpec, spec: str, shape: Shape, k: int, pad: int, stride: int) -> Shape:
    """Output spatial sizes of a sliding window of effective size ``k`` (formula above)."""
    spatial = shape[1:]
    padded = tuple(s + 2 * pad for s in spatial)
    if any(p < k for p in padded):
        box = fmt_shape((k,) * len(spatial))
        padded_text = _(" (padded {padded})", padded=fmt_shape(padded)) if pad else ""
        raise shape_error(
            layer,
            spec,
            _("input {shape}{padded_text} is smaller than the kernel {box}; expected a kernel "
              "no larger than the input {padded} (use padding=same, a smaller kernel or fewer "
              "pooling layers). Received: input {shape}", shape=fmt_shape(shape),
              padded_text=padded_text, box=box, padded=fmt_shape(padded)),
        )  # fmt: skip
    return tuple(positions(p, k, stride) for p in padded)  # k: the span, dilation included


class Plan(NamedTuple):
    """What a planner finds for one layer: the torch module kind, the output shape, counts and
    the module's constructor arguments."""

    kind: str  # a FACTORIES key, e.g. "conv2d"
    out_shape: Shape
    params: int
    mult_adds: int
    args: dict


def _plan_conv(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    d = 1 if layer.kind == "conv1d" else 2
    _spatial(layer, spec, shape, d, layer.kind)
    c_in, out, k, groups = shape[0], v["out"], v["k"], v["groups"]
    if c_in % groups or out % groups:
        raise shape_error(
            layer,
            spec,
            _("groups={groups} must divide the input channels {c_in} and the output channels "
              "{out}; expected a common divisor. Received: input {shape}", groups=groups,
              c_in=c_in, out=out, shape=fmt_shape(shape)),
        )  # fmt: skip
    eff = v["dilation"] * (k - 1) + 1
    pad = v["padding"]
    if pad == "same":
        if v["stride"] != 1 and (eff - 1) % 2:
            raise shape_error(
                layer,
                spec,
                _("padding=same with stride > 1 needs an odd kernel; expected stride=1 or an odd "
                  "k. Received: k={k}, stride={stride}", k=k, stride=v["stride"]),
            )  # fmt: skip
        pad = (eff - 1) // 2 if (eff - 1) % 2 == 0 else "same"
    sizes = shape[1:] if pad == "same" else _window(layer, spec, shape, eff, pad, v["stride"])
    out_shape = (out, *sizes)  # (C_out, *spatial_out)
    weights = out * (c_in // groups) * k**d
    args = dict(in_channels=c_in, out_channels=out, kernel_size=k, stride=v["stride"])
    args |= dict(padding=pad, dilation=v["dilation"], groups=groups, bias=v["bias"])
    macs = weights * math.prod(sizes)
    return Plan(f"conv{d}d", out_shape, weights + (out if v["bias"] else 0), macs, args)


def _plan_pool(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    if len(shape) not in (2, 3):
        _spatial(layer, spec, shape, 2, layer.kind)
    d = len(shape) - 1
    k, stride, pad = v["k"], v["stride"] or v["k"], v["padding"]
    if pad > k // 2:
        raise shape_error(
            layer,
            spec,
            _("padding={pad} is more than half the window {k}; expected padding <= {half}. "
              "Received: padding={pad}", pad=pad, k=k, half=k // 2),
        )  # fmt: skip
    sizes = _window(layer, spec, shape, k, pad, stride)
    return Plan(f"{layer.kind}{d}d", (shape[0], *sizes), 0, 0,
                dict(kernel_size=k, stride=stride, padding=pad))  # fmt: skip


def _plan_dense(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    if len(shape) != 1:
        raise shape_error(
            layer,
            spec,
            _("input {shape} is not flat but dense needs a vector; expected a 1-D input (put "
              "flatten before dense). Received: input {shape}", shape=fmt_shape(shape)),
        )  # fmt: skip
    if v["n"] is None:
        raise shape_error(
            layer,
            spec,
            _("dense without a size needs the number of classes; expected dense(n) "
              "or num_classes. Received: num_classes=None"),
        )  # fmt: skip
    f_in, n = shape[0], v["n"]
    args = dict(in_features=f_in, out_features=n, bias=v["bias"])
    return Plan("dense", (n,), f_in * n + (n if v["bias"] else 0), f_in * n, args)


def _plan_simple(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    kind = layer.kind
    if kind == "flatten":
        return Plan("flatten", (math.prod(shape),), 0, 0, {})
    if kind in ("globalavgpool", "globalmaxpool"):
        if len(shape) < 2:
            _spatial(layer, spec, shape, 2, kind)
        return Plan(kind, (shape[0],), 0, 0, {})
    if kind == "batchnorm":
        d = 2 if len(shape) == 3 else 1
        return Plan(f"batchnorm{d}d", shape, 2 * shape[0], 0, dict(num_features=shape[0]))
    if kind == "dropout":
        return Plan(kind, shape, 0, 0, dict(p=v["p"]))
    return Plan(kind, shape, 0, 0, {})  # activations


def _plan_text(layer: LayerSpec, spec: str, shape: Shape, v: dict) -> Plan:
    if len(shape) != 2 or shape[0] != 1:
        raise shape_error(
            layer,
            spec,
            _("input {shape} is not a row of character ids but {kind} reads text; expected it "
              "first, on a text data set (input 1×L). Received: input {shape}",
              shape=fmt_shape(shape), kind=layer.kind),
        )  # fmt: skip
    kind, out, params, args = (plan_embedding if layer.kind == "embedding" else plan_ngrambag)(
        layer, shape, v
    )
    return Plan(kind, out, params, 0, args)


PLANNERS: dict[str, Callable[..., Plan]] = {
    "embedding": _plan_text,
    "ngrambag": _plan_text,
    "conv": _plan_conv,
    "conv1d": _plan_conv,
    "maxpool": _plan_pool,
    "avgpool": _plan_pool,
    "dense": _plan_dense,
}


def canonical(layer: LayerSpec, values: dict, num_classes: int | None) -> str:
    """Write a layer back in canonical form: required arguments, then non-default key=value."""
    names, required, defaults = SIGNATURES[layer.kind]
    if layer.kind == "dense" and values["n"] is None:
        values = {**values, "n": num_classes}
    parts = [_text(values[n]) for n in names[:required]]
    if layer.kind in ("dense", "dropout", "ngrambag"):
        parts.append(_text(values[names[0]]))
    for name in names[required:]:
        pool_stride = name == "stride" and layer.kind in ("maxpool", "avgpool")
        default = values["k"] if pool_stride else defaults.get(name)
        if name not in ("n", "p") and values[name] is not None and values[name] != default:
            parts.append(f"{name}={_text(values[name])}")
    return f"{layer.kind}({','.join(parts)})" if parts else layer.kind


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def plan_layers(
    layers: list[LayerSpec], spec: str, input_shape: Shape, num_classes: int | None
) -> list[PlannedLayer]:
    """Propagate ``input_shape`` through ``layers``; raise a located error at the first misfit."""
    shape, counts, planned = input_shape, {}, []
    for layer in layers:
        values = bind(layer, spec)
        if layer.kind == "dense" and values["n"] is None:
            values["n"] = num_classes
        if layer.kind in ("latent", "label"):  # conditional layers read the label too
            values["classes"] = num_classes
        planner = PLANNERS.get(layer.kind, _plan_simple)
        found = planner(layer, spec, shape, values)
        prefix = PREFIX.get(layer.kind, layer.kind)
        counts[prefix] = counts.get(prefix, 0) + 1
        name = f"{prefix}{counts[prefix]}"
        text = canonical(layer, values, num_classes)
        planned.append(PlannedLayer(name, found.kind, layer, text, shape, found.out_shape,
                                    found.params, found.mult_adds, found.args))  # fmt: skip
        shape = found.out_shape
    return planned


class GlobalAvgPool(nn.Module):
    """Mean over every spatial position: (N, C, *spatial) → (N, C)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=tuple(range(2, x.dim())))  # (N, C)


FACTORIES: dict[str, Callable[..., nn.Module]] = {
    "conv2d": nn.Conv2d,
    "conv1d": nn.Conv1d,
    "maxpool2d": nn.MaxPool2d,
    "maxpool1d": nn.MaxPool1d,
    "avgpool2d": nn.AvgPool2d,
    "avgpool1d": nn.AvgPool1d,
    "batchnorm2d": nn.BatchNorm2d,
    "batchnorm1d": nn.BatchNorm1d,
    "dropout": nn.Dropout,
    "flatten": nn.Flatten,
    "dense": nn.Linear,
    "globalavgpool": GlobalAvgPool,
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    **TEXT_FACTORIES,
}


def make_module(planned: PlannedLayer) -> nn.Module:
    """The ``torch.nn`` module for one planned layer."""
    if planned.kind not in FACTORIES:  # unreachable for parsed specs; guards future kinds
        raise InvalidArgumentError(_("no module for layer kind {kind!r}", kind=planned.kind))
    return FACTORIES[planned.kind](**planned.module_args)
