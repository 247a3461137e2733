"""Keras/torchinfo-style summaries and the "enormous number of parameters" growth table.

Counting rules (per image; see ``cnnlab.models.layers`` for the formulas): multiply-adds count
only conv and dense layers (pooling, activations, batchnorm and dropout count 0); FLOPs ≈ 2 ×
multiply-adds. Memory is float32: ``param_bytes = 4 × parameters`` and ``activation_bytes =
4 × sum of every layer's output size`` (one image, forward pass, input not included).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from torch import nn

from cnnlab.errors import InvalidArgumentError, ShapeError
from cnnlab.i18n import _
from cnnlab.models.build import SpecModel, parse_shape, plan
from cnnlab.models.layers import fmt_shape
from cnnlab.models.presets import PRESETS

BYTES_PER_FLOAT = 4  # float32
DEFAULT_CLASSES = 10  # a preset summarized without num_classes: MNIST's 10 digits


@dataclass(frozen=True)
class SummaryRow:
    name: str  # child name, e.g. "conv1"
    kind: str  # e.g. "conv2d", "maxpool2d", "dense"
    layer: str  # canonical spec text, e.g. "conv(6,5,padding=2)"
    output_shape: tuple[int, ...]  # without the batch
    params: int
    mult_adds: int  # per image


@dataclass(frozen=True)
class Summary:
    spec: str
    input_shape: tuple[int, ...]
    num_classes: int | None
    rows: tuple[SummaryRow, ...]
    total_params: int
    trainable_params: int
    total_mult_adds: int  # per image
    param_bytes: int  # float32
    activation_bytes: int  # float32, per image
    mlp_equivalent_params: int  # the `mlp` preset (hidden 256-256) on the flattened input
    conv_params: int  # parameters of conv layers only

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.rows[-1].output_shape

    @property
    def totals(self) -> dict[str, int]:
        return {"params": self.total_params, "mult_adds": self.total_mult_adds}

    @property
    def has_conv(self) -> bool:
        return any(r.kind.startswith("conv") for r in self.rows)

    def to_dict(self) -> dict:
        """JSON-ready dictionary."""
        return asdict(self)


def mlp_params(num_inputs: int, num_classes: int) -> int:
    """Parameters of the ``mlp`` preset on ``num_inputs`` features: 784, 10 → 269,322."""
    return sum(p.params for p in plan("mlp", (num_inputs,), num_classes)[1])


def summary(
    model: nn.Module | str,
    input_shape: str | Sequence[int] | None = None,
    num_classes: int | None = None,
) -> Summary:
    """Summarize a built model, a preset name or a spec string for one input shape.

    ``input_shape`` defaults to the model's own (or the preset's; a preset also defaults to 10
    classes). Trainable counts come from the module itself when one is given
    (``requires_grad``); everything else is computed from shapes, never from a forward pass.
    """
    spec, shape, k = _resolve(model, input_shape, num_classes)
    spec, planned = plan(spec, shape, k)
    rows = tuple(
        SummaryRow(p.name, p.kind, p.canonical, p.out_shape, p.params, p.mult_adds) for p in planned
    )
    total = sum(r.params for r in rows)
    frozen = 0
    if isinstance(model, nn.Module):
        frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    return Summary(
        spec=spec,
        input_shape=parse_shape(shape),
        num_classes=k,
        rows=rows,
        total_params=total,
        trainable_params=total - frozen,
        total_mult_adds=sum(r.mult_adds for r in rows),
        param_bytes=BYTES_PER_FLOAT * total,
        activation_bytes=BYTES_PER_FLOAT * sum(math.prod(r.output_shape) for r in rows),
        mlp_equivalent_params=mlp_params(
            math.prod(parse_shape(shape)), k or math.prod(rows[-1].output_shape)
        ),
        conv_params=sum(r.params for r in rows if r.kind.startswith("conv")),
    )


def _resolve(model: nn.Module | str, input_shape, num_classes: int | None) -> tuple:
    """``(spec, input shape, classes)`` for :func:`summary`."""
    if isinstance(model, SpecModel):
        spec, k = model.spec, model.num_classes if num_classes is None else num_classes
        shape = model.input_shape if input_shape is None else parse_shape(input_shape)
    elif isinstance(model, str):
        preset = PRESETS.get(model.strip().lower())
        spec, shape = model, input_shape or (preset.input_shape if preset else None)
        k = num_classes if num_classes is not None or preset is None else DEFAULT_CLASSES
        if shape is None:
            raise InvalidArgumentError(
                _(
                    "summary of a spec needs input_shape; expected e.g. (1, 28, 28). "
                    "Received: input_shape=None"
                )
            )
    else:
        raise InvalidArgumentError(
            _(
                "summary needs a model built by cnnlab.models.build, a preset name or a "
                "spec; expected a SpecModel or str. Received: {type_name}",
                type_name=type(model).__name__,
            )
        )
    return spec, shape, k


@dataclass(frozen=True)
class GrowthRow:
    size: int  # input side (H = W = size, or L = size for 1-D models)
    mlp_params: int  # `mlp` preset on the flattened input
    conv_params: int  # conv layers only: independent of the input size
    cnn_params: int  # the whole CNN: its dense head grows unless it pools globally


def parameter_growth(
    sizes: Sequence[int] = (28, 64, 128, 256, 512, 1024),
    cnn: str = "small-cnn",
    channels: int = 1,
    num_classes: int = 10,
) -> list[GrowthRow]:
    """Parameters of an MLP vs a CNN as the input grows (computed from shapes, no weights).

    The MLP's first layer has ``channels·size²·256`` weights, so it grows with the square of the
    size; the conv layers' weights do not depend on the size at all.
    """
    rows = []
    for size in sizes:
        shape = (channels, size) if _is_1d(cnn) else (channels, size, size)
        planned = _plan_at_size(cnn, shape, num_classes)
        pixels = math.prod(planned[0].in_shape)
        rows.append(
            GrowthRow(
                size=size,
                mlp_params=mlp_params(pixels, num_classes),
                conv_params=sum(p.params for p in planned if p.kind.startswith("conv")),
                cnn_params=sum(p.params for p in planned),
            )
        )
    return rows


def _plan_at_size(cnn: str, shape: tuple[int, ...], num_classes: int) -> list:
    """``plan(cnn, shape)``; a misfit names the input size of the growth table it happened at."""
    try:
        return plan(cnn, shape, num_classes)[1]
    except ShapeError as exc:
        where = _("{cnn} does not fit the input {shape}", cnn=cnn, shape=fmt_shape(shape))
        error = ShapeError(f"{where}: {exc}")
        error.one_line = f"{where}: {exc.one_line or exc}"
        raise error from None


def _is_1d(model: str) -> bool:
    key = model.strip().lower()
    if key in PRESETS:
        return len(PRESETS[key].input_shape) == 2
    return "conv1d" in key
